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
    PROFILE_UPDATED = "profile_updated", _("Profil modifié")
    MEMBERSHIP_ADDED = "membership_added", _("Appartenance à une organisation ajoutée")
    MEMBERSHIP_REMOVED = "membership_removed", _("Appartenance à une organisation retirée")
    HOLDER_ADDED = "holder_added", _("Porteur·euse de projet ajouté·e")
    HOLDER_REMOVED = "holder_removed", _("Porteur·euse de projet retiré·e")
    ROLE_GRANTED = "role_granted", _("Rôle accordé")
    ROLE_UPDATED = "role_updated", _("Rôle modifié")
    ROLE_REVOKED = "role_revoked", _("Rôle retiré")
    ACCOUNT_EXPORTED = "account_exported", _("Données du compte téléchargées")
    ACCOUNT_DELETED = "account_deleted", _("Compte supprimé")
    # contributions and moderation
    PROPOSAL_DRAFT_SAVED = "proposal_draft_saved", _("Brouillon de proposition enregistré")
    PROPOSAL_SUBMITTED = "proposal_submitted", _("Proposition d'initiative soumise")
    EDIT_SUGGESTED = "edit_suggested", _("Modification proposée")
    DIRECT_EDIT_APPLIED = "direct_edit_applied", _("Modification directe publiée")
    REVISION_APPROVED = "revision_approved", _("Contribution acceptée")
    REVISION_CHANGES_REQUESTED = "revision_changes_requested", _("Modifications demandées au contributeur")
    REVISION_REJECTED = "revision_rejected", _("Contribution refusée")
    REVISION_REVERTED = "revision_reverted", _("Fiche restaurée à une version antérieure")
    USER_EDITS_REVERTED = "user_edits_reverted", _("Modifications d'une personne annulées")
    IMAGE_UPLOADED = "image_uploaded", _("Image ajoutée")
    CLAIM_SUBMITTED = "claim_submitted", _("Demande « Je porte ce projet »")
    CLAIM_APPROVED = "claim_approved", _("Demande de rattachement acceptée")
    CLAIM_REJECTED = "claim_rejected", _("Demande de rattachement refusée")
    INITIATIVE_REPORTED = "initiative_reported", _("Problème signalé")
    INITIATIVE_HIDDEN_BY_REPORTS = "initiative_hidden_by_reports", _("Fiche masquée après signalements")
    REPORTS_RESOLVED = "reports_resolved", _("Signalements traités")
    INITIATIVE_CONFIRMED = "initiative_confirmed", _("Fiche confirmée à jour")
    # partner sources and imports
    SOURCE_CONFIGURED = "source_configured", _("Source partenaire configurée")
    IMPORT_RUN_FINISHED = "import_run_finished", _("Import de source terminé")
    IMPORT_RUN_FAILED = "import_run_failed", _("Import de source échoué")
    SYNC_CONFLICT_CREATED = "sync_conflict_created", _("Conflit de synchronisation créé")
    SOURCE_RECORDS_ARCHIVED = "source_records_archived", _("Fiches absentes du flux archivées")
    SYNC_CONFLICT_KEPT_LOCAL = "sync_conflict_kept_local", _("Conflit de synchronisation : valeur locale gardée")
    SYNC_CONFLICT_TOOK_INCOMING = "sync_conflict_took_incoming", _("Conflit de synchronisation : valeur reçue prise")
    # deduplication
    DUPLICATES_DETECTED = "duplicates_detected", _("Doublons possibles détectés")
    DUPLICATES_MERGED = "duplicates_merged", _("Fiches en double fusionnées")
    DUPLICATE_MARKED_DISTINCT = "duplicate_marked_distinct", _("Fiches déclarées distinctes")
    # public API
    API_TOKEN_CREATED = "api_token_created", _("Jeton d'API créé")
    API_TOKEN_REVOKED = "api_token_revoked", _("Jeton d'API révoqué")
    API_INITIATIVE_SUBMITTED = "api_initiative_submitted", _("Initiative proposée par l'API partenaire")
    API_INITIATIVE_UPDATED = "api_initiative_updated", _("Initiative modifiée par l'API partenaire")
    # messaging and alerts
    CONTACT_MESSAGE_RELAYED = "contact_message_relayed", _("Message transmis à une initiative")
    PERSONAL_DATA_PURGED = "personal_data_purged", _("Données personnelles effacées (durées de conservation)")
    ALERT_CREATED = "alert_created", _("Alerte de recherche créée")
    ALERT_CONFIRMED = "alert_confirmed", _("Alerte de recherche confirmée")
    ALERT_UPDATED = "alert_updated", _("Alerte de recherche modifiée")
    ALERT_UNSUBSCRIBED = "alert_unsubscribed", _("Désinscription d'une alerte de recherche")
    ALERT_DIGEST_SENT = "alert_digest_sent", _("Envoi d'une alerte de recherche")
    # contacts, essaimage and follows
    REPLICATION_REQUESTED = "replication_requested", _("Demande d'essaimage envoyée")
    REPLICATION_STATUS_CHANGED = "replication_status_changed", _("Demande d'essaimage : étape changée")
    REPLICATION_MESSAGE_POSTED = "replication_message_posted", _("Demande d'essaimage : message envoyé")
    REPLICATION_REMINDER_SENT = "replication_reminder_sent", _("Demande d'essaimage : relance envoyée")
    REPLICATION_LINKED = "replication_linked", _("Initiative rattachée à son modèle (essaimage)")
    DIRECTORY_LISTING_UPDATED = "directory_listing_updated", _("Présence dans l'annuaire des acteurs modifiée")
    FOLLOW_ADDED = "follow_added", _("Suivi ajouté")
    FOLLOW_REMOVED = "follow_removed", _("Suivi retiré")
    FAVOURITE_LIST_CREATED = "favourite_list_created", _("Liste de favoris créée")
    FAVOURITE_LIST_UPDATED = "favourite_list_updated", _("Liste de favoris modifiée")
    FAVOURITE_LIST_DELETED = "favourite_list_deleted", _("Liste de favoris supprimée")
    FAVOURITE_ADDED = "favourite_added", _("Initiative ajoutée à une liste de favoris")
    FAVOURITE_REMOVED = "favourite_removed", _("Initiative retirée d'une liste de favoris")
    FOLLOW_DIGEST_CHANGED = "follow_digest_changed", _("Résumé hebdomadaire des suivis activé ou désactivé")
    FOLLOW_DIGEST_SENT = "follow_digest_sent", _("Résumé hebdomadaire des suivis envoyé")
    # open data
    OPEN_DATA_EXPORTED = "open_data_exported", _("Données ouvertes régénérées")
    # personal data
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Données personnelles d'une personne effacées")
    RIGHTS_REQUEST_SUBMITTED = "rights_request_submitted", _("Demande d'exercice des droits reçue")
    RIGHTS_REQUEST_CONFIRMED = "rights_request_confirmed", _("Demande d'exercice des droits confirmée")
    RIGHTS_REQUEST_CLOSED = "rights_request_closed", _("Demande d'exercice des droits traitée")
    INACTIVE_ACCOUNT_WARNED = "inactive_account_warned", _("Compte inactif averti de sa suppression prochaine")
    # backups and geocoding
    BACKUP_CREATED = "backup_created", _("Sauvegarde créée")
    BACKUP_RESTORED = "backup_restored", _("Sauvegarde restaurée")
    LOCATION_GEOCODED = "location_geocoded", _("Adresse d'un lieu géocodée")


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
