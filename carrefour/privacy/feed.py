"""`/api/v1/tombstones`: the erasures re-users must propagate (R-GDPR-05, Art. 19), oldest first, paged by cursor."""

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from carrefour.api.responses import error, read_only
from carrefour.api.views_read import paged
from carrefour.privacy.models import ErasureTombstone


def serialize(request, tombstone: ErasureTombstone) -> dict:
    item = {
        "object_type": tombstone.object_type,
        "object_id": tombstone.object_id,
        "fields": tombstone.fields,
        "erased_at": tombstone.erased_at.isoformat(),
    }
    if tombstone.object_type == "initiative":
        item["api_url"] = request.build_absolute_uri(reverse("api:initiative", kwargs={"key": tombstone.object_id}))
    return item


def _since(text: str):
    try:
        value = parse_datetime(text[:40])
    except ValueError:
        return None
    return value if value is not None and value.tzinfo is not None else None


@read_only
def tombstones(request):
    queryset = ErasureTombstone.objects.all()
    raw_since = (request.GET.get("since") or "").strip()
    if raw_since:
        since = _since(raw_since)
        if since is None:
            message = _("« since » doit être une date ISO 8601 avec fuseau, par exemple 2025-01-31T12:00:00Z.")
            return error(message, 400, [{"param": "since", "message": message}])
        queryset = queryset.filter(erased_at__gte=since)
    return paged(request, queryset, lambda row: serialize(request, row))
