"""Snapshot values in words, for diffs, histories and the review page."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from carrefour.catalog.models import Term
from carrefour.catalog.models.initiative import ContactChannel
from carrefour.contributions.snapshot import PRIVATE_FIELDS, TERM_FIELDS, FieldChange, diff
from carrefour.territories.models import Commune

VOCABULARY_OF = {**TERM_FIELDS, "stage": "stage", "scale": "scale"}


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: str
    old: str
    new: str


class Describer:
    """Turns codes into labels, with one query per vocabulary and one for communes."""

    def __init__(self, show_private: bool = False):
        self.show_private = show_private
        self._terms: dict[str, dict[str, str]] = {}
        self._communes: dict[str, str] = {}

    def value(self, field: str, value) -> str:
        if value in (None, "", [], {}):
            return _("(non renseigné)")
        if field in PRIVATE_FIELDS and not self.show_private:
            return _("(information privée, masquée)")
        if field in VOCABULARY_OF:
            labels = self._labels(VOCABULARY_OF[field])
            codes = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(code, code) for code in codes)
        if field == "carrier":
            return value.get("name", "")
        if field == "contact_channel":
            return str(dict(ContactChannel.choices).get(value, value))
        if field == "locations":
            return " ; ".join(self._location(row) for row in value)
        if field == "links":
            return "\n".join(link.get("url", "") for link in value)
        return str(value)

    def changes(self, changes: list[FieldChange]) -> list[ShownChange]:
        return [ShownChange(c.field, c.label, self.value(c.field, c.old), self.value(c.field, c.new)) for c in changes]

    def diff(self, old: dict, new: dict) -> list[ShownChange]:
        return self.changes(diff(old, new))

    def _labels(self, vocabulary: str) -> dict[str, str]:
        if vocabulary not in self._terms:
            self._terms[vocabulary] = dict(Term.objects.filter(vocabulary=vocabulary).values_list("code", "label"))
        return self._terms[vocabulary]

    def _location(self, row: dict) -> str:
        code = row.get("commune") or ""
        if code not in self._communes:
            commune = Commune.objects.filter(pk=code).only("name", "departement_id").first()
            self._communes[code] = f"{commune.name} ({commune.departement_id})" if commune else code
        parts = [
            row.get("label"),
            row.get("address"),
            " ".join(filter(None, [row.get("postal_code"), self._communes[code]])),
        ]
        return ", ".join(part for part in parts if part)


def person(user, for_moderator: bool = False) -> str:
    """How a contributor is named: the profile's display name; the e-mail only for moderators."""
    if user is None:
        return _("compte supprimé")
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    name = getattr(profile, "display_name", "") or user.get_full_name()
    if for_moderator:
        return f"{name} <{user.email}>" if name and user.email else (name or user.email or user.get_username())
    return name or _("un·e contributeur·rice")
