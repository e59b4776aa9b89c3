"""Finding and removing one person's values everywhere the registry says personal data lives.

A person is known by « needles »: their e-mail addresses and their names. Each registered field is searched for any
needle (case-insensitive) and treated by its erasure mode: text emptied, JSON strings emptied in place, or the whole
row deleted. Matching rows of a model lose all their registered values at once (the relay message found by its
sender's address also loses the sender's name and the body).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import F, Q

from carrefour.privacy.registry import PERSONAL_FIELDS

# A name is searched only when it has two words or more (« Camille Martin »): a single word (« Marie ») would also
# match unrelated text (« Sainte-Marie »). The rows that belong to the person go by their address or their account.
MIN_NAME_WORDS = 2


@dataclass
class ScrubReport:
    counts: dict[str, int] = field(default_factory=dict)
    initiative_ids: set[int] = field(default_factory=set)
    # initiative id → names of the sheet's own fields that were erased (what the tombstones list)
    erased_fields: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, key: str, count: int) -> None:
        if count:
            self.counts[key] = self.counts.get(key, 0) + count


def needles_for(emails=(), names=()) -> list[str]:
    found = {email.strip().lower() for email in emails if email and "@" in email}
    found |= {" ".join(name.split()) for name in names if name and len(name.split()) >= MIN_NAME_WORDS}
    return sorted(found)


def contains_needle(value: str, needles: list[str]) -> bool:
    folded = value.casefold()
    return any(needle.casefold() in folded for needle in needles)


def scrub_json(value, needles: list[str]):
    """The value with every string that holds a needle emptied (keys are kept, so the shape stays)."""
    if isinstance(value, str):
        return "" if contains_needle(value, needles) else value
    if isinstance(value, list):
        return [scrub_json(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: scrub_json(item, needles) for key, item in value.items()}
    return value


def _variants(needle: str) -> set[str]:
    # JSON text escapes non-ASCII characters (« ë » → « \u00eb ») on SQLite: look for both spellings.
    return {needle, json.dumps(needle)[1:-1]}


def _fields_by_model() -> dict[str, dict[str, str]]:
    """{"app_label.Model": {field name: erase mode}} of the fields an erasure searches."""
    by_model: dict[str, dict[str, str]] = defaultdict(dict)
    for key, personal in PERSONAL_FIELDS.items():
        if personal.erase != "cascade":
            model, name = key.rsplit(".", 1)
            by_model[model][name] = personal.erase
    return by_model


def _emails(needles: list[str]) -> list[str]:
    return [needle for needle in needles if "@" in needle]


def _searched(mode: str, needles: list[str]) -> list[str]:
    """Addresses are searched everywhere; names only in free text. A JSON snapshot (a sheet's history, a partner's
    record) is searched for addresses alone, so that a name shared with an organisation never empties history."""
    return needles if mode == "blank" else _emails(needles)


def _condition(model_fields: dict[str, str], needles: list[str]) -> Q:
    condition = Q()
    for name, mode in model_fields.items():
        for needle in _searched(mode, needles):
            for variant in _variants(needle):
                condition |= Q(**{f"{name}__icontains": variant})
    return condition


def locate(needles: list[str]) -> dict[str, int]:
    """{"app_label.Model": rows holding a needle} for every registered model (what an access request reports)."""
    if not needles:
        return {}
    found = {}
    for label, model_fields in _fields_by_model().items():
        count = apps.get_model(label)._default_manager.filter(_condition(model_fields, needles)).count()
        if count:
            found[label] = count
    return found


def scrub(needles: list[str], report: ScrubReport | None = None) -> ScrubReport:
    """Remove every value holding a needle from every registered field (in the caller's transaction).

    Rows of a model with `delete_row` fields (a mail, an alert) that hold an address there are deleted; in other rows,
    a match in a free-text field makes the row the person's (all its free-text fields are emptied: the relay message
    found by its sender's address also loses the body), while a match in a JSON field empties just those strings."""
    report = report or ScrubReport()
    if not needles:
        return report
    for label, model_fields in _fields_by_model().items():
        model = apps.get_model(label)
        deleting = {name: mode for name, mode in model_fields.items() if mode == "delete_row"}
        if deleting:
            rows = model._default_manager.filter(_condition(deleting, needles))
            _note_initiatives(model, rows, report)
            report.add(f"{label}:deleted", rows.delete()[0])
        kept = {name: mode for name, mode in model_fields.items() if mode != "delete_row"}
        if kept:
            for row in model._default_manager.filter(_condition(kept, needles)).iterator():
                _scrub_row(model, row, kept, needles, report, label)
    return report


def _scrub_row(model, row, model_fields: dict[str, str], needles: list[str], report: ScrubReport, label: str) -> None:
    texts = [name for name, mode in model_fields.items() if mode == "blank"]
    owned = any(contains_needle(getattr(row, name) or "", needles) for name in texts)
    changes = {name: "" for name in texts if owned and getattr(row, name)}
    for name, mode in model_fields.items():
        if mode == "scrub_json":
            value = getattr(row, name)
            cleaned = scrub_json(value, _emails(needles))
            if cleaned != value:
                changes[name] = cleaned
    if not changes:
        return
    if any(f.name == "version" for f in model._meta.concrete_fields) and model._meta.label == "catalog.Initiative":
        changes["version"] = F("version") + 1  # an edit form opened before the erasure now conflicts
    model._default_manager.filter(pk=row.pk).update(**changes)
    report.add(f"{label}:erased", 1)
    initiative_id = _initiative_id(row)
    if initiative_id:
        report.initiative_ids.add(initiative_id)
        if row._meta.app_label == "catalog":  # what re-users hold: the sheet's own fields, not its history
            report.erased_fields[initiative_id].update(changes.keys() - {"version"})


def _initiative_id(row) -> int | None:
    if row._meta.label == "catalog.Initiative":
        return row.pk
    return getattr(row, "initiative_id", None) or getattr(row, "model_initiative_id", None)


def _note_initiatives(model, rows, report: ScrubReport) -> None:
    if any(isinstance(f, models.ForeignKey) and f.name == "initiative" for f in model._meta.concrete_fields):
        report.initiative_ids.update(rows.values_list("initiative_id", flat=True))
