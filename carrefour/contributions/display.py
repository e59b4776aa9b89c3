"""Snapshot values in words, for diffs, histories and the review page."""

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from carrefour.catalog.models import Term
from carrefour.catalog.models.initiative import ContactChannel
from carrefour.contributions.snapshot import PRIVATE_FIELDS, TERM_FIELDS, FieldChange, diff
from carrefour.territories.models import Commune

VOCABULARY_OF = {**TERM_FIELDS, "stage": "stage", "scale": "scale", "structure_type": "structure_type"}


@dataclass(frozen=True)
class ShownImage:
    url: str
    alt_text: str


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: str
    old: str
    new: str
    # For the « images » field: thumbnails of each side, shown next to the words.
    old_images: tuple[ShownImage, ...] = field(default=())
    new_images: tuple[ShownImage, ...] = field(default=())


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
        if field == "commune":  # an organisation's seat, as an INSEE code
            return self._commune(value)
        if field == "links":
            return "\n".join(link.get("url", "") for link in value)
        if field == "images":
            return "\n".join(_image_words(row) for row in value)
        return str(value)

    def changes(self, changes: list[FieldChange]) -> list[ShownChange]:
        return [self.change(c) for c in changes]

    def change(self, c: FieldChange) -> ShownChange:
        shown = ShownChange(c.field, c.label, self.value(c.field, c.old), self.value(c.field, c.new))
        if c.field != "images":
            return shown
        return ShownChange(shown.field, shown.label, shown.old, shown.new, _thumbnails(c.old), _thumbnails(c.new))

    def diff(self, old: dict, new: dict, labels: dict | None = None) -> list[ShownChange]:
        return self.changes(diff(old, new, labels))

    def _labels(self, vocabulary: str) -> dict[str, str]:
        if vocabulary not in self._terms:
            self._terms[vocabulary] = dict(Term.objects.filter(vocabulary=vocabulary).values_list("code", "label"))
        return self._terms[vocabulary]

    def _commune(self, code: str) -> str:
        if code not in self._communes:
            commune = Commune.objects.filter(pk=code).only("name", "departement_id").first()
            self._communes[code] = f"{commune.name} ({commune.departement_id})" if commune else code
        return self._communes[code]

    def _location(self, row: dict) -> str:
        code = row.get("commune") or ""
        parts = [
            row.get("label"),
            row.get("address"),
            " ".join(filter(None, [row.get("postal_code"), self._commune(code)])),
        ]
        return ", ".join(part for part in parts if part)


def _image_words(row: dict) -> str:
    words = _("Image « %(alt)s »") % {"alt": row.get("alt_text") or _("sans description")}
    if row.get("credit"):
        words += " " + _("(crédit : %(credit)s)") % {"credit": row["credit"]}
    return words


def _thumbnails(rows) -> tuple[ShownImage, ...]:
    return tuple(
        ShownImage(default_storage.url(row["file"]), row.get("alt_text") or "") for row in rows or [] if row.get("file")
    )


def person(user, for_moderator: bool = False) -> str:
    """How a contributor is named: the profile's display name; the e-mail only for moderators."""
    if user is None:
        return _("compte supprimé")
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    name = getattr(profile, "display_name", "") or user.get_full_name()
    if for_moderator:
        return f"{name} <{user.email}>" if name and user.email else (name or user.email or user.get_username())
    return name or _("un·e contributeur·rice")
