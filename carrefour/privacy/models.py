"""Erasure tombstones (what re-users must forget), rights requests from people without an account, and the
warnings sent to inactive accounts before their deletion."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

CONFIRM_SALT = "carrefour.privacy.confirm-request"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ErasureTombstone(models.Model):
    """An erasure, published so that re-users of the API and exports propagate it (Art. 19). No personal data:
    the kind of object, its id on this platform and the names of the fields that were erased."""

    object_type = models.CharField(_("type d'objet"), max_length=40)
    object_id = models.CharField(_("identifiant"), max_length=64)
    fields = models.JSONField(_("champs effacés"), default=list, blank=True)
    erased_at = models.DateTimeField(_("effacé le"), db_index=True)

    class Meta:
        verbose_name = _("trace d'effacement")
        verbose_name_plural = _("traces d'effacement")
        ordering = ["erased_at", "pk"]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} ({self.erased_at:%Y-%m-%d})"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Accéder aux données me concernant")
    RECTIFICATION = "rectification", _("Faire corriger des données me concernant")
    ERASURE = "erasure", _("Faire effacer des données me concernant")
    OBJECTION = "objection", _("M'opposer à un traitement (par exemple la publication de mes coordonnées)")


class RequestStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Adresse non confirmée")
    OPEN = "open", _("À traiter")
    DONE = "done", _("Traitée")
    REFUSED = "refused", _("Refusée (motivée)")


class RightsRequest(models.Model):
    """A request by someone named in the catalogue (or anyone) without an account. It counts once its e-mail address
    is confirmed; moderators then have one month to answer (Art. 12(3))."""

    Kind = RequestKind
    Status = RequestStatus

    kind = models.CharField(_("demande"), max_length=20, choices=RequestKind.choices)
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    concerned = models.CharField(_("fiche ou page concernée"), max_length=500, blank=True)
    details = models.TextField(_("précisions"), max_length=3000, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.UNCONFIRMED, db_index=True
    )
    confirmation_token = models.CharField(_("jeton de confirmation"), max_length=64, default=new_token)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    due_at = models.DateTimeField(_("réponse due le"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    answer = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("demande d'exercice des droits")
        verbose_name_plural = _("demandes d'exercice des droits")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def confirmation_link_token(self) -> str:
        """Signed (row id, secret token): the link in the confirmation mail."""
        return signing.dumps([self.pk, self.confirmation_token], salt=CONFIRM_SALT)

    @property
    def initiative(self):
        """No sheet in particular: the permission rules then require an unscoped moderator."""
        return None


class InactivityWarning(models.Model):
    """An inactive account was warned (23 months without login); it is erased at 24 months unless it logs in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_warning", verbose_name=_("compte")
    )
    warned_at = models.DateTimeField(_("averti le"))

    class Meta:
        verbose_name = _("avertissement d'inactivité")
        verbose_name_plural = _("avertissements d'inactivité")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.warned_at:%Y-%m-%d})"
