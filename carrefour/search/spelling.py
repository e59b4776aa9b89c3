"""Spelling suggestions for a query that found nothing: each unknown word replaced by the closest indexed word."""

import tantivy

from carrefour.search.analysis import QueryAnalysis

WORDS_FIELD = "words"
CANDIDATES_PER_PREFIX = 5000


def suggest(searcher: tantivy.Searcher, analysis: QueryAnalysis) -> list[str]:
    """At most one suggestion: the query's words with every unknown one corrected, when one was."""
    words = list(analysis.raw_words)
    changed = False
    for position, word in enumerate(words):
        if len(word) < 4 or searcher.doc_freq(WORDS_FIELD, word):
            continue
        if correction := closest(searcher, word):
            words[position], changed = correction, True
    return [" ".join(words)] if changed else []


def closest(searcher: tantivy.Searcher, word: str) -> str | None:
    """The most frequent indexed word within the edit distance allowed for `word` (1, or 2 from 8 letters)."""
    allowed = 2 if len(word) >= 8 else 1
    best: tuple[int, int, str] | None = None
    for term, frequency in searcher.terms_with_prefix(WORDS_FIELD, word[:2], limit=CANDIDATES_PER_PREFIX):
        if abs(len(term) - len(word)) > allowed:
            continue
        distance = edit_distance(word, term, allowed)
        if distance <= allowed and (best is None or (distance, -frequency) < best[:2]):
            best = (distance, -frequency, term)
    return best[2] if best else None


def edit_distance(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions) distance, or `bound + 1` as soon as it exceeds `bound`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]
