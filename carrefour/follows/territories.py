"""A followed territory: a (level, code) pair as the territory pages address it (région, département, EPCI, commune)."""

from dataclasses import dataclass

from carrefour.territories.levels import LEVELS


@dataclass(frozen=True)
class Territory:
    level: str
    code: str
    name: str = ""

    @property
    def url(self) -> str:
        return LEVELS[self.level].url(self.code)

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level].label)


def find(level: str, code: str) -> Territory | None:
    spec = LEVELS.get(level)
    code = (code or "").strip().upper()
    if spec is None or not spec.is_valid_code(code):
        return None
    row = spec.model.objects.filter(pk=code).only("pk", "name").first()
    return Territory(level, row.pk, row.name) if row is not None else None


def names(pairs) -> dict[tuple[str, str], str]:
    """Names of many (level, code) pairs, one query per level."""
    found: dict[tuple[str, str], str] = {}
    by_level: dict[str, set[str]] = {}
    for level, code in pairs:
        by_level.setdefault(level, set()).add(code)
    for level, codes in by_level.items():
        if level in LEVELS:
            for pk, name in LEVELS[level].model.objects.filter(pk__in=codes).values_list("pk", "name"):
                found[(level, pk)] = name
    return found


def containing(commune) -> list[tuple[str, str]]:
    """Every territory a commune lies in, itself included."""
    pairs = [("commune", commune.pk), ("departement", commune.departement_id), ("region", commune.region_id)]
    if commune.epci_id:
        pairs.append(("epci", commune.epci_id))
    return pairs
