"""Where each address stands with the address geocoder. A table of our own rather than a flag on `Location`:
attempts, back-off and the geocoder's answer belong to this capability, and a location without a row was never
submitted (imports write locations in bulk; `carrefour geocode_pending --scan` finds them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GeocodeStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    DONE = "done", _("géocodée")
    NOT_FOUND = "not_found", _("adresse non trouvée")
    GAVE_UP = "gave_up", _("abandonnée après trop d'échecs")


class AddressGeocoding(models.Model):
    location = models.OneToOneField(
        "catalog.Location", on_delete=models.CASCADE, related_name="geocoding", verbose_name=_("lieu")
    )
    status = models.CharField(_("état"), max_length=20, choices=GeocodeStatus.choices, default=GeocodeStatus.PENDING)
    # The address as submitted: an edit that changes it starts over.
    query = models.CharField(_("adresse soumise"), max_length=400)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    result_label = models.CharField(_("adresse trouvée"), max_length=400, blank=True)
    result_kind = models.CharField(_("niveau trouvé"), max_length=20, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("géocodage d'adresse")
        verbose_name_plural = _("géocodages d'adresses")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="geocoding_due_idx")]

    def __str__(self) -> str:
        return f"{self.query} ({self.get_status_display()})"
