"""Filters of `GET /api/v1/initiatives`: the search's filter names and value rules, applied with the ORM.

The list is a harvest of the catalogue in a stable order (id, or last update), so that a cursor can page through it
while rows change; ranking by relevance or distance belongs to `/api/v1/search`, answered by the search engine.
Each filter below means what the search facet of the same name means (`carrefour.search.documents.facet_values`):
several values of one filter are alternatives (OR), different filters all apply (AND).
"""

import re

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from carrefour.catalog.models import Role, Stakeholder
from carrefour.search.filters import FACET_LABELS
from carrefour.search.types import FACETS, MAX_FILTER_VALUES
from carrefour.sources.models import SourceRecord

# Same value syntax as the search (carrefour.search.params): taxonomy codes, INSEE codes, SIREN, source slugs.
FACET_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}")
SORTS = {"id": "pk", "updated_at": "updated_at"}


class FilterError(ValueError):
    def __init__(self, errors: list[dict]):
        super().__init__(" ".join(item["message"] for item in errors))
        self.errors = errors


def _condition(facet: str, values: list[str]) -> Q:
    if facet == "theme":
        return Q(themes__code__in=values, themes__parent__isnull=True) | Q(
            themes__parent__code__in=values, themes__parent__parent__isnull=True
        )
    if facet == "subtheme":
        return Q(themes__code__in=values, themes__parent__isnull=False)
    simple = {
        "public": "publics__code__in",
        "type": "place_types__code__in",
        "stage": "stage__code__in",
        "scale": "scale__code__in",
        "region": "locations__commune__region_id__in",
        "departement": "locations__commune__departement_id__in",
        "epci": "locations__commune__epci_id__in",
        "commune": "locations__commune_id__in",
    }
    if facet in simple:
        return Q(**{simple[facet]: values})
    if facet == "source":
        return Q(pk__in=SourceRecord.objects.filter(source__slug__in=values).values("initiative_id"))
    if facet == "org_type":
        carried = Stakeholder.objects.filter(role=Role.CARRIER, organisation__structure_type__code__in=values)
        return Q(pk__in=carried.values("initiative_id"))
    raise AssertionError(facet)


def facet_values(params) -> tuple[dict[str, list[str]], list[dict]]:
    selected: dict[str, list[str]] = {}
    errors = []
    for facet in FACETS:
        values = list(dict.fromkeys(v.strip() for v in params.getlist(facet) if v.strip()))
        for value in values:
            if not FACET_VALUE.fullmatch(value):
                message = _("Valeur non reconnue pour le filtre « %(label)s » (%(facet)s) : « %(value)s ».") % {
                    "label": FACET_LABELS[facet],
                    "facet": facet,
                    "value": value[:40],
                }
                errors.append({"param": facet, "message": message})
        if values:
            selected[facet] = values
    total = sum(len(values) for values in selected.values())
    if total > MAX_FILTER_VALUES:
        message = _("%(count)s valeurs de filtre sont choisies, %(max)s au plus sont possibles : retirez-en.") % {
            "count": total,
            "max": MAX_FILTER_VALUES,
        }
        errors.append({"param": "filters", "message": message})
    return selected, errors


def apply(queryset: QuerySet, params) -> tuple[QuerySet, str]:
    """Filter `queryset` by the query string; returns it with the sort key. Raises FilterError (French messages)."""
    selected, errors = facet_values(params)
    sort = (params.get("sort") or "id").strip()
    if sort not in SORTS:
        message = _("Tri inconnu : « %(sort)s ». Choisissez id ou updated_at.") % {"sort": sort[:40]}
        errors.append({"param": "sort", "message": message})
    since = None
    raw_since = (params.get("updated_since") or "").strip()
    if raw_since:
        since = _datetime(raw_since)
        if since is None:
            errors.append(
                {
                    "param": "updated_since",
                    "message": _("« updated_since » doit être une date ISO 8601, par exemple 2025-01-31T12:00:00Z."),
                }
            )
    if errors:
        raise FilterError(errors)
    for facet, values in selected.items():
        # One subquery per filter: joins of different filters never multiply rows.
        ids = queryset.model.objects.filter(_condition(facet, values)).values("pk")
        queryset = queryset.filter(pk__in=ids)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    return queryset, sort


def _datetime(text: str):
    try:
        value = parse_datetime(text[:40])
    except ValueError:
        return None
    if value is None or value.tzinfo is None:
        return None
    return value
