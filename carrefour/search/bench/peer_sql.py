"""The statements the peer recipe runs for one query of the mix: a page of 20, the count, and six facet counts.

Free text goes through `websearch_to_tsquery` (all terms required, quoted phrases) on the French `fr_unaccent`
configuration and is ranked by `ts_rank`; prefixes through `to_tsquery('… & last:*')` built from word tokens; typos
through pg_trgm (`word_similarity` over name and summary, GIN trigram index), since full text search has no typo
tolerance. Each facet is counted by GROUP BY over the filtered set without its own filter, like ours.
"""

import re
from dataclasses import dataclass

from carrefour.search.bench.peer_data import TABLE
from carrefour.search.bench.queries import BENCH_FACETS, BenchQuery

PAGE_SIZE = 20
CONFIG = "'fr_unaccent'"
# Facet name → (column, is an array).
FACET_COLUMNS = {
    "theme": ("themes", True),
    "public": ("publics", True),
    "type": ("types", True),
    "stage": ("stage", False),
    "region": ("regions", True),
    "departement": ("departements", True),
}


@dataclass(frozen=True)
class Clause:
    sql: str
    params: tuple = ()


def text_method(query: BenchQuery) -> str:
    """How the peer recipe answers the text of this query: "websearch", "prefix" or "trigram"."""
    return {"typo": "trigram", "prefix": "prefix"}.get(query.group, "websearch")


def statements(query: BenchQuery) -> list[tuple[str, tuple]]:
    """The (sql, params) the peer runs for the query: page, count, then one per facet of BENCH_FACETS."""
    conditions = _conditions(query)
    where = _where(conditions.values())
    result = [_page(query, where), (f"SELECT count(*) FROM {TABLE} WHERE {where.sql}", where.params)]  # nosec B608 - identifiers from module constants, values as parameters
    for facet in BENCH_FACETS:
        column, is_array = FACET_COLUMNS[facet]
        others = _where(clause for key, clause in conditions.items() if key != facet)
        if is_array:
            source = f"{TABLE} CROSS JOIN LATERAL unnest({column}) AS v"
            sql = f"SELECT v, count(*) FROM {source} WHERE {others.sql} GROUP BY v"  # nosec B608 - identifiers from module constants, values as parameters
        else:
            sql = f"SELECT {column}, count(*) FROM {TABLE} WHERE {others.sql} GROUP BY {column}"  # nosec B608 - identifiers from module constants, values as parameters
        result.append((sql, others.params))
    return result


def _tsquery(query: BenchQuery) -> Clause:
    if text_method(query) == "prefix":
        words = re.findall(r"\w+", query.text)
        expression = " & ".join([*words[:-1], f"{words[-1]}:*"])
        return Clause(f"to_tsquery({CONFIG}, %s)", (expression,))
    return Clause(f"websearch_to_tsquery({CONFIG}, %s)", (query.text,))


def _conditions(query: BenchQuery) -> dict[str, Clause]:
    conditions: dict[str, Clause] = {}
    if query.text and text_method(query) == "trigram":
        conditions["text"] = Clause("%s <%% short_text", (query.text,))
    elif query.text:
        tsquery = _tsquery(query)
        conditions["text"] = Clause(f"document @@ {tsquery.sql}", tsquery.params)
    for facet, values in query.filters.items():
        column, is_array = FACET_COLUMNS[facet]
        operator = f"{column} && %s::text[]" if is_array else f"{column} = ANY(%s::text[])"
        conditions[facet] = Clause(operator, (list(values),))
    if query.near and query.radius_km is not None:  # without a radius, a point only orders (see `_score`)
        lat, lon = query.near
        metres = query.radius_km * 1000
        conditions["geo"] = Clause(
            "earth_box(ll_to_earth(%s, %s), %s) @> ll_to_earth(lat, lon) "
            "AND earth_distance(ll_to_earth(%s, %s), ll_to_earth(lat, lon)) <= %s",
            (lat, lon, metres, lat, lon, metres),
        )
    if query.bbox:
        west, south, east, north = query.bbox
        conditions["bbox"] = Clause("lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s", (south, north, west, east))
    return conditions


def _where(clauses) -> Clause:
    clauses = list(clauses)
    if not clauses:
        return Clause("TRUE")
    return Clause(" AND ".join(f"({clause.sql})" for clause in clauses), sum((c.params for c in clauses), ()))


def _score(query: BenchQuery) -> tuple[Clause, str]:
    """The ranking expression and its direction."""
    if query.text and text_method(query) == "trigram":
        return Clause("word_similarity(%s, short_text)", (query.text,)), "DESC"
    if query.text:
        tsquery = _tsquery(query)
        return Clause(f"ts_rank(document, {tsquery.sql})", tsquery.params), "DESC"
    if query.near:
        return Clause("earth_distance(ll_to_earth(%s, %s), ll_to_earth(lat, lon))", query.near), "ASC"
    return Clause("name"), "ASC"


def _page(query: BenchQuery, where: Clause) -> tuple[str, tuple]:
    """The first page, with a highlighted summary (`ts_headline`) computed on its 20 rows only."""
    score, direction = _score(query)
    inner = (
        f"SELECT id, name, summary, {score.sql} AS score FROM {TABLE} WHERE {where.sql} "  # nosec B608 - identifiers from module constants, values as parameters
        f"ORDER BY score {direction} LIMIT {PAGE_SIZE}"
    )
    params = score.params + where.params
    snippet = "summary"
    if query.text and text_method(query) != "trigram":
        tsquery = _tsquery(query)
        snippet = f"ts_headline({CONFIG}, summary, {tsquery.sql})"
        params = tsquery.params + params
    return f"SELECT id, name, {snippet} FROM ({inner}) AS page ORDER BY score {direction}", params  # nosec B608 - identifiers from module constants, values as parameters
