"""The French analyser: the same words meet at index and query time, whatever the accents, plurals and spellings."""

import pytest

from carrefour.core.text import fold
from carrefour.search.analysis import (
    analyse,
    analyse_query,
    highlight,
    index_words,
    snippet,
    stop_words,
    synonym_groups,
    tokens,
)


def query_terms(text):
    return analyse_query(text).terms


# Equivalences of the issue's « Relevance » section -------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("tiers-lieux", "tiers lieu", "Tiers-Lieu", "tiers lieux", "tierslieu"),
        ("epicerie", "Épiceries"),
        ("velos", "vélo"),
        ("jardins partages", "jardin partagé"),
        ("l'économie", "economie"),
    ],
)
def test_equivalent_queries_give_the_same_terms(forms):
    assert len({tuple(query_terms(form)) for form in forms}) == 1


@pytest.mark.parametrize("query", ["tiers lieux", "Tiers-Lieu", "vélos", "Épiceries", "jardins partages", "l'économie"])
def test_every_query_term_is_among_the_index_terms_of_a_matching_text(query):
    text = "Un tiers-lieu avec une épicerie, des vélos et un jardin partagé au service de l’économie locale."
    assert set(query_terms(query)) <= set(analyse(text))


def test_unaccented_words_meet_accented_words_because_words_are_folded_before_stemming():
    for accented, plain in [("activité", "activite"), ("solidarité", "solidarite"), ("mobilités", "mobilites")]:
        assert analyse(accented) == analyse(plain)


def test_masculine_feminine_and_plural_participles_meet():
    assert len({tuple(analyse(word)) for word in ["partagé", "partagée", "partagés", "partagées", "partagees"]}) == 1


@pytest.mark.parametrize("singular, plural", [("lieu", "lieux"), ("vélo", "vélos"), ("jardin", "jardins")])
def test_plural_rule_makes_singular_and_plural_meet(singular, plural):
    assert analyse(singular) == analyse(plural)


def test_numbers_are_kept():
    assert {"75011", "2024"} <= set(analyse("Ouvert depuis 2024, 12 rue Oberkampf 75011 Paris"))


def test_hyphens_split_words():
    assert analyse("Saint-Étienne") == analyse("saint etienne")
    assert len(analyse("Saint-Étienne")) == 2


def test_decomposed_accents_are_folded_like_composed_ones():
    assert analyse("e\u0301conomie") == analyse("économie")


# Elisions and stop words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("l’économie", "économie"),
        ("L'Économie", "économie"),
        ("d’épicerie", "épicerie"),
        ("qu'insertion", "insertion"),
        ("jusqu’aux jardins", "jardins"),
        ("lorsqu'habitat", "habitat"),
        ("puisqu’accueil", "accueil"),
        ("s'engager", "engager"),
        ("n’importe", "importe"),
    ],
)
def test_elisions_are_removed_with_straight_and_curly_apostrophes(text, expected):
    assert analyse(text) == analyse(expected)
    assert analyse_query(text).raw_words[-1] == fold(expected.split()[-1])


def test_stop_words_are_removed():
    assert analyse("le jardin de la ville et des habitants") == analyse("jardin ville habitants")


def test_a_query_of_stop_words_only_keeps_them():
    assert analyse_query("le la les").terms == ["le", "la"]  # « les » stems to « le »


@pytest.mark.parametrize(
    "word", ["sans", "pas", "est", "vers", "car", "etre", "bien", "ete", "plus", "contre", "tiers"]
)
def test_words_meaningful_in_the_domain_or_in_place_names_are_not_stop_words(word):
    assert word not in stop_words()


def test_stop_words_file_holds_folded_words():
    assert len(stop_words()) > 100
    assert all(fold(word) == word and " " not in word for word in stop_words())


# Synonyms -----------------------------------------------------------------------------------------------------


def test_synonym_groups_have_two_expressions_or_more_and_unique_canonical_tokens():
    groups = synonym_groups()
    assert 25 <= len(groups) <= 45
    assert all(len(group.expressions) >= 2 for group in groups)
    assert len({group.canonical for group in groups}) == len(groups)


def test_every_synonym_expression_is_understood_as_its_canonical_token_and_indexed_with_it():
    for group in synonym_groups():
        for expression in group.expressions:
            assert query_terms(expression) == [group.canonical], expression
            assert group.canonical in analyse(f"Présentation : {expression}, depuis 2020."), expression


def test_a_canonical_token_is_not_the_analysed_form_of_another_groups_expression():
    canonical = {group.canonical for group in synonym_groups()}
    for group in synonym_groups():
        for expression in group.expressions:
            words = [token.term for token in tokens(expression) if token.term != group.canonical]
            assert not set(words) & (canonical - {group.canonical}), expression


def test_index_analysis_adds_the_canonical_token_and_keeps_the_words():
    terms = analyse("Une coopérative de l’économie sociale et solidaire")
    assert "ess" in terms
    assert analyse("économie")[0] in terms


def test_query_replaces_an_expression_by_its_canonical_token_only():
    assert query_terms("économie sociale et solidaire à Lyon") == ["ess", "lyon"]
    assert query_terms("tiers lieux") == ["tierslieu"]
    assert query_terms("ESS") == ["ess"]


def test_inflected_forms_of_an_expression_match_the_synonym():
    assert query_terms("Épiceries Solidaires") == query_terms("épicerie sociale") == ["episol"]
    assert query_terms("les recycleries") == ["ressourcerie"]


def test_the_longest_expression_wins():
    assert query_terms("épicerie sociale et solidaire") == ["episol"]
    assert query_terms("sans domicile fixe") == ["sansabri"]


def test_canonical_token_shares_the_first_words_position_so_phrases_on_the_words_still_match():
    by_term = {token.term: token for token in tokens("Le tiers-lieu culturel")}
    assert by_term["tierslieu"].position == by_term["tier"].position
    assert [by_term[term].position for term in ("tier", "lieu", "culturel")] == [0, 1, 2]
    assert analyse("Le tiers-lieu culturel") == [token.term for token in tokens("Le tiers-lieu culturel")]


# Query parsing ------------------------------------------------------------------------------------------------


def test_double_quoted_parts_are_phrases_of_analysed_words():
    query = analyse_query('"jardin des plantes" vélo')
    assert query.phrases == [["jardin", "plant"]]
    assert query.terms == ["velo"]


def test_french_quotation_marks_make_phrases_too():
    assert analyse_query("« tiers lieu culturel » ").phrases == [["tier", "lieu", "culturel"]]


def test_a_phrase_that_is_one_synonym_expression_or_one_word_is_a_term():
    assert analyse_query('"économie sociale et solidaire"').terms == ["ess"]
    assert analyse_query('"vélos" jardin ').terms == ["velo", "jardin"]
    assert analyse_query('"vélos" jardin ').phrases == []


def test_an_unclosed_quote_is_read_as_plain_words():
    query = analyse_query('jardin "partagé bio')
    assert query.phrases == []
    assert query.terms == ["jardinpartage", "bio"]


def test_the_last_word_is_a_folded_unstemmed_prefix_while_typing():
    query = analyse_query("jardin l'épice")
    assert query.prefix == "epice"
    assert query.terms_before_prefix == ["jardin"]
    assert query.terms == ["jardin", "epic"]


def test_no_prefix_after_a_space_punctuation_or_a_closed_quote():
    for text in ["jardin ", "jardin,", '"jardin"', "l'", ""]:
        query = analyse_query(text)
        assert query.prefix is None, text
        assert query.terms_before_prefix == query.terms


def test_every_partial_word_prefixes_its_folded_index_word():
    for word in ["Épiceries", "réparation", "alimentation", "accompagnement", "associations"]:
        for length in range(1, len(word) + 1):
            prefix = analyse_query(word[:length]).prefix
            assert index_words(word)[0].startswith(prefix), (word, prefix)


def test_stemmed_prefix_prefixes_the_stemmed_term():
    assert analyse_query("épiceri").stemmed_prefix == "epicer"
    assert analyse("épiceries")[0].startswith(analyse_query("épiceri").stemmed_prefix)
    assert analyse_query("jardin ").stemmed_prefix is None


def test_raw_words_are_folded_and_keep_stop_words_for_spelling_suggestions():
    assert analyse_query("Ressourcrie de Lyon").raw_words == ["ressourcrie", "de", "lyon"]


# Highlighting -------------------------------------------------------------------------------------------------


def test_highlight_marks_accented_plural_words_for_an_unaccented_query():
    html = highlight("Atelier de réparation de Vélos", set(query_terms("velo")))
    assert html == "Atelier de réparation de <mark>Vélos</mark>"


def test_highlight_escapes_html():
    html = highlight("<script>alert('vélo')</script> vélo & co", {"velo"})
    assert "<script>" not in html
    assert html.startswith("&lt;script&gt;alert(&#x27;<mark>vélo</mark>&#x27;)&lt;/script&gt;")
    assert html.endswith("<mark>vélo</mark> &amp; co")


def test_highlight_marks_a_whole_synonym_expression():
    html = highlight("Acteur de l’économie sociale et solidaire.", set(query_terms("ESS")))
    assert html == "Acteur de l’<mark>économie sociale et solidaire</mark>."


def test_highlight_marks_the_prefix_while_typing():
    assert highlight("Épicerie du quartier", set(), prefix="epic") == "<mark>Épicerie</mark> du quartier"


def test_snippet_returns_a_short_text_whole():
    assert snippet("Un vélo", {"velo"}) == "Un <mark>vélo</mark>"


def test_snippet_chooses_the_window_with_the_most_matches():
    filler = "lorem ipsum dolor sit amet " * 20
    text = f"Un jardin. {filler}Le jardin du jardin des plantes, un jardin. {filler}Fin."
    html = snippet(text, {"jardin"}, length=120)
    assert html.count("<mark>") == 3
    assert html.startswith("…") and html.endswith("…")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_snippet_cuts_between_words_and_escapes_html():
    text = "<b>" + "mot " * 100 + "vélo " + "mot " * 100
    html = snippet(text, {"velo"}, length=60)
    assert "<b>" not in html and "<mark>vélo</mark>" in html
    assert all(part in ("mot", "<mark>vélo</mark>") for part in html.strip("…").split())


# Robustness ---------------------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "'",
    "’’’",
    '"',
    '"""',
    "« »",
    "«",
    "l'",
    "l’ ",
    "-",
    "- - -",
    "🙂",
    "👩‍👩‍👧 vélo 🙂",
    "\x00",
    "\u200b",
    "a\ud800b",
    "a" * 10_000,
    "é" * 10_000,
    "tiers-lieu " * 1_000,
    "'\"«»-" * 2_000,
    "<script>alert(1)</script>",
    "title:vélo AND NOT (a OR b)* ~2 ^3",
    "\\",
    "İstanbul ǅ ß Ⅻ ½ ١٢٣ 東京",
    "e\u0301\u0301\u0301",
    "\u0301",
    "\n\t\r",
]


@pytest.mark.parametrize("text", NASTY)
def test_analysis_never_raises_on_odd_input(text):
    assert isinstance(analyse(text), list)
    assert isinstance(tokens(text), list)
    query = analyse_query(text)
    assert all(isinstance(term, str) and term for term in query.terms)
    assert all(len(phrase) > 1 for phrase in query.phrases)
    assert isinstance(highlight(text, set(query.terms) | {"a"}), str)
    assert isinstance(snippet(text, set(query.terms), length=50), str)
    assert query.stemmed_prefix is None or isinstance(query.stemmed_prefix, str)
