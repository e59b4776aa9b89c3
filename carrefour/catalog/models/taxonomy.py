"""The common taxonomy: vocabularies of terms with stable codes, loaded from versioned data files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.TextChoices):
    THEME = "theme", _("Thématique")
    PUBLIC = "public", _("Public")
    PLACE_TYPE = "place_type", _("Type de lieu ou d'initiative")
    INNOVATION_FORM = "innovation_form", _("Forme d'innovation")
    STAGE = "stage", _("Stade")
    SCALE = "scale", _("Échelle d'action")
    STRUCTURE_TYPE = "structure_type", _("Type de structure")
    PROFILE = "profile", _("Profil")
    ACTIVITY = "activity", _("Activité de réseau")


class Term(models.Model):
    vocabulary = models.CharField(_("vocabulaire"), max_length=20, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("définition"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    since_version = models.CharField(_("depuis la version"), max_length=20, blank=True)
    is_active = models.BooleanField(_("en usage"), default=True)

    class Meta:
        verbose_name = _("terme de la taxonomie")
        verbose_name_plural = _("termes de la taxonomie")
        ordering = ["vocabulary", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code"),
            models.UniqueConstraint(fields=["vocabulary", "slug"], name="unique_term_slug"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Crosswalk(models.Model):
    """A row of a crosswalk file: a code of another scheme maps to one of our terms (or to nothing)."""

    scheme = models.CharField(_("nomenclature d'origine"), max_length=40)
    source_code = models.CharField(_("code d'origine"), max_length=120)
    source_label = models.CharField(_("libellé d'origine"), max_length=200, blank=True)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="crosswalks", verbose_name=_("terme"))

    class Meta:
        verbose_name = _("correspondance de nomenclature")
        verbose_name_plural = _("correspondances de nomenclature")
        ordering = ["scheme", "source_code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "source_code", "term"], name="unique_crosswalk_row"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.source_code} → {self.term.code}"
