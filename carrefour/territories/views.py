"""Territory pages (région, département, EPCI, commune), their gap analysis, and the geometry their maps draw.

Views parse the address, find the territory (a French 404 otherwise) and render what `page.py` and `gaps.py`
assemble; every count comes from the search engine.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from carrefour import search
from carrefour.search.facets import labels
from carrefour.search.store import OutdatedIndex
from carrefour.search.views import UNAVAILABLE
from carrefour.territories import counts, gaps, shapes
from carrefour.territories.levels import LEVELS, trail
from carrefour.territories.lookups import commune_by_code
from carrefour.territories.models import Departement, Region
from carrefour.territories.page import parse_choices, territory_context


def find_territory(level: str, code: str):
    """The territory of this level and code, or a 404 (malformed and unknown codes alike)."""
    spec = LEVELS.get(level)
    code = (code or "").strip().upper()
    if spec is None or not spec.is_valid_code(code):
        raise Http404(_("Ce code de territoire n'existe pas."))
    manager = spec.model.objects.select_related(*(("region",) if level in ("departement", "commune") else ()))
    if level in ("departement",):
        manager = manager.defer("outline")
    if level == "commune":
        manager = manager.select_related("departement", "epci").defer("geometry", "departement__outline")
    territory = manager.filter(pk=code).first()
    if territory is None:
        raise Http404(_("Aucun territoire ne porte ce code."))
    return territory


def _unavailable(request, status: int = 503):
    return render(request, "territories/unavailable.html", {"message": UNAVAILABLE}, status=status)


@require_GET
def region_list(request):
    try:
        by_region = counts.covered("region")
    except OutdatedIndex:
        return _unavailable(request)
    regions = [(region, by_region.get(region.code, 0)) for region in Region.objects.order_by("name")]
    return render(request, "territories/region_list.html", {"regions": regions})


@require_GET
def territory_detail(request, level: str, code: str):
    if level == "commune" and (commune := commune_by_code(code)) is not None and commune.pk != code:
        return redirect(LEVELS["commune"].url(commune.pk), permanent=True)  # an arrondissement's code
    territory = find_territory(level, code)
    if level == "region" and request.GET.get("departement"):
        # The former « région › département » filter of this page now has a page of its own.
        departement = Departement.objects.filter(pk=request.GET["departement"], region=territory).first()
        if departement is not None:
            return redirect(LEVELS["departement"].url(departement.pk), permanent=True)
    try:
        context = territory_context(level, territory, parse_choices(level, request.GET))
    except search.SearchError as error:
        return render(request, "territories/unavailable.html", {"message": str(error)}, status=400)
    except OutdatedIndex:
        return _unavailable(request)
    return render(request, "territories/territory_detail.html", context)


@require_GET
def territory_gaps(request, level: str, code: str):
    territory = find_territory(level, code)
    basis = request.GET.get("comparer") if request.GET.get("comparer") in gaps.BASES else gaps.BASES[0]
    try:
        analysis = gaps.analyse(level, territory, basis)
    except OutdatedIndex:
        return _unavailable(request)
    names = dict(LEVELS[level].model.objects.filter(pk__in=[p.code for p in analysis.peers]).values_list("pk", "name"))
    value_labels = {
        facet: labels(facet, [g.value for g in analysis.gaps if g.facet == facet]) for facet in gaps.GAP_FACETS
    }
    context = {
        "level": LEVELS[level],
        "territory": territory,
        "trail": trail(level, territory),
        "analysis": analysis,
        "peers": [(peer, names.get(peer.code, peer.code), LEVELS[level].url(peer.code)) for peer in analysis.peers],
        "gaps": [(gap, value_labels[gap.facet].get(gap.value, gap.value)) for gap in analysis.gaps],
        "basis": basis,
        "min_comparables": gaps.MIN_COMPARABLES,
        "min_presence": round(gaps.MIN_PRESENCE * 100),
        "rare_share": round(gaps.RARE_SHARE * 100),
    }
    return render(request, "territories/gaps.html", context)


@require_GET
@cache_control(max_age=86400, public=True)
def children_shapes(request, level: str, code: str, child_level: str):
    territory = find_territory(level, code)
    if child_level not in LEVELS[level].children:
        raise Http404(_("Ce découpage n'existe pas pour ce territoire."))
    return HttpResponse(shapes.children_geojson(level, territory.pk, child_level), content_type="application/geo+json")


@require_GET
@cache_control(max_age=86400, public=True)
def outline(request, level: str, code: str):
    territory = find_territory(level, code)
    return HttpResponse(shapes.outline_geojson(level, territory.pk), content_type="application/geo+json")


@require_GET
@cache_control(max_age=86400, public=True)
def departement_outlines(request):
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": json.loads(outline),
        }
        for code, name, outline in Departement.objects.exclude(outline="").values_list("code", "name", "outline")
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")
