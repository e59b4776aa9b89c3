"""Typed audit events, written by every action that changes state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    INITIATIVE_CREATED = "initiative_created", _("Initiative créée")
    INITIATIVE_UPDATED = "initiative_updated", _("Initiative modifiée")
    INITIATIVE_RENAMED = "initiative_renamed", _("Initiative renommée")
    INITIATIVE_STATUS_CHANGED = "initiative_status_changed", _("Statut d'initiative changé")
    ORGANISATION_CREATED = "organisation_created", _("Organisation créée")
    ORGANISATION_UPDATED = "organisation_updated", _("Organisation modifiée")
    ORGANISATION_RENAMED = "organisation_renamed", _("Organisation renommée")
    TAXONOMY_LOADED = "taxonomy_loaded", _("Taxonomie chargée")
    GAZETTEER_LOADED = "gazetteer_loaded", _("Référentiel géographique chargé")
    DEMO_GENERATED = "demo_generated", _("Données de démonstration générées")
    # accounts and roles
    # contributions and moderation
    # partner sources and imports
    # deduplication


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    # No `choices` here: each app adds its event types to `EventType` without a migration; `record_event` checks them.
    event_type = models.CharField(_("type d'événement"), max_length=40)
    object_type = models.CharField(_("type d'objet"), max_length=40, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    data = models.JSONField(_("données"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des événements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.object_type}:{self.object_id}"

    def get_event_type_display(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type
