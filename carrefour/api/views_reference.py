"""Reference data of the public API: territories (régions, départements, EPCI, communes) and the taxonomy."""

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from carrefour.api.responses import conditional, envelope, error, not_found, read_only
from carrefour.api.views_read import paged
from carrefour.catalog.models import Crosswalk, Initiative, Term, Vocabulary
from carrefour.territories.models import EPCI, Commune, Departement, Region

THEMES_THROUGH = Initiative.themes.through


def _ref(request, kind: str, code: str | None, name: str | None) -> dict | None:
    if not code:
        return None
    return {"code": code, "name": name, "api_url": request.build_absolute_uri(f"/api/v1/territories/{kind}/{code}")}


def region(request, item: Region) -> dict:
    return {"code": item.code, "name": item.name, "population": item.population}


def departement(request, item: Departement) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "population": item.population,
        "region": _ref(request, "regions", item.region_id, item.region.name),
    }


def epci(request, item: EPCI) -> dict:
    return {"code": item.code, "name": item.name, "kind": item.kind, "population": item.population}


def commune(request, item: Commune) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "population": item.population,
        "latitude": item.latitude,
        "longitude": item.longitude,
        "postal_codes": sorted({postal.code for postal in item.postal_codes.all()}),
        "departement": _ref(request, "departements", item.departement_id, item.departement.name),
        "region": _ref(request, "regions", item.region_id, item.region.name),
        "epci": _ref(request, "epci", item.epci_id, item.epci.name if item.epci_id else None),
    }


# kind → (model, serializer, queryset, allowed filters {param: lookup}, location lookup of its initiatives)
KINDS = {
    "regions": (Region, region, lambda: Region.objects.all(), {}, "locations__commune__region_id"),
    "departements": (
        Departement,
        departement,
        lambda: Departement.objects.select_related("region"),
        {"region": "region_id"},
        "locations__commune__departement_id",
    ),
    "epci": (EPCI, epci, lambda: EPCI.objects.all(), {}, "locations__commune__epci_id"),
    "communes": (
        Commune,
        commune,
        lambda: Commune.objects.select_related("departement", "region", "epci").prefetch_related("postal_codes"),
        {"region": "region_id", "departement": "departement_id", "epci": "epci_id"},
        "locations__commune_id",
    ),
}


@read_only
def territory_list(request, kind: str):
    _model, serialize, queryset, allowed, _lookup = KINDS[kind]
    rows = queryset()
    for param, lookup in allowed.items():
        value = (request.GET.get(param) or "").strip().upper()
        if value:
            if len(value) > 9 or not value.isalnum():
                message = _("Code de territoire invalide pour « %(param)s ».") % {"param": param}
                return error(message, 400, [{"param": param, "message": message}])
            rows = rows.filter(**{lookup: value})
    return paged(request, rows, lambda row: serialize(request, row))


@read_only
def territory_detail(request, kind: str, code: str):
    _model, serialize, queryset, _allowed, lookup = KINDS[kind]
    item = queryset().filter(pk=code.upper()[:9]).first()
    if item is None:
        return not_found()
    data = serialize(request, item)
    data["counts"] = counts(lookup, item.pk)
    return conditional(request, envelope(data))


def counts(lookup: str, code: str) -> dict:
    """Published initiatives located in the territory, in all and per top-level theme."""
    ids = Initiative.published.filter(**{lookup: code}).values("pk").distinct()
    total = Initiative.published.filter(pk__in=ids).count()
    theme_rows = THEMES_THROUGH.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "term__code", "term__parent__code"
    )
    per_theme: dict[str, set[int]] = {}
    for initiative_id, code_, parent in theme_rows:
        per_theme.setdefault(parent or code_, set()).add(initiative_id)
    labels = dict(Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True).values_list("code", "label"))
    by_theme = Counter({code_: len(members) for code_, members in per_theme.items()})
    return {
        "initiatives": total,
        "by_theme": [
            {"code": code_, "label": labels.get(code_, code_), "count": n}
            for code_, n in sorted(by_theme.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
    }


@read_only
def taxonomy(request):
    wanted = (request.GET.get("vocabulary") or "").strip()
    if wanted and wanted not in Vocabulary.values:
        message = _("Vocabulaire inconnu : « %(name)s ». Vocabulaires : %(known)s.") % {
            "name": wanted[:40],
            "known": ", ".join(Vocabulary.values),
        }
        return error(message, 400, [{"param": "vocabulary", "message": message}])
    terms = Term.objects.select_related("parent").order_by("vocabulary", "position", "code")
    if wanted:
        terms = terms.filter(vocabulary=wanted)
    crosswalks: dict[int, list[dict]] = {}
    rows = Crosswalk.objects.filter(Q(term__vocabulary=wanted) if wanted else Q()).order_by("scheme", "source_code")
    for row in rows:
        crosswalks.setdefault(row.term_id, []).append(
            {"scheme": row.scheme, "code": row.source_code, "label": row.source_label}
        )
    by_vocabulary: dict[str, list[dict]] = {}
    for item in terms:
        by_vocabulary.setdefault(item.vocabulary, []).append(
            {
                "code": item.code,
                "label": item.label,
                "slug": item.slug,
                "description": item.description,
                "parent": item.parent.code if item.parent_id else None,
                "position": item.position,
                "since_version": item.since_version,
                "is_active": item.is_active,
                "crosswalks": crosswalks.get(item.pk, []),
            }
        )
    vocabularies = [
        {"code": code, "label": str(label), "terms": by_vocabulary.get(code, [])}
        for code, label in Vocabulary.choices
        if not wanted or code == wanted
    ]
    return conditional(request, envelope({"vocabularies": vocabularies}))
