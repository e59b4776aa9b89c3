"""Read endpoints of the public API (GET/HEAD, JSON, errors in French): initiatives, organisations, sources.

Lists are paged by an opaque cursor (see pagination.py) and carry a weak ETag (hash of the body); details carry a
strong ETag (the initiative's version and the body's hash). Both answer 304 to a matching If-None-Match.
"""

import hashlib

from django.db.models import Count, Q
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from carrefour.api import filters, pagination, serializers
from carrefour.api.responses import conditional, dumps, envelope, error, not_found, read_only
from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Initiative, Organisation, Stakeholder
from carrefour.sources.models import Source

PUBLISHED = Initiative.Status.PUBLISHED


def paged(request, queryset, serialize, *, key: str = "pk", sort: str = "id", extra: dict | None = None):
    try:
        page = pagination.paginate(queryset, request.GET, key=key, sort=sort)
    except pagination.PaginationError as problem:
        return error(str(problem), 400, [{"param": problem.param, "message": str(problem)}])
    data = {
        "count": queryset.count(),
        "page_size": page.page_size,
        "next": pagination.next_link(request, page.next_cursor),
        **(extra or {}),
        "results": [serialize(row) for row in page.rows],
    }
    return conditional(request, envelope(data))


def initiative_list(request):
    try:
        queryset, sort = filters.apply(serializers.initiatives_queryset(), request.GET)
    except filters.FilterError as problem:
        return error(str(problem), 400, problem.errors)
    key = filters.SORTS[sort]
    return paged(request, queryset, lambda row: serializers.initiative(request, row), key=key, sort=sort)


def find_initiative(key: str):
    """The published initiative behind an id or a slug; a renamed one's old slug gives a redirect target."""
    published = serializers.initiatives_queryset()
    if key.isascii() and key.isdigit():
        return published.filter(pk=int(key)).first() if len(key) < 19 else None
    return published.filter(slug=key[:170]).first()


def initiative_etag(item: Initiative, body: bytes) -> str:
    return f'"{item.version}-{hashlib.sha256(body).hexdigest()[:16]}"'


def initiative_representation(request, item: Initiative) -> tuple[dict, str]:
    data = envelope(serializers.initiative(request, item), updated=item.updated_at)
    return data, initiative_etag(item, dumps(data))


def initiative_detail(request, key: str):
    item = find_initiative(key)
    if item is None:
        moved = None if key.isdigit() else catalog_actions.resolve_redirect(Initiative, key[:220])
        if moved is not None and moved.status == PUBLISHED:
            return HttpResponsePermanentRedirect(reverse("api:initiative", kwargs={"key": str(moved.pk)}))
        return not_found()
    data, etag = initiative_representation(request, item)
    return conditional(request, data, etag=etag)


def public_organisations():
    carrying = Stakeholder.objects.filter(initiative__status=PUBLISHED).values("organisation_id")
    return Organisation.objects.filter(pk__in=carrying).select_related("structure_type", "commune")


@read_only
def organisation_list(request):
    queryset = public_organisations()
    code = (request.GET.get("commune") or "").strip().upper()
    if code:
        queryset = queryset.filter(commune_id=code[:5])
    return paged(request, queryset, lambda row: serializers.organisation(request, row))


@read_only
def organisation_detail(request, key: str):
    queryset = public_organisations()
    if key.isascii() and key.isdigit():
        item = queryset.filter(pk=int(key)).first() if len(key) < 19 else None
    else:
        item = queryset.filter(slug=key[:220]).first()
    if item is None:
        return not_found()
    stakes = (
        item.stakes.filter(initiative__status=PUBLISHED).select_related("initiative").order_by("initiative_id", "id")
    )
    return conditional(request, envelope(serializers.organisation(request, item, list(stakes))))


def _sources_with_counts():
    published = Q(records__initiative__status=PUBLISHED)
    return Source.objects.annotate(initiatives_count=Count("records__initiative", filter=published, distinct=True))


@read_only
def source_list(request):
    return paged(request, _sources_with_counts(), lambda row: serializers.source(request, row, row.initiatives_count))


@read_only
def source_detail(request, slug: str):
    item = _sources_with_counts().filter(slug=slug[:60]).first()
    if item is None:
        return not_found()
    return conditional(request, envelope(serializers.source(request, item, item.initiatives_count)))
