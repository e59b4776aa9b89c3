"""The places where the type checker met the search engine's untyped edges: tantivy's results, stored payloads and
the benchmark's query mix (see the mypy section of pyproject.toml)."""

import pytest
import tantivy

from carrefour.search.bench import peer_sql
from carrefour.search.bench.queries import LYON, BenchQuery
from carrefour.search.schema import PAYLOAD_FIELD, match_count, read_payload


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", tokenizer_name="raw")
    builder.add_bytes_field(PAYLOAD_FIELD, stored=True)
    return builder.build()


def small_index(with_payload: bool) -> tantivy.Searcher:
    index = tantivy.Index(schema())
    writer = index.writer(15_000_000, 1)
    for body in ("jardin", "jardin", "atelier"):
        document = tantivy.Document()
        document.add_text("body", body)
        if with_payload:
            document.add_bytes(PAYLOAD_FIELD, '{"name": "Jardin partagé"}'.encode())
        writer.add_document(document)
    writer.commit()
    index.reload()
    return index.searcher()


def jardin() -> tantivy.Query:
    return tantivy.Query.term_query(schema(), "body", "jardin")


def test_match_count_reads_the_count_of_a_counting_search():
    searcher = small_index(with_payload=True)
    assert match_count(searcher.search(jardin(), 1, count=True)) == 2


def test_match_count_refuses_a_search_run_without_counting():
    searcher = small_index(with_payload=True)
    with pytest.raises(ValueError, match="count=True"):
        match_count(searcher.search(jardin(), 1, count=False))


def test_read_payload_returns_the_stored_json():
    searcher = small_index(with_payload=True)
    _, address = searcher.search(jardin(), 1).hits[0]
    assert read_payload(searcher, address) == {"name": "Jardin partagé"}


def test_a_document_without_payload_names_the_cure_instead_of_a_type_error():
    searcher = small_index(with_payload=False)
    _, address = searcher.search(jardin(), 1).hits[0]
    with pytest.raises(LookupError, match="carrefour reindex"):
        read_payload(searcher, address)


def test_a_bench_query_near_a_point_without_radius_orders_by_distance_without_filtering():
    query = BenchQuery("radius", near=LYON)
    statements = peer_sql.statements(query)
    page_sql, page_params = statements[0]
    count_sql, _ = statements[1]
    assert "earth_box" not in count_sql  # no circle: every row counts
    assert "ORDER BY score ASC" in page_sql and "earth_distance" in page_sql
    assert page_params[:2] == LYON
    assert query.label == "autour de 45.764,4.8357"
    assert query.api_query_string() == "near=45.764%2C4.8357"


def test_a_bench_query_with_a_radius_still_filters_on_the_circle():
    query = BenchQuery("radius", near=LYON, radius_km=10)
    count_sql, count_params = peer_sql.statements(query)[1]
    assert "earth_box" in count_sql and 10_000 in count_params
    assert query.label == "10 km autour de 45.764,4.8357"
    assert query.api_query_string() == "near=45.764%2C4.8357&radius_km=10"
