"""Searches that found nothing, aggregated per month: a folded, truncated text and a count; nothing else (no
user, no IP, no time of day), so that no personal data is kept (see `record.py` for what is never stored)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZeroResultQuery(models.Model):
    normalised_text = models.CharField(_("recherche (normalisée)"), max_length=100)
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois."))
    count = models.PositiveIntegerField(_("nombre de recherches"), default=0)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        constraints = [models.UniqueConstraint(fields=["normalised_text", "month"], name="zero_result_text_month")]
        indexes = [models.Index(fields=["month"], name="zero_result_month_idx")]

    def __str__(self) -> str:
        return f"{self.normalised_text} ({self.month:%Y-%m}) × {self.count}"
