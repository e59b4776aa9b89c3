"""Public catalogue pages: initiative and organisation sheets, browse by theme."""

import logging

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from carrefour import search
from carrefour.catalog import actions
from carrefour.catalog.jsonld import initiative_jsonld
from carrefour.catalog.models import Initiative, Location, Organisation, Role, Stakeholder, Term, Vocabulary
from carrefour.catalog.queries import public_results
from carrefour.core.maps import map_config

PAGE_SIZE = 20
SIMILAR_COUNT = 6
SHEET_RELATIONS = (
    Prefetch("locations", Location.objects.select_related("commune__departement", "commune__region", "commune__epci")),
    Prefetch("stakeholders", Stakeholder.objects.select_related("organisation__structure_type").order_by("role")),
    Prefetch("themes", Term.objects.select_related("parent").order_by("position")),
    Prefetch("place_types", Term.objects.order_by("position")),
)

logger = logging.getLogger(__name__)


def _visible(user, initiative: Initiative) -> bool:
    return initiative.is_public or (user.is_authenticated and user.is_staff)


def initiative_detail(request, slug):
    initiative = Initiative.objects.filter(slug=slug).select_related("stage", "scale", "replicated_from").first()
    if initiative is None:
        moved = actions.resolve_redirect(Initiative, slug)
        if moved is None:
            raise Http404
        return redirect(moved, permanent=True)
    if initiative.merged_into_id:
        # A sheet merged into another (deduplication): its address leads to the surviving sheet forever.
        return redirect(_merge_survivor(initiative), permanent=True)
    if not _visible(request.user, initiative):
        raise Http404
    # Read once here; « similar initiatives » reads the same relations (place types, themes, carriers, places).
    prefetch_related_objects([initiative], *SHEET_RELATIONS)
    locations = list(initiative.locations.all())
    stakeholders = list(initiative.stakeholders.all())
    terms = list(initiative.themes.all())
    context = {
        "initiative": initiative,
        "locations": locations,
        "map_points": [
            {
                "name": loc.label or initiative.name,
                "commune": loc.commune.name,
                "lat": loc.latitude,
                "lon": loc.longitude,
            }
            for loc in locations
            if loc.latitude is not None and loc.longitude is not None
        ],
        "carriers": [s for s in stakeholders if s.role == Role.CARRIER],
        "partners": [s for s in stakeholders if s.role != Role.CARRIER],
        "themes": [t for t in terms if t.parent_id is None],
        "sub_themes": [t for t in terms if t.parent_id is not None],
        "publics": initiative.publics.order_by("position"),
        "place_types": initiative.place_types.all(),
        "innovation_forms": initiative.innovation_forms.order_by("position"),
        "links": initiative.links.all(),
        "images": initiative.images.all(),
        "source_records": initiative.source_records.select_related("source"),
        "map_config": map_config(),
        "jsonld": initiative_jsonld(initiative, locations, stakeholders) if initiative.is_public else None,
        "similar": similar_initiatives(initiative),
    }
    return render(request, "catalog/initiative_detail.html", context)


def _merge_survivor(initiative: Initiative) -> Initiative:
    """The end of the chain of merges starting at `initiative` (a merge never points back, but stop after 10)."""
    for _hop in range(10):
        if not initiative.merged_into_id:
            break
        initiative = initiative.merged_into
    return initiative


def similar_initiatives(initiative: Initiative) -> list:
    """« Ils font la même chose ailleurs ». The sheet never depends on the index: if it fails, the list is left out."""
    if not initiative.is_public:
        return []
    try:
        return list(search.similar(initiative, limit=SIMILAR_COUNT))
    except Exception:
        logger.exception("similar initiatives unavailable for initiative %s", initiative.pk)
        return []


def organisation_detail(request, slug):
    organisation = Organisation.objects.filter(slug=slug).select_related("structure_type", "commune").first()
    if organisation is None:
        moved = actions.resolve_redirect(Organisation, slug)
        if moved is None:
            raise Http404
        return redirect(moved, permanent=True)
    stakes = (
        organisation.stakes.filter(initiative__status=Initiative.Status.PUBLISHED)
        .select_related("initiative")
        .order_by("initiative__name")
    )
    if not stakes and not (request.user.is_authenticated and request.user.is_staff):
        # An organisation with no public initiative is not published on its own yet.
        raise Http404
    return render(request, "catalog/organisation_detail.html", {"organisation": organisation, "stakes": stakes})


def theme_list(request):
    published = Q(initiatives_by_theme__status=Initiative.Status.PUBLISHED)
    themes = (
        Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, is_active=True)
        .annotate(count=Count("initiatives_by_theme", filter=published))
        .prefetch_related("children")
        .order_by("position", "label")
    )
    return render(request, "catalog/theme_list.html", {"themes": themes})


TERM_FILTERS = {
    Vocabulary.THEME: "themes",
    Vocabulary.PUBLIC: "publics",
    Vocabulary.PLACE_TYPE: "place_types",
}


def term_detail(request, slug, vocabulary=Vocabulary.THEME):
    theme = get_object_or_404(Term, vocabulary=vocabulary, slug=slug)
    results = public_results().filter(**{TERM_FILTERS[vocabulary]: theme})
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    children = theme.children.filter(is_active=True).order_by("position")
    return render(
        request,
        "catalog/theme_detail.html",
        {"theme": theme, "vocabulary": theme.get_vocabulary_display(), "page": page, "children": children},
    )
