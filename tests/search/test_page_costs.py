"""What keeps the search page and a sheet cheap under load (issue 8's load target): how many queries they make, and the
one-pass facet check boxes, which must escape every text they write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carrefour.search.templatetags.search_extras import facet_values
from carrefour.search.types import FacetValue
from tests.search_corpus import build_search_corpus


@pytest.fixture
def corpus(db, settings, tmp_path):
    return build_search_corpus(settings, tmp_path / "page-costs-index")


def queries_of(client, path: str, **params) -> list[str]:
    client.get(path, params)  # once for what a first request loads (cached labels, sessions table…)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_facet_check_boxes_escape_codes_and_labels():
    html = facet_values(
        "theme", [FacetValue('a"b', "<script>x</script> & co", 3, selected=True), FacetValue("c", "C", 1)]
    )
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; co" in html
    assert 'value="a&quot;b" id="f-theme-a&quot;b" checked>' in html
    assert html.count("<li>") == 2 and '<span class="count">(1)</span>' in html


def test_search_page_reads_the_result_lines_in_three_queries_whatever_the_page_size(client, corpus):
    few = queries_of(client, "/recherche/", page_size="1")
    many = queries_of(client, "/recherche/", page_size="50")
    assert len(many) == len(few), "the result lines must not cost a query per result"
    touching = [sql for sql in many if "catalog_" in sql]
    assert len(touching) == 3, touching  # published check, carriers, places


def test_sheet_reads_each_relation_once(client, corpus):
    sql = queries_of(client, corpus.repair.get_absolute_url())
    # The similar initiatives reuse the relations the sheet read (no second read of themes, place types, carriers).
    themes = [query for query in sql if 'FROM "catalog_term" INNER JOIN "catalog_initiative_themes"' in query]
    replications = [query for query in sql if 'WHERE ("catalog_initiative"."replicated_from_id" =' in query]
    assert len(themes) == 1, themes
    assert len(replications) == 1, "\n\n".join(q[-300:] for q in replications)
    assert len(sql) <= 16, "\n".join(sql)
