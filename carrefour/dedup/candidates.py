"""Candidate generation: blocking, then scoring every blocked pair. Pure computation, no writes.

comparisons = find_candidates()                 # every published, unmerged sheet
comparisons = find_candidates(changed={12, 40})  # only pairs touching these sheets
"""

from carrefour.dedup.blocking import candidate_pairs
from carrefour.dedup.features import Sheet, load_sheets
from carrefour.dedup.rules import needs_review
from carrefour.dedup.scoring import Comparison, Prepared, compare


def prepare(sheets: dict[int, Sheet]) -> dict[int, Prepared]:
    return {pk: Prepared(sheet) for pk, sheet in sheets.items()}


def score_pairs(prepared: dict[int, Prepared], pairs) -> list[Comparison]:
    return [compare(prepared[a], prepared[b]) for a, b in pairs]


def find_candidates(
    queryset=None, changed: set[int] | None = None, minimum: float | None = None, sheets: dict[int, Sheet] | None = None
) -> list[Comparison]:
    """Scored pairs worth a look (score ≥ the review threshold, or ≥ `minimum`), best first."""
    prepared = prepare(sheets if sheets is not None else load_sheets(queryset))
    comparisons = score_pairs(prepared, candidate_pairs(prepared, changed))
    keep = (lambda c: c.score >= minimum) if minimum is not None else needs_review
    return sorted((c for c in comparisons if keep(c)), key=lambda c: (-c.score, c.first, c.second))
