"""Similarity of two folded texts in [0, 1], forgiving the letters that damaged text lost."""

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from carrefour.dedup.normalise import WILDCARD, wildcard_pattern


def text_similarity(a: str, b: str) -> float:
    """1.0 for the same words; token-set and token-sort ratios averaged, or plain ratio if higher."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if WILDCARD in a or WILDCARD in b:
        return _damaged_similarity(a, b)
    mixed = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    return max(fuzz.ratio(a, b), mixed) / 100


def _damaged_similarity(a: str, b: str) -> float:
    if WILDCARD in a and WILDCARD not in b and wildcard_pattern(a).fullmatch(b):
        return 1.0
    if WILDCARD in b and WILDCARD not in a and wildcard_pattern(b).fullmatch(a):
        return 1.0
    # Drop the wildcards, then forgive one missing letter per wildcard.
    lost = a.count(WILDCARD) + b.count(WILDCARD)
    a, b = a.replace(WILDCARD, ""), b.replace(WILDCARD, "")
    total = len(a) + len(b)
    if not total:
        return 0.0
    distance = max(0, Indel.distance(a, b) - lost)
    plain = 1 - distance / total
    mixed = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 200
    return max(plain, mixed)
