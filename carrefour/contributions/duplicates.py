"""« Cette initiative existe peut-être déjà »: published sheets with a close name in the same département."""

import logging
from dataclasses import dataclass

from rapidfuzz import fuzz

from carrefour import search
from carrefour.catalog.models import Initiative
from carrefour.core.text import fold
from carrefour.search.types import SearchRequest
from carrefour.territories.models import Commune

logger = logging.getLogger(__name__)
MIN_SIMILARITY = 80
CANDIDATES = 20


@dataclass(frozen=True)
class Candidate:
    name: str
    slug: str
    commune: str
    similarity: int


def likely_duplicates(name: str, commune_code: str | None, exclude_id: int | None = None) -> list[Candidate]:
    """Close names among published sheets of the commune's département, most similar first."""
    folded = fold(name)
    if not folded:
        return []
    departement = Commune.objects.filter(pk=commune_code).values_list("departement_id", flat=True).first()
    try:
        rows = _from_index(name, departement)
    except Exception:  # the index may be missing or rebuilding: the database answers instead
        logger.warning("duplicate check fell back to the database", exc_info=True)
        rows = _from_database(departement)
    found = {}
    for pk, slug, other_name, commune in rows:
        if pk == exclude_id:
            continue
        similarity = round(fuzz.token_set_ratio(folded, fold(other_name)))
        if similarity >= MIN_SIMILARITY:
            found[pk] = Candidate(other_name, slug, commune, similarity)
    return sorted(found.values(), key=lambda c: -c.similarity)


def _from_index(name: str, departement: str | None) -> list[tuple]:
    filters = {"departement": (departement,)} if departement else {}
    request = SearchRequest(text=name[:200], filters=filters, page_size=CANDIDATES, facets=())
    return [(hit.id, hit.slug, hit.name, hit.commune) for hit in search.query(request).hits]


def _from_database(departement: str | None) -> list[tuple]:
    sheets = Initiative.published.all()
    if departement:
        sheets = sheets.filter(locations__commune__departement_id=departement)
    return [
        (pk, slug, name, commune or "")
        for pk, slug, name, commune in sheets.distinct().values_list("pk", "slug", "name", "locations__commune__name")[
            :2000
        ]
    ]
