"""Browse by territory, and the département outlines used as the offline map background."""

import json

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from carrefour.catalog.models import Initiative
from carrefour.catalog.queries import public_results
from carrefour.territories.models import Departement, Region

PAGE_SIZE = 20


def _published_in(prefix: str) -> Q:
    return Q(**{f"{prefix}locations__initiative__status": Initiative.Status.PUBLISHED})


def region_list(request):
    regions = Region.objects.annotate(
        count=Count("communes__locations__initiative", filter=_published_in("communes__"), distinct=True)
    ).order_by("name")
    return render(request, "territories/region_list.html", {"regions": regions})


def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    departements = region.departements.annotate(
        count=Count("communes__locations__initiative", filter=_published_in("communes__"), distinct=True)
    ).order_by("code")
    results = public_results().filter(locations__commune__region=region)
    departement = None
    if request.GET.get("departement"):
        departement = departements.filter(code=request.GET["departement"]).first()
        if departement is not None:
            results = results.filter(locations__commune__departement=departement)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"region": region, "departements": departements, "departement": departement, "page": page}
    return render(request, "territories/region_detail.html", context)


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
