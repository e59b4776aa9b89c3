"""Partner sources and the provenance of each record they bring."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from carrefour.core.fields import WebAddressField


class Licence(models.TextChoices):
    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    ODBL = "odbl-1.0", _("Open Database License (ODbL) 1.0")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0")
    OTHER = "other", _("Autre licence (voir l'attribution)")


class Source(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    website = WebAddressField(_("site web"), blank=True, max_length=500)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.ETALAB)
    attribution = models.CharField(_("mention d'attribution"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)

    class Meta:
        verbose_name = _("source partenaire")
        verbose_name_plural = _("sources partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceRecord(models.Model):
    """One partner record behind an initiative, keyed by (source, external_id)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records", verbose_name=_("source"))
    external_id = models.CharField(_("identifiant chez la source"), max_length=200)
    initiative = models.ForeignKey(
        "catalog.Initiative",
        on_delete=models.CASCADE,
        related_name="source_records",
        verbose_name=_("initiative"),
    )
    url = WebAddressField(_("lien vers la fiche d'origine"), blank=True, max_length=500)
    fetched_at = models.DateTimeField(_("récupérée le"))
    source_updated_at = models.DateTimeField(_("mise à jour chez la source le"), null=True, blank=True)
    payload = models.JSONField(_("données brutes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("enregistrement d'origine")
        verbose_name_plural = _("enregistrements d'origine")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="unique_source_record")]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"
