"""The one French text analyser, used at index time (`analyse`, `tokens`) and at query time (`analyse_query`).

Each word: elision removed (l', d', qu', jusqu'… with ' or ’) → lower case, accents folded, hyphens and apostrophes
split (`core.text.fold`) → stop words dropped (data/stopwords.txt) → Snowball French stem → plural rule (a final s/x
dropped from stems longer than 2 characters). Words longer than 64 characters (URLs, base64) are dropped.

Decisions (each has a test in tests/search/test_analysis.py):
- Fold *before* stemming. Snowball expects accents, but people type without them and both sides of a match must give
  the same token: stemming first gives « activité » → `activ` but « activite » → `activit`. Folding leaves feminine
  participles as « partagee », so a final « ee(s) » becomes « e(s) » first: partagé, partagée, partages → `partag`.
- Synonyms (data/synonyms.yaml) match analysed tokens, hence every inflection. At index time the canonical token is
  added at the expression's first position (phrases on the words still match); at query time it replaces them.
- A quoted phrase keeps its analysed words (no synonym replacement) unless it is one synonym expression or one word.
- The prefix (search-as-you-type) is the last word folded, *not* stemmed: a partial word's stem is meaningless
  (« reparatio » never reaches `repar`). Match it against `index_words`; `stemmed_prefix` approximates it on stems.
"""

import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape as _escape  # what django.utils.html.escape does, without its lazy-string wrapper
from os.path import commonprefix
from pathlib import Path
from typing import NamedTuple

import Stemmer
import yaml
from django.utils.safestring import mark_safe

from carrefour.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

_APOSTROPHES = "'\u2019\u2018\u02bc"
_ELISION = rf"(?:jusqu|lorsqu|puisqu|qu|[cdjlmnst])[{_APOSTROPHES}](?=[^\W_])"
# A word: letters, digits, combining accents (NFD text); group 1 leaves out an elided article or pronoun.
_WORD = re.compile(rf"(?:{_ELISION})?([^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*)", re.IGNORECASE)
_QUOTE = re.compile(r'["«»“”„]')
_FEMININE_PARTICIPLE = re.compile(r"ee(s?)\Z")
_CANONICAL = re.compile(r"[a-z0-9]+\Z")
_local = threading.local()


class Token(NamedTuple):  # a synonym's canonical token shares the position of the expression's first word
    term: str
    position: int
    start: int
    end: int


class _Word(NamedTuple):
    folded: str
    term: str  # stemmed
    stop: bool
    start: int
    end: int


@cache
def stop_words() -> frozenset[str]:
    lines = (line.split("#", 1)[0].strip() for line in (DATA_DIR / "stopwords.txt").read_text("utf-8").splitlines())
    return frozenset(line for line in lines if line)


def fold_word(word: str) -> str:
    """`word` lower-cased, without accents, in one piece (« Épiceries » → « epiceries »); "" if nothing is left."""
    folded = fold(word).replace(" ", "")
    return folded if len(folded) <= 64 else ""  # longer: a URL, base64, keyboard mashing


def _stemmer() -> Stemmer.Stemmer:
    if not hasattr(_local, "stemmer"):  # PyStemmer objects must not be shared between threads
        _local.stemmer = Stemmer.Stemmer("french", 0)  # no cache: `_analysed_word` has one
    return _local.stemmer


def stem(folded: str) -> str:
    """The index term of a folded word: « velos » → `velo`, « lieux » → `lieu`, « partagees » → `partag`."""
    stemmed = _stemmer().stemWord(_FEMININE_PARTICIPLE.sub(r"e\1", folded))
    return stemmed[:-1] if len(stemmed) > 2 and stemmed[-1] in "sx" else stemmed


@lru_cache(maxsize=1 << 16)
def _analysed_word(word: str) -> tuple[str, str, bool]:
    """(folded, stemmed, is a stop word) for a word as written; the cache makes analysis fast."""
    folded = fold_word(word)
    return folded, stem(folded) if folded else "", folded in stop_words()


def _words(text: str) -> list[_Word]:
    matches = ((_analysed_word(match.group(1)), match.span(1)) for match in _WORD.finditer(text))
    return [_Word(*analysed, *span) for analysed, span in matches if analysed[0]]


def _terms(words: list[_Word], keep_stop_words: bool = False) -> list[str]:
    return [word.term for word in words if keep_stop_words or not word.stop]


@dataclass(frozen=True)
class SynonymGroup:
    canonical: str
    label: str
    expressions: tuple[str, ...]


@cache
def synonym_groups() -> tuple[SynonymGroup, ...]:
    """The groups of data/synonyms.yaml, checked: canonical tokens are unique, lower-case ASCII letters or digits."""
    raw = yaml.safe_load((DATA_DIR / "synonyms.yaml").read_text("utf-8")) or []
    groups, seen = [], set()
    for number, entry in enumerate(raw, start=1):
        canonical = str(entry.get("canonical", ""))
        if not _CANONICAL.match(canonical) or canonical in seen:
            raise ValueError(f"synonyms.yaml, group {number}: canonical token {canonical!r} is invalid or repeated")
        seen.add(canonical)
        expressions = tuple(str(expression) for expression in entry.get("expressions") or ())
        groups.append(SynonymGroup(canonical, str(entry.get("label") or canonical), expressions))
    return tuple(groups)


@cache
def _synonym_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First analysed token → [(analysed expression, canonical token)], longest expressions first."""
    owners: dict[tuple[str, ...], str] = {}
    for group in synonym_groups():
        for expression in group.expressions:
            sequence = tuple(_terms(_words(expression)))
            if not sequence:
                raise ValueError(f"synonyms.yaml, {group.canonical}: {expression!r} is only stop words")
            if owners.setdefault(sequence, group.canonical) != group.canonical:
                raise ValueError(f"synonyms.yaml: {expression!r} is in {owners[sequence]} and {group.canonical}")
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for sequence, canonical in sorted(owners.items(), key=lambda item: -len(item[0])):
        index.setdefault(sequence[0], []).append((sequence, canonical))
    return index


def _synonym_matches(terms: list[str]) -> list[tuple[int, int, str]]:
    """(start, length, canonical token) of the synonym expressions in `terms`, longest first, left to right."""
    index, matches, i = _synonym_index(), [], 0
    while i < len(terms):
        length, canonical = 1, ""
        for sequence, candidate in index.get(terms[i], ()):
            if tuple(terms[i : i + len(sequence)]) == sequence:
                length, canonical = len(sequence), candidate
                break
        if canonical and terms[i : i + length] != [canonical]:
            matches.append((i, length, canonical))
        i += length
    return matches


def _canonicalise(terms: list[str]) -> list[str]:
    """Query time: each synonym expression replaced by its canonical token."""
    for start, length, canonical in reversed(_synonym_matches(terms)):
        terms[start : start + length] = [canonical]
    return terms


def analyse(text: str) -> list[str]:
    """The index terms of `text`: stemmed folded words without stop words, each synonym's canonical token before it."""
    terms = [term for folded, term, stop in map(_analysed_word, _WORD.findall(text or "")) if folded and not stop]
    for start, _, canonical in reversed(_synonym_matches(terms)):
        terms.insert(start, canonical)
    return terms


def tokens(text: str) -> list[Token]:
    """`analyse(text)` with positions and offsets (for tantivy.PreTokenizedString); a synonym's canonical token
    takes the position of the expression's first word and spans the whole expression."""
    words = [word for word in _words(text or "") if not word.stop]
    result = [Token(word.term, position, word.start, word.end) for position, word in enumerate(words)]
    for start, length, canonical in reversed(_synonym_matches([word.term for word in words])):
        result.insert(start, Token(canonical, start, words[start].start, words[start + length - 1].end))
    return result


def index_words(text: str) -> list[str]:
    """Folded, unstemmed words without stop words: the field that `QueryAnalysis.prefix` is matched against."""
    return [word.folded for word in _words(text or "") if not word.stop]


@dataclass
class QueryAnalysis:
    terms: list[str]  # every word outside quotes, analysed, synonyms canonicalised, deduplicated: all required
    phrases: list[list[str]]  # quoted parts of two tokens or more, analysed
    prefix: str | None  # the last word, folded, unstemmed, when the text does not end with a space or punctuation
    raw_words: list[str]  # every word folded, stop words included, in order: for spelling suggestions
    terms_before_prefix: list[str]  # `terms` without the prefix word (equal to `terms` when there is no prefix)

    @property
    def stemmed_prefix(self) -> str | None:
        """The prefix cut where its stem departs from it, to match stemmed tokens (« epiceri » → `epicer`)."""
        return commonprefix([self.prefix, stem(self.prefix)]) or None if self.prefix else None


def _segments(text: str) -> list[tuple[bool, str]]:
    """(is quoted, part) in order; a quote left open does not start a phrase."""
    parts = _QUOTE.split(text)
    if len(parts) % 2 == 0:
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    return [(i % 2 == 1, part) for i, part in enumerate(parts)]


def _analyse_segments(segments, keep_stop_words: bool, drop_last: bool = False) -> tuple[list[str], list[list[str]]]:
    """Terms and phrases in the order of the text; `drop_last` leaves out the last word (the prefix)."""
    terms, phrases = [], []
    for number, (quoted, part) in enumerate(segments, start=1):
        words = _words(part)
        if drop_last and number == len(segments):
            words = words[:-1]
        analysed = _terms(words, keep_stop_words)
        canonical = _canonicalise(analysed[:])
        if not quoted or len(canonical) == 1:
            terms += canonical
        elif analysed and analysed not in phrases:
            phrases.append(analysed)
    return list(dict.fromkeys(terms)), phrases


def analyse_query(text: str) -> QueryAnalysis:
    """What a query asks for. Never raises; a query of stop words only keeps them, so that it is not empty."""
    segments = _segments(text if isinstance(text, str) else "")
    terms, phrases = _analyse_segments(segments, keep_stop_words=False)
    keep_stop_words = not terms and not phrases
    if keep_stop_words:
        terms, phrases = _analyse_segments(segments, keep_stop_words)
    quoted, part = segments[-1]
    last_words = [] if quoted else _words(part)
    prefix_word = last_words[-1] if last_words and last_words[-1].end == len(part) else None
    before = _analyse_segments(segments, keep_stop_words, drop_last=True)[0] if prefix_word else terms
    return QueryAnalysis(
        terms=terms,
        phrases=phrases,
        prefix=prefix_word.folded if prefix_word else None,
        raw_words=[word.folded for _, part in segments for word in _words(part)],
        terms_before_prefix=before,
    )


@cache
def _canonical_tokens() -> frozenset[str]:
    return frozenset(group.canonical for group in synonym_groups())


def _marks(text: str, terms: set[str] | frozenset[str], prefix: str | None) -> list[tuple[int, int]]:
    """Sorted, merged character spans of the words (or synonym expressions) to mark.

    The same spans as `tokens(text)` filtered on `terms` plus the words starting with `prefix`, in one pass over the
    words (each analysed through the `_analysed_word` cache); synonym expressions are looked for only when a
    canonical token is among `terms`.
    """
    spans: list[tuple[int, int]] = []
    synonyms = not _canonical_tokens().isdisjoint(terms)
    kept: list[tuple[str, int, int]] = []  # (term, start, end) of the words that are not stop words
    for match in _WORD.finditer(text):
        folded, term, stop = _analysed_word(match.group(1))
        if not folded:
            continue
        if prefix and folded.startswith(prefix):
            spans.append(match.span(1))
        elif not stop and term in terms:
            spans.append(match.span(1))
        if synonyms and not stop:
            kept.append((term, *match.span(1)))
    if synonyms:
        for start, length, canonical in _synonym_matches([term for term, _, _ in kept]):
            if canonical in terms:
                spans.append((kept[start][1], kept[start + length - 1][2]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    pieces, cursor = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start < span_end:
            pieces += [_escape(text[cursor:span_start]), "<mark>", _escape(text[span_start:span_end]), "</mark>"]
            cursor = span_end
    pieces.append(_escape(text[cursor:end]))
    return "".join(pieces)


def highlight(text: str, terms: set[str] | frozenset[str], prefix: str | None = None) -> str:
    """`text` HTML-escaped, with <mark> around the words whose analysed form is in `terms` (or begins with `prefix`)."""
    return snippet(text, terms, len(text or ""), prefix)


def _best_window(spans: list[tuple[int, int]], length: int) -> int:
    """Start of the `length`-character window holding the most marks (the earliest on a tie)."""
    starts, ends = [span[0] for span in spans], [span[1] for span in spans]
    best, best_count = 0, 0
    for span_start, _ in spans:
        window = max(0, span_start - length // 5)
        count = bisect_right(ends, window + length) - bisect_left(starts, window)
        if count > best_count:
            best, best_count = window, count
    return best


def snippet(text: str, terms: set[str] | frozenset[str], length: int = 200, prefix: str | None = None) -> str:
    """About `length` characters of `text` around the most marks, highlighted, cut between words, with « … »."""
    text = text or ""
    spans = _marks(text, terms, prefix)
    if len(text) <= length:
        return mark_safe(_render(text, spans, 0, len(text)))  # nosec B308 B703 - _render escapes the text and adds only <mark>
    start = _best_window(spans, length)
    if start > 0:  # start after a space, unless the word there is very long
        space = text.find(" ", start - 1, start + 30)
        start = start if space < 0 else space + 1
    end = min(len(text), start + length)
    cut = text.rfind(" ", start, end + 1) if end < len(text) else -1
    end = cut if cut > start + length // 2 else end
    html = _render(text, spans, start, end).strip()
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))  # nosec B308 B703 - _render escapes the text and adds only <mark>
