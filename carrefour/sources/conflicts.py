"""Sync conflicts in the moderation queue: how each is listed and how its two values read."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carrefour.catalog.models import Term
from carrefour.sources.models import ConflictStatus, SyncConflict

# The tracked fields (see records.TRACKED), as a moderator reads them.
FIELD_LABELS = {
    "name": gettext_lazy("nom"),
    "summary": gettext_lazy("résumé"),
    "description": gettext_lazy("description"),
    "website": gettext_lazy("site web"),
    "contact_email": gettext_lazy("adresse de contact (non publiée)"),
    "start_year": gettext_lazy("année de lancement"),
    "terms": gettext_lazy("thématiques, publics et types de lieu"),
    "locations": gettext_lazy("lieux"),
}
SHORT = 80


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def readable(name: str, value) -> list[str]:
    """A stored value as lines of text: one line for a plain field, one per term or place for lists."""
    if value in (None, "", []):
        return []
    if name == "terms":
        labels = _term_labels(value)
        return [labels.get(code, code) for code in value]
    if name == "locations":
        return [_place(place) for place in value if isinstance(place, dict)]
    return [str(value)]


def current_value(conflict: SyncConflict):
    """The field's value on the sheet now, in the form conflicts store it."""
    from carrefour.sources.updates import current_locations, current_terms

    initiative = conflict.initiative
    if conflict.field == "terms":
        return current_terms({initiative.pk: initiative})[initiative.pk]
    if conflict.field == "locations":
        return current_locations({initiative.pk: initiative})[initiative.pk]
    return getattr(initiative, conflict.field, None)


def summary(name: str, value) -> str:
    lines = readable(name, value)
    return Truncator(" ; ".join(lines)).chars(SHORT) if lines else _("(vide)")


def _term_labels(codes) -> dict[str, str]:
    wanted = {tuple(code.split(":", 1)) for code in codes if isinstance(code, str) and ":" in code}
    found = Term.objects.filter(vocabulary__in={vocabulary for vocabulary, _code in wanted})
    return {
        f"{vocabulary}:{code}": f"{label} ({code})"
        for vocabulary, code, label in found.values_list("vocabulary", "code", "label")
        if (vocabulary, code) in wanted
    }


def _place(place: dict) -> str:
    from carrefour.territories.models import Commune

    commune = Commune.objects.filter(code=place.get("commune")).values_list("name", flat=True).first()
    parts = [place.get("label"), place.get("address"), " ".join(filter(None, [place.get("postal_code"), commune]))]
    text = ", ".join(part for part in parts if part)
    if place.get("latitude") is not None:
        text += f" ({place['latitude']}, {place['longitude']})"
    return text or str(place.get("commune", ""))


class SyncConflictProvider:
    """Open sync conflicts: a partner's change to a field that was edited here, waiting for a moderator."""

    kind = "source_conflict"  # (not "sync_conflict": tests/moderation/test_queue.py registers a fake of that kind)
    label = gettext_lazy("Conflits de synchronisation")

    def items(self, filters):
        from carrefour.moderation.queue import QueueItem

        conflicts = SyncConflict.objects.filter(status=ConflictStatus.OPEN).filter(filters.created_q())
        condition = filters.initiative_q("record__initiative")
        if condition:
            conflicts = conflicts.filter(condition).distinct()
        conflicts = conflicts.select_related("record__source", "record__initiative__merged_into")
        for conflict in conflicts.order_by("created_at", "pk"):
            initiative = conflict.initiative
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=conflict.pk,
                title=f"{initiative.name} — {field_label(conflict.field)}",
                url=reverse("sources:conflict", kwargs={"pk": conflict.pk}),
                created_at=conflict.created_at,
                initiative=initiative,
                author=conflict.record.source.name,
                detail=_("Ici : « %(local)s » ; reçu de la source : « %(incoming)s »")
                % {
                    "local": summary(conflict.field, conflict.local_value),
                    "incoming": summary(conflict.field, conflict.incoming_value),
                },
            )
