"""The side-by-side view of two sheets: each field's two values and the value the trust rule proposes."""

from dataclasses import dataclass

from carrefour.catalog.models import Initiative
from carrefour.dedup.trust import MERGE_FIELDS, choose_fields


@dataclass
class FieldRow:
    name: str
    label: str
    first: str
    second: str
    proposed: int | None  # the id of the sheet whose value the trust rule keeps
    reason: str

    @property
    def differs(self) -> bool:
        return self.first != self.second


def _display(initiative: Initiative, field: str) -> str:
    value = getattr(initiative, field)
    if value is None:
        return ""
    display = getattr(initiative, f"get_{field}_display", None)
    return str(display() if display else value)


def field_rows(first: Initiative, second: Initiative) -> list[FieldRow]:
    proposed = choose_fields(first, second)
    rows = []
    for field in MERGE_FIELDS:
        choice = proposed.get(field)
        rows.append(
            FieldRow(
                name=field,
                label=str(Initiative._meta.get_field(field).verbose_name).capitalize(),
                first=_display(first, field),
                second=_display(second, field),
                proposed=choice["from_initiative"] if choice else None,
                reason=choice["reason"] if choice else "",
            )
        )
    return rows
