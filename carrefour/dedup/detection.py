"""The matcher's run: find candidates, remember them, merge the near-certain ones (the `dedup` command calls this)."""

import time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carrefour.catalog.models import Initiative
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.dedup.actions import MergeRefused, choose_survivor, merge
from carrefour.dedup.candidates import find_candidates
from carrefour.dedup.features import load_sheets
from carrefour.dedup.models import CandidateStatus, DedupRun, DuplicateCandidate
from carrefour.dedup.rules import auto_merge_rule
from carrefour.dedup.scoring import Comparison


def published_sheets():
    return Initiative.objects.filter(status=Initiative.Status.PUBLISHED, merged_into__isnull=True)


def changed_since_last_run(source: str = "") -> set[int] | None:
    """Sheets changed since the last complete run (None: no run yet, compare everything)."""
    last = DedupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if last is None:
        return None
    return set(published_sheets().filter(updated_at__gte=last.started_at).values_list("pk", flat=True))


def run(source: str = "", auto_merge: bool = True, dry_run: bool = False, full: bool = False) -> dict:
    """Compare published sheets (pairs touching `source`'s sheets, or changed since the last run unless `full`)."""
    started, clock = timezone.now(), time.monotonic()
    sheets = load_sheets(published_sheets())
    changed = None if full else changed_since_last_run()
    if source:
        of_source = {pk for pk, sheet in sheets.items() if source in sheet.sources}
        changed = of_source if changed is None else changed & of_source
    comparisons = find_candidates(sheets=sheets, changed=changed)
    report = {
        "sheets": len(sheets),
        "compared_sheets": len(sheets) if changed is None else len(changed),
        "candidates": len(comparisons),
        "auto_merge_eligible": sum(1 for c in comparisons if auto_merge_rule(c)),
    }
    if dry_run:
        report |= {"auto_merged": 0, "pending": 0, "already_decided": 0, "dry_run": True}
    else:
        report |= record(comparisons, auto_merge)
        report["dry_run"] = False
        DedupRun.objects.create(started_at=started, finished_at=timezone.now(), source=source, report=report)
    report["seconds"] = round(time.monotonic() - clock, 2)
    return report


def record(comparisons: list[Comparison], auto_merge: bool = True) -> dict:
    """Store pending candidates (decisions already taken are kept as they are) and merge near-certain pairs."""
    counts = {"auto_merged": 0, "pending": 0, "already_decided": 0, "new": 0}
    merged_now: set[int] = set()
    existing = _existing({(c.first, c.second) for c in comparisons})
    for comparison in comparisons:
        pair = (comparison.first, comparison.second)
        if pair[0] in merged_now or pair[1] in merged_now:
            continue
        candidate = existing.get(pair)
        if candidate is not None and candidate.status != CandidateStatus.PENDING:
            counts["already_decided"] += 1
            continue
        rule = auto_merge_rule(comparison) or ""
        with transaction.atomic():
            candidate, created = _store(candidate, comparison, rule)
            counts["new"] += created
            if rule and auto_merge and _auto_merge(candidate, rule, merged_now):
                counts["auto_merged"] += 1
                continue
        counts["pending"] += 1
    if comparisons:
        record_event(EventType.DUPLICATES_DETECTED, None, None, **counts)
    return counts


def _existing(pairs: set[tuple[int, int]]) -> dict:
    found = {}
    firsts = {a for a, _b in pairs}
    for start in range(0, len(firsts), 500):
        chunk = list(firsts)[start : start + 500]
        for candidate in DuplicateCandidate.objects.filter(first_id__in=chunk):
            if (candidate.first_id, candidate.second_id) in pairs:
                found[(candidate.first_id, candidate.second_id)] = candidate
    return found


def _store(candidate, comparison: Comparison, rule: str):
    values = {"score": comparison.score, "reasons": comparison.reasons, "rule": rule}
    if candidate is None:
        return DuplicateCandidate.objects.create(first_id=comparison.first, second_id=comparison.second, **values), 1
    for key, value in values.items():
        setattr(candidate, key, value)
    candidate.save(update_fields=[*values, "updated_at"])
    return candidate, 0


def _auto_merge(candidate: DuplicateCandidate, rule: str, merged_now: set[int]) -> bool:
    pair = Initiative.objects.filter(Q(pk=candidate.first_id) | Q(pk=candidate.second_id))
    survivor, merged = choose_survivor(*pair)
    try:
        merge(survivor, merged, actor=None, candidate=candidate, rule=rule)
    except MergeRefused:
        return False
    merged_now.add(merged.pk)
    return True
