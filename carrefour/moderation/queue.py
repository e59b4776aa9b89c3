"""The moderation queue: a list of item kinds, each given by one registered provider.

Another app adds a kind (duplicate candidates, sync conflicts…) with `register(MyProvider())`: a provider has a
`kind` (code), a `label` (French) and `items(filters) -> Iterable[QueueItem]`, filtering its own query with
`filters.initiative_q(path)`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise

from carrefour.catalog.models import Initiative

AGES = {"7": 7, "30": 30, "90": 90}  # « older than N days » filter values
SORTS = ("age", "quality")
MAX_ITEMS_PER_KIND = 500


@dataclass
class QueueItem:
    kind: str
    kind_label: str
    pk: int
    title: str
    url: str
    created_at: datetime
    initiative: Initiative | None = None
    author: str = ""
    detail: str = ""
    quality: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    theme: str = ""  # top-level theme code: the initiative has it or one of its sub-themes
    region: str = ""  # INSEE région code of one of the initiative's locations
    older_than_days: int | None = None
    sort: str = "age"

    def initiative_q(self, path: str = "initiative") -> Q:
        """Conditions on the initiative reached through `path` (« initiative », « » for Initiative itself)."""
        prefix = f"{path}__" if path else ""
        condition = Q()
        if self.theme:
            condition &= Q(**{f"{prefix}themes__code": self.theme}) | Q(**{f"{prefix}themes__parent__code": self.theme})
        if self.region:
            condition &= Q(**{f"{prefix}locations__commune__region_id": self.region})
        return condition

    def created_q(self, field_name: str = "created_at") -> Q:
        if self.older_than_days is None:
            return Q()
        return Q(**{f"{field_name}__lte": timezone.now() - timedelta(days=self.older_than_days)})


class Provider(Protocol):
    kind: str

    @property
    def label(self) -> str | Promise: ...  # a lazy translation, most often

    def items(self, filters: QueueFilters): ...


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.kind] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def kinds() -> list[tuple[str, str]]:
    return [(provider.kind, str(provider.label)) for provider in _providers.values()]


def collect(filters: QueueFilters, user=None) -> list[QueueItem]:
    """Every item of the selected kinds, in the user's moderation scope, sorted."""
    from carrefour.accounts.permissions import can

    chosen = [p for p in _providers.values() if not filters.kind or p.kind == filters.kind]
    items = [item for provider in chosen for item in list(provider.items(filters))[:MAX_ITEMS_PER_KIND]]
    if user is not None:
        items = [item for item in items if can(user, "moderation.decide", item.initiative)]
    if filters.sort == "quality":
        for item in items:
            item.quality = quality_of(item.initiative)
        return sorted(items, key=lambda item: (item.quality if item.quality is not None else 2.0, item.created_at))
    return sorted(items, key=lambda item: item.created_at)


def quality_of(initiative: Initiative | None) -> float | None:
    if initiative is None:
        return None
    from carrefour.catalog.quality import quality_report

    return quality_report(initiative).score
