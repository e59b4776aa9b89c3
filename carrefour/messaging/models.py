"""The mail outbox (every mail of the platform), relayed contact messages and shared rate-limit counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("En attente d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec définitif")


class OutgoingMail(models.Model):
    """One mail to deliver. `carrefour send_outbox` claims it (a lease in `next_attempt_at`), sends it, marks it sent.

    While a worker holds the claim, `next_attempt_at` is the end of its lease: a worker that dies mid-send leaves a
    mail that becomes due again when the lease expires.
    """

    idempotency_key = models.CharField(_("clé d'idempotence"), max_length=120, unique=True)
    to = models.JSONField(_("destinataires"), default=list)
    cc = models.JSONField(_("copie"), default=list, blank=True)
    bcc = models.JSONField(_("copie cachée"), default=list, blank=True)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    from_email = models.CharField(_("expéditeur"), max_length=320)
    reply_to = models.JSONField(_("adresse de réponse"), default=list, blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), db_index=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    purge_after = models.DateTimeField(_("à effacer après le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"


class Purpose(models.TextChoices):
    QUESTION = "question", _("Poser une question")
    VISIT = "visite", _("Organiser une visite")
    PARTNERSHIP = "partenariat", _("Proposer un partenariat")
    REPLICATE = "essaimer", _("Essaimer le projet sur mon territoire")
    OTHER = "autre", _("Autre")


class RecipientKind(models.TextChoices):
    HOLDERS = "holders", _("Porteur·euses de la fiche")
    INITIATIVE_CONTACT = "initiative_contact", _("Contact de l'initiative")
    MODERATORS = "moderators", _("Équipe de modération")


class ContactMessage(models.Model):
    """A message relayed to an initiative. The body and the sender's identity are erased 30 days after delivery;
    the metadata (date, sender hash, sheet) is kept 12 months for abuse handling (R-GDPR-06)."""

    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="contact_messages", verbose_name=_("initiative")
    )
    sender_name = models.CharField(_("nom de l'expéditeur"), max_length=100, blank=True)
    sender_email = models.EmailField(_("e-mail de l'expéditeur"), blank=True)
    sender_hash = models.CharField(_("empreinte de l'expéditeur"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("objet de la prise de contact"), max_length=20, choices=Purpose.choices)
    body = models.TextField(_("message"), blank=True)
    recipient_kind = models.CharField(_("destinataire"), max_length=20, choices=RecipientKind.choices)
    mail = models.OneToOneField(
        OutgoingMail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_message",
        verbose_name=_("e-mail relayé"),
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    purge_after = models.DateTimeField(_("contenu à effacer après le"), null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(_("contenu effacé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message de mise en relation")
        verbose_name_plural = _("messages de mise en relation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.initiative_id} ({self.created_at:%Y-%m-%d})"


class RateCounter(models.Model):
    """A fixed-window counter shared by every worker process (the keys hold hashes, never a raw IP or address)."""

    key = models.CharField(_("clé"), max_length=120)
    window_start = models.DateTimeField(_("début de la fenêtre"))
    expires_at = models.DateTimeField(_("expire le"), db_index=True)
    count = models.PositiveIntegerField(_("compte"), default=0)

    class Meta:
        verbose_name = _("compteur de limite")
        verbose_name_plural = _("compteurs de limite")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
