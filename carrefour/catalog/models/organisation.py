"""Organisations (actors) and their role in initiatives."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.validators import validate_rna, validate_siren, validate_siret
from carrefour.core.fields import WebAddressField


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True, editable=False)
    structure_type = models.ForeignKey(
        "catalog.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "structure_type"},
        verbose_name=_("type de structure"),
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("RNA"), max_length=10, blank=True, validators=[validate_rna])
    website = WebAddressField(_("site web"), blank=True, max_length=500)
    description = models.TextField(_("présentation (Markdown)"), blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("territoire (commune du siège)"),
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:organisation", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    CARRIER = "porteur", _("Porteur")
    PARTNER = "partenaire", _("Partenaire")
    FUNDER = "financeur", _("Financeur")


class Stakeholder(models.Model):
    """An organisation's role in an initiative."""

    initiative = models.ForeignKey("catalog.Initiative", on_delete=models.CASCADE, related_name="stakeholders")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stakes")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.CARRIER)

    class Meta:
        verbose_name = _("organisation impliquée")
        verbose_name_plural = _("organisations impliquées")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "organisation", "role"], name="unique_stakeholder_role")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"
