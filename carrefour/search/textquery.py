"""Free text → a tantivy query, built from analysed tokens only (the user's text never reaches a query parser).

- every term is required, in any weighted field (the best field counts, the others a little: a dismax);
- a term absent from the index is replaced by the indexed terms one edit away (a fuzzy query at distance 2 when a
  word of 8 letters or more has none);
- quoted phrases are phrase queries (slop 1: a synonym's canonical token sits just before its expression);
- while typing (the text does not end with a space), the query also matches the other terms plus the last word as
  a prefix of the folded, unstemmed words; both readings are OR'ed, complete words score higher.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

import tantivy

from carrefour.search.analysis import QueryAnalysis, analyse_query, stem
from carrefour.search.schema import ALL_TERMS_FIELD, SCHEMA, TEXT_FIELDS

Occur = tantivy.Occur
Query = tantivy.Query
TIE_BREAKER = 0.2
MIN_FUZZY_LENGTH = 4
LONG_WORD = 8
MIN_PREFIX_LENGTH = 2
MAX_COMPLETIONS = 16
MAX_CORRECTIONS = 3
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
WORDS_FIELD = "words"
PREFIX_WEIGHTS = {"name_words": 2.0, WORDS_FIELD: 1.0}
FUZZY_FIELDS = {"name": TEXT_FIELDS["name"], ALL_TERMS_FIELD: 1.0}
_PREFIX = re.compile(r"[a-z0-9]+")


@dataclass
class TextQuery:
    query: Query | None  # None: no text, everything matches
    analysis: QueryAnalysis
    corrected: dict[str, list[str]] = field(default_factory=dict)  # absent term → indexed terms one edit away

    @cached_property
    def highlight_terms(self) -> frozenset[str]:
        """Computed once per query, not once per hit."""
        return frozenset(self.analysis.terms).union(*self.analysis.phrases)


def build(searcher: tantivy.Searcher, text: str) -> TextQuery:
    analysis = analyse_query(text)
    if not (analysis.terms or analysis.phrases or analysis.prefix):
        return TextQuery(None, analysis)
    corrected: dict[str, list[str]] = {}
    phrases = [_phrase(words) for words in analysis.phrases]
    terms, before, prefix, raw = analysis.terms, analysis.terms_before_prefix, analysis.prefix, analysis.raw_words
    typed = prefix if prefix and len(prefix) >= MIN_PREFIX_LENGTH and _PREFIX.fullmatch(prefix) else None
    # The last word is a stop word (its prefix reading could only narrow) or nothing longer begins it.
    completion = _completion(searcher, typed) if typed is not None and terms != before else None
    query: Query | None
    if completion is not None and len(terms) == len(before) + 1 and terms[:-1] == before:
        # The last word alone has two readings: the word, or the beginning of a longer one.
        last = Query.boolean_query(
            [(Occur.Should, _term(searcher, terms[-1], corrected, raw)), (Occur.Should, completion)]
        )
        query = _every([_term(searcher, term, corrected, raw) for term in before] + [last] + phrases)
    elif completion is not None:  # the last word joins a synonym expression (« tiers lieu »): OR both readings
        full = _all([_term(searcher, term, corrected, raw) for term in terms] + phrases)
        reading = _every([_term(searcher, term, corrected, raw) for term in before] + phrases + [completion])
        query = reading if full is None else Query.boolean_query([(Occur.Should, full), (Occur.Should, reading)])
    else:
        query = _all([_term(searcher, term, corrected, raw) for term in terms] + phrases)
    return TextQuery(query, analysis, corrected)


def _completion(searcher: tantivy.Searcher, prefix: str) -> Query | None:
    """The words that `prefix` begins, other than the word itself and its inflections; None when there are none.

    « atelier » → nothing (ateliers has the same stem: the word reading finds it), so « atelier » and « ateliers »
    find the same sheets; « jardin parta » → partage, partager…; a short prefix beginning many words (« jardin
    part ») matches them all with an automaton.
    """
    completions = searcher.terms_with_prefix(WORDS_FIELD, prefix, limit=MAX_COMPLETIONS + 1)
    if len(completions) > MAX_COMPLETIONS:
        parts = [
            Query.const_score_query(Query.fuzzy_term_query(SCHEMA, name, prefix, 0, True, True), weight)
            for name, weight in PREFIX_WEIGHTS.items()
        ]
        return Query.disjunction_max_query(parts, TIE_BREAKER)
    own, complete = stem(prefix), bool(searcher.doc_freq(WORDS_FIELD, prefix))
    # Typed in full, a word's longer forms are its inflections (partage → partagent, whose stem only extends it).
    others = [word for word, _ in completions if stem(word) != own and not (complete and stem(word).startswith(own))]
    if not others:
        return None
    parts = [
        Query.const_score_query(Query.term_set_query(SCHEMA, name, others), weight)
        for name, weight in PREFIX_WEIGHTS.items()
    ]
    return Query.disjunction_max_query(parts, TIE_BREAKER)


def _all(clauses: list[Query]) -> Query | None:
    """Every clause required; None when there is none."""
    return _every(clauses) if clauses else None


def _every(clauses: list[Query]) -> Query:
    """Every clause required, of at least one."""
    return clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Must, clause) for clause in clauses])


def _term(searcher: tantivy.Searcher, term: str, corrected: dict[str, list[str]], raw_words=()) -> Query:
    """A required term in any weighted field; a term absent from the index is corrected (see `_approximate`)."""
    if searcher.doc_freq(ALL_TERMS_FIELD, term):
        return _in_any_field(searcher, [term])
    if len(term) < MIN_FUZZY_LENGTH:
        return Query.empty_query()
    return _approximate(searcher, term, corrected, raw_words)


def _in_any_field(searcher: tantivy.Searcher, terms: list[str]) -> Query:
    parts = [
        Query.boost_query(Query.term_query(SCHEMA, name, term), weight)
        for name, weight in TEXT_FIELDS.items()
        for term in terms
        if searcher.doc_freq(name, term)
    ]
    if not parts:
        return Query.empty_query()
    return parts[0] if len(parts) == 1 else Query.disjunction_max_query(parts, TIE_BREAKER)


def _approximate(searcher: tantivy.Searcher, term: str, corrected: dict[str, list[str]], raw_words) -> Query:
    """The likeliest indexed words one edit away (found by trying every edit: cheap), scored like words typed;
    for a long word with none, a fuzzy query at distance 2 (costly, so only then).

    Edits are tried on the word as typed first (« ressourcrie » → ressourcerie, not ressources, which is one edit
    away only once both are stemmed), then on its stem (for words found in descriptions only).
    """
    typed = next((word for word in raw_words if stem(word) == term), None)
    found = [stem(word) for word in _likeliest(searcher, WORDS_FIELD, typed)] if typed else []
    found = list(dict.fromkeys(found)) or _likeliest(searcher, ALL_TERMS_FIELD, term)
    corrected[term] = found
    if found:
        return _in_any_field(searcher, found)
    if len(term) < LONG_WORD:
        return Query.empty_query()
    parts = [
        Query.boost_query(Query.fuzzy_term_query(SCHEMA, name, term, 2, True), weight)
        for name, weight in FUZZY_FIELDS.items()
    ]
    return Query.disjunction_max_query(parts, TIE_BREAKER)


def _likeliest(searcher: tantivy.Searcher, field: str, word: str) -> list[str]:
    """Indexed values of `field` one edit away from `word`, most frequent first; a rare neighbour (« jarn », a
    place name) does not compete with a frequent one (« jardin »)."""
    candidates = sorted(((searcher.doc_freq(field, edit), edit) for edit in edits(word)), reverse=True)
    best = candidates[0][0] if candidates else 0
    return [edit for frequency, edit in candidates[:MAX_CORRECTIONS] if frequency and frequency >= best / 10]


def edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion (of a letter) away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + letter + right[1:] for left, right in splits if right for letter in ALPHABET}
    inserts = {left + letter + right for left, right in splits for letter in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word, ""}


def _phrase(words: list[str]) -> Query:
    tokens: list[str | tuple[int, str]] = list(words)  # the type tantivy's stub asks for (words, or positioned ones)
    parts = [
        Query.boost_query(Query.phrase_query(SCHEMA, name, tokens, slop=1), weight)
        for name, weight in TEXT_FIELDS.items()
    ]
    return Query.disjunction_max_query(parts, TIE_BREAKER)
