"""Revisions (the history of every sheet), claims (« Je porte ce projet ») and problem reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposition d'initiative")
    SUGGESTED_EDIT = "suggested_edit", _("Modification proposée")
    DIRECT_EDIT = "direct_edit", _("Modification directe")
    REVERT = "revert", _("Restauration")
    IMPORT = "import", _("Import")


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")
    APPLIED = "applied", _("Appliquée")


class Revision(models.Model):
    """One state of a sheet. Applied revisions are the history; pending ones wait for a moderator."""

    Kind = RevisionKind
    Status = RevisionStatus

    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    organisation = models.ForeignKey(
        "catalog.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    kind = models.CharField(_("nature"), max_length=20, choices=RevisionKind.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PENDING, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("auteur ou autrice"),
    )
    base_version = models.PositiveIntegerField(_("version de départ"), null=True, blank=True)
    applied_version = models.PositiveIntegerField(_("version produite"), null=True, blank=True)
    data = models.JSONField(_("contenu"), default=dict, blank=True)
    # The sheet as it was just before this revision was applied (or when the edit was started): the diff's left side.
    previous_data = models.JSONField(_("contenu précédent"), default=dict, blank=True)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("restaure")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    applied_at = models.DateTimeField(_("appliquée le"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision de"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    message = models.TextField(_("message de la modération"), blank=True)

    class Meta:
        verbose_name = _("révision")
        verbose_name_plural = _("révisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="revision_kind_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=False) | models.Q(organisation__isnull=False),
                name="revision_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def target(self):
        return self.initiative or self.organisation

    @property
    def is_open(self) -> bool:
        return self.status in (RevisionStatus.PENDING, RevisionStatus.CHANGES_REQUESTED)

    @property
    def resume_step(self) -> str:
        """The proposal step where its author picks it up again: the review page, which lists what is missing."""
        return "verifier"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class Claim(models.Model):
    """« Je porte ce projet »: a person asks to become a holder of a sheet."""

    Status = ClaimStatus

    initiative = models.ForeignKey("catalog.Initiative", on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    message = models.TextField(_("votre lien avec l'initiative"), max_length=2000)
    status = models.CharField(
        _("statut"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reason = models.TextField(_("motif de la décision"), blank=True)

    class Meta:
        verbose_name = _("demande de rattachement")
        verbose_name_plural = _("demandes de rattachement")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"


class ReportReason(models.TextChoices):
    WRONG_INFORMATION = "wrong_information", _("Informations erronées")
    CLOSED = "closed", _("L'initiative a cessé ou le lieu a fermé")
    DUPLICATE = "duplicate", _("Doublon d'une autre fiche")
    INAPPROPRIATE = "inappropriate", _("Contenu inapproprié")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("À examiner")
    RESTORED = "restored", _("Fiche maintenue")
    ARCHIVED = "archived", _("Fiche archivée")


class Report(models.Model):
    """A problem reported on a sheet. Enough distinct reporters hide the sheet until a moderator decides."""

    Reason = ReportReason
    Status = ReportStatus

    initiative = models.ForeignKey("catalog.Initiative", on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("problème"), max_length=30, choices=ReportReason.choices)
    message = models.TextField(_("précisions"), max_length=2000)
    status = models.CharField(
        _("statut"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decision_message = models.TextField(_("motif de la décision"), blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.initiative}"
