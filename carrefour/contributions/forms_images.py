"""The images part of a sheet's edit form: keep, describe, replace or remove each image, add one more.

Files go through the same checks as a proposal's (images.clean_image, R-SEC-14). An accepted file is stored at once and
carried by a signed hidden field, so that a refused field elsewhere in the form (or a conflict) never asks for the
file again; a refused file gets its French message next to its field and every typed word stays.
"""

from datetime import timedelta

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from carrefour.contributions.actions import ContributionError
from carrefour.contributions.images import MAX_IMAGES_PER_INITIATIVE
from carrefour.contributions.uploads import UPLOAD_RETENTION

FILE_WIDGET_ATTRS = {"accept": "image/jpeg,image/png,image/webp"}
KEPT_SALT = "carrefour.contributions.kept-upload"
# A form keeps an accepted file for a day less than the purge of abandoned uploads waits before deleting it.
KEPT_MAX_AGE = UPLOAD_RETENTION - timedelta(days=1)
EXPIRED = _("L'image choisie il y a plus de %(days)s jours n'a pas été gardée : choisissez son fichier de nouveau.")


def sign_upload(name: str, user) -> str:
    return signing.dumps(name, salt=f"{KEPT_SALT}.{user.pk}")


class UploadExpired(Exception):
    """A file kept from an earlier post is too old to be trusted to still exist (see uploads.UPLOAD_RETENTION)."""


def unsign_upload(value: str, user) -> str | None:
    """The stored name a kept-upload field carries, or None when it carries nothing valid for this person.

    Raises UploadExpired when it was signed longer ago than KEPT_MAX_AGE or its file is gone: the person is asked for
    the file again rather than having the image silently dropped from their edit."""
    if not value:
        return None
    try:
        name = signing.loads(value, salt=f"{KEPT_SALT}.{user.pk}", max_age=KEPT_MAX_AGE)
    except signing.SignatureExpired as error:
        raise UploadExpired from error
    except signing.BadSignature:
        return None
    if not default_storage.exists(name):
        raise UploadExpired
    return name


class ImagesForm(forms.Form):
    """`rows` are the images of the version the person started from (snapshot rows: file, alt_text, credit)."""

    new_image = forms.FileField(
        label=_("Ajouter une image (JPEG, PNG ou WebP, 5 Mo au plus)"),
        required=False,
        widget=forms.FileInput(attrs=FILE_WIDGET_ATTRS),
    )
    new_alt_text = forms.CharField(
        label=_("Ce que montre la nouvelle image, pour les personnes qui ne la voient pas"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : « Des bénévoles réparent un vélo dans l'atelier »."),
    )
    new_credit = forms.CharField(
        label=_("Crédit photo de la nouvelle image (facultatif)"), required=False, max_length=200
    )

    def __init__(self, *args, rows: list[dict], user, store=None, **kwargs):
        """`store(content) -> stored name` saves an accepted file (see actions.store_image)."""
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.get("file")]
        self.user = user
        self.store = store
        self.kept: dict[str, str] = {}  # file field name → signed stored name, re-sent as a hidden field
        self.stored: dict[str, str] = {}  # file field name → stored name
        fields = {}
        for index, row in enumerate(self.rows):
            number = index + 1
            fields[f"image_{index}_alt_text"] = forms.CharField(
                label=_("Ce que montre l'image %(number)s") % {"number": number},
                required=False,
                max_length=200,
                initial=row.get("alt_text", ""),
            )
            fields[f"image_{index}_credit"] = forms.CharField(
                label=_("Crédit photo de l'image %(number)s (facultatif)") % {"number": number},
                required=False,
                max_length=200,
                initial=row.get("credit", ""),
            )
            fields[f"image_{index}_replacement"] = forms.FileField(
                label=_("Remplacer l'image %(number)s par un autre fichier (facultatif)") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs=FILE_WIDGET_ATTRS),
            )
            fields[f"image_{index}_remove"] = forms.BooleanField(
                label=_("Retirer l'image %(number)s de la fiche") % {"number": number}, required=False
            )
        # Existing images first, then the new one, in reading order.
        new_fields = {name: self.fields.pop(name) for name in ("new_image", "new_alt_text", "new_credit")}
        self.fields.update(fields)
        self.fields.update(new_fields)

    def row_fields(self) -> list[dict]:
        """Bound fields grouped by image, for the template."""
        return [
            {
                "row": row,
                "url": default_storage.url(row["file"]),
                "number": index + 1,
                "fields": [self[f"image_{index}_{name}"] for name in ("alt_text", "credit", "replacement", "remove")],
                "replacement_kept": self.kept.get(f"image_{index}_replacement", ""),
                "replacement_field": f"image_{index}_replacement",
            }
            for index, row in enumerate(self.rows)
        ]

    def new_fields(self) -> list:
        return [self["new_image"], self["new_alt_text"], self["new_credit"]]

    def _file(self, name: str):
        """The slot's stored name: a new accepted upload (stored now), else the one kept from an earlier post."""
        from carrefour.contributions.images import clean_image

        uploaded = self.cleaned_data.get(name)
        if uploaded:
            try:
                stored = self.store(clean_image(uploaded))
            except forms.ValidationError as error:
                self.add_error(name, error)
                return None
            except ContributionError as error:
                self.add_error(name, str(error))
                return None
            self.kept[name] = sign_upload(stored, self.user)
            self.stored[name] = stored
            return stored
        signed = self.data.get(f"{name}_kept", "")
        try:
            stored = unsign_upload(signed, self.user)
        except UploadExpired:
            self.add_error(name, EXPIRED % {"days": KEPT_MAX_AGE.days})
            return None
        if stored:
            self.kept[name], self.stored[name] = signed, stored
        return stored

    def clean(self):
        cleaned = super().clean()
        count = 0
        for index in range(len(self.rows)):
            replacement = self._file(f"image_{index}_replacement")
            if cleaned.get(f"image_{index}_remove"):
                continue
            count += 1
            if replacement and not cleaned.get(f"image_{index}_alt_text"):
                self.add_error(
                    f"image_{index}_alt_text",
                    _("Décrivez la nouvelle image pour les personnes qui ne la voient pas."),
                )
        new = self._file("new_image")
        if new:
            count += 1
            if not cleaned.get("new_alt_text"):
                self.add_error("new_alt_text", _("Décrivez l'image pour les personnes qui ne la voient pas."))
        elif cleaned.get("new_alt_text") and "new_image" not in self.errors:
            self.add_error("new_image", _("Choisissez le fichier de l'image que vous décrivez."))
        if count > MAX_IMAGES_PER_INITIATIVE:
            self.add_error("new_image", _("Une fiche compte 6 images au plus : retirez-en une avant d'en ajouter."))
        return cleaned

    def to_rows(self) -> list[dict]:
        """The images of the sheet after this edit (snapshot rows)."""
        cleaned = self.cleaned_data
        rows = []
        for index, row in enumerate(self.rows):
            if cleaned.get(f"image_{index}_remove"):
                continue
            rows.append(
                {
                    "file": self.stored.get(f"image_{index}_replacement") or row["file"],
                    "alt_text": cleaned.get(f"image_{index}_alt_text") or "",
                    "credit": cleaned.get(f"image_{index}_credit") or "",
                }
            )
        if self.stored.get("new_image"):
            rows.append(
                {
                    "file": self.stored["new_image"],
                    "alt_text": cleaned.get("new_alt_text") or "",
                    "credit": cleaned.get("new_credit") or "",
                }
            )
        return rows
