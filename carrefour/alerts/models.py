"""Saved searches with e-mail alerts, and what each alert already delivered (each initiative once)."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

CONFIRM_SALT = "carrefour.alerts.confirm"
MANAGE_SALT = "carrefour.alerts.manage"
UNSUBSCRIBE_SALT = "carrefour.alerts.unsubscribe"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_searches",
        verbose_name=_("compte"),
    )
    email = models.EmailField(_("adresse e-mail"))
    query_string = models.CharField(_("recherche (paramètres)"), max_length=2000, blank=True)
    label = models.CharField(_("nom de l'alerte"), max_length=200)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    confirmation_token = models.CharField(_("jeton de confirmation"), max_length=64, default=new_token)
    unsubscribe_token = models.CharField(_("jeton de désinscription"), max_length=64, default=new_token)
    last_sent_at = models.DateTimeField(_("dernier envoi le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("alerte de recherche")
        verbose_name_plural = _("alertes de recherche")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="savedsearch_due_idx")]

    def __str__(self) -> str:
        return self.label

    # Signed links: each carries the row id and its secret token, so that a new token revokes old links.
    @property
    def confirmation_link_token(self) -> str:
        return signing.dumps([self.pk, self.confirmation_token], salt=CONFIRM_SALT)

    @property
    def manage_link_token(self) -> str:
        return signing.dumps([self.pk, self.unsubscribe_token], salt=MANAGE_SALT)

    @property
    def unsubscribe_link_token(self) -> str:
        return signing.dumps([self.pk, self.unsubscribe_token], salt=UNSUBSCRIBE_SALT)


class AlertDelivery(models.Model):
    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alerte")
    )
    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("initiative envoyée par une alerte")
        verbose_name_plural = _("initiatives envoyées par les alertes")
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "initiative"], name="unique_alert_delivery"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.initiative_id}"
