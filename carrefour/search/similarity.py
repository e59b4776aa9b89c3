"""« Ils font la même chose ailleurs » : initiatives of the same type sharing themes, carried by someone else,
preferably in another département."""

import tantivy

from carrefour.catalog.models import Initiative, Role
from carrefour.search import ranking, store
from carrefour.search.documents import departement_key
from carrefour.search.hits import build_hit
from carrefour.search.schema import ORG_FIELD, SCHEMA
from carrefour.search.types import Hit

Occur = tantivy.Occur
Query = tantivy.Query
TYPE_WEIGHT = 3.0
THEME_WEIGHT = 1.0
SUBTHEME_WEIGHT = 0.5
ELSEWHERE_BONUS = 1.5
QUALITY_WEIGHT = 1.0
POOL = 60


def similar(initiative: Initiative, limit: int = 6) -> list[Hit]:
    query = _query(initiative)
    if query is None:
        return []
    searcher = store.searcher()
    pool = ranking.plain(searcher, searcher.search(query, POOL, count=False).hits)
    qualities = searcher.fast_field_values("quality", [candidate.address for candidate in pool]) if pool else []
    home = {departement_key(code) for code in _departements(initiative)}
    for candidate, quality in zip(pool, qualities, strict=True):
        candidate.quality = quality or 0.0
        elsewhere = ELSEWHERE_BONUS if candidate.departement not in home else 0.0
        candidate.score = candidate.raw + elsewhere + QUALITY_WEIGHT * candidate.quality
        candidate.explanation = {"shared": candidate.raw, "elsewhere": elsewhere, "quality": candidate.quality}
    pool.sort(key=ranking.rank_key)
    chosen, carriers = [], set()
    for candidate in pool:
        if candidate.carrier and candidate.carrier in carriers:
            continue  # one sheet per carrying organisation
        carriers.add(candidate.carrier)
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return [build_hit(searcher, candidate, set()) for candidate in chosen]


def _query(initiative: Initiative) -> Query | None:
    """Same place type (weight 3) or shared themes (1, sub-themes 0.5), never itself nor its carriers' sheets."""
    # `.all()` throughout: the sheet's view has prefetched these relations, so this reads no database row again.
    types = [term.code for term in initiative.place_types.all()]
    themes = [(term.code, term.parent_id) for term in initiative.themes.all()]
    should = [Query.const_score_query(Query.term_query(SCHEMA, "type", code), TYPE_WEIGHT) for code in types]
    for code, parent_id in themes:
        field, weight = ("subtheme", SUBTHEME_WEIGHT) if parent_id else ("theme", THEME_WEIGHT)
        should.append(Query.const_score_query(Query.term_query(SCHEMA, field, code), weight))
    if not should:
        return None
    carriers = [stake.organisation_id for stake in initiative.stakeholders.all() if stake.role == Role.CARRIER]
    must_not = [Query.term_query(SCHEMA, "id", initiative.pk)]
    must_not += [Query.term_query(SCHEMA, ORG_FIELD, str(pk)) for pk in carriers]
    clauses = [(Occur.Should, clause) for clause in should] + [(Occur.MustNot, clause) for clause in must_not]
    return Query.boolean_query(clauses, minimum_number_should_match=1)


def _departements(initiative: Initiative) -> set[str]:
    return {location.commune.departement_id for location in initiative.locations.all()}
