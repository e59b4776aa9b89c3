"""« Je veux essaimer »: replication requests, their message threads, and consent to appear in the actors directory."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carrefour.accounts.models import ProfileType


class ReplicationStatus(models.TextChoices):
    SENT = "sent", _("Envoyée")
    READ = "read", _("Lue")
    DISCUSSING = "discussing", _("En discussion")
    SUPPORTED = "supported", _("Accompagnée")
    DECLINED = "declined", _("Déclinée")
    UNANSWERED = "unanswered", _("Sans réponse")


class Need(models.TextChoices):
    ADVICE = "advice", _("Des conseils")
    METHODS = "methods", _("Des méthodes et outils")
    PARTNERSHIP = "partnership", _("Un partenariat")
    LICENCE = "licence", _("Une licence ou une franchise")
    VISIT = "visit", _("Une visite")


class ReplicationRequest(models.Model):
    """Someone wants to replicate an initiative (the model) in their territory (a commune or an EPCI)."""

    Status = ReplicationStatus

    model_initiative = models.ForeignKey(
        "catalog.Initiative",
        on_delete=models.CASCADE,
        related_name="replication_requests",
        verbose_name=_("initiative modèle"),
    )
    # SET_NULL: a deleted account leaves the request (the holders' history) without its author.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replication_requests",
        verbose_name=_("demandeur·euse"),
    )
    requester_name = models.CharField(_("nom"), max_length=100)
    requester_organisation = models.CharField(_("structure"), max_length=200, blank=True)
    requester_profile_type = models.CharField(_("profil"), max_length=20, choices=ProfileType.choices, blank=True)
    territory_commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune visée"),
    )
    territory_epci = models.ForeignKey(
        "territories.EPCI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intercommunalité visée"),
    )
    needs = models.JSONField(_("besoins"), default=list)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("étape"), max_length=20, choices=ReplicationStatus.choices, default=ReplicationStatus.SENT, db_index=True
    )
    replica = models.ForeignKey(
        "catalog.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replication_origin_requests",
        verbose_name=_("initiative née de l'essaimage"),
    )
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    purged_at = models.DateTimeField(_("messages effacés le"), null=True, blank=True)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("demande d'essaimage")
        verbose_name_plural = _("demandes d'essaimage")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(territory_commune__isnull=False) | models.Q(territory_epci__isnull=False),
                name="replication_has_territory",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_initiative} → {self.territory}"

    def get_absolute_url(self) -> str:
        return reverse("contacts:request", kwargs={"pk": self.pk})

    @property
    def initiative(self):
        """The initiative the request is about (what the permission rules read: its holders answer it)."""
        return self.model_initiative

    @property
    def territory(self):
        return self.territory_commune or self.territory_epci

    @property
    def territory_label(self) -> str:
        if self.territory_commune_id:
            return str(self.territory_commune)
        return str(self.territory_epci) if self.territory_epci_id else ""

    def need_labels(self) -> list[str]:
        return [str(Need(need).label) for need in self.needs if need in Need.values]

    @property
    def is_open(self) -> bool:
        """Still waiting for an outcome (not accompagnée, déclinée or sans réponse)."""
        return self.status in (ReplicationStatus.SENT, ReplicationStatus.READ, ReplicationStatus.DISCUSSING)


class ReplicationMessage(models.Model):
    """A message of the thread between the requester and the model's holders (bodies purged, see purge.py)."""

    request = models.ForeignKey(
        ReplicationRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("demande")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur·rice"),
    )
    from_requester = models.BooleanField(_("écrit par le demandeur"), default=False)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    purged_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message d'une demande d'essaimage")
        verbose_name_plural = _("messages des demandes d'essaimage")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} — {self.created_at:%Y-%m-%d}"


# The wording a person agrees to when they appear in the directory (R-GDPR-02: its version is recorded).
DIRECTORY_CONSENT_VERSION = "2026-1"


class DirectoryListing(models.Model):
    """A person's consent to appear in the actors directory, with what they chose to show (never their e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_listing", verbose_name=_("compte")
    )
    visible = models.BooleanField(_("visible dans l'annuaire"), default=False)
    shown_name = models.CharField(_("nom affiché dans l'annuaire"), max_length=100, blank=True)
    shown_profile_type = models.CharField(_("profil affiché"), max_length=20, choices=ProfileType.choices, blank=True)
    show_organisations = models.BooleanField(_("afficher mes organisations"), default=False)
    consented_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_version = models.CharField(_("version du texte accepté"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("présence dans l'annuaire")
        verbose_name_plural = _("présences dans l'annuaire")
        ordering = ["shown_name"]

    def __str__(self) -> str:
        return self.shown_name or str(self.user_id)
