"""Follows (an initiative, an organisation or a territory), favourites as personal lists, and the notifications of
what changed in what one follows."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DIGEST_UNSUBSCRIBE_SALT = "carrefour.follows.digest-unsubscribe"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FollowKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    ORGANISATION = "organisation", _("Organisation")
    TERRITORY = "territory", _("Territoire")


class Follow(models.Model):
    """One followed object: an initiative, an organisation, or a territory (level + code, as its pages address it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("compte")
    )
    kind = models.CharField(_("objet suivi"), max_length=20, choices=FollowKind.choices)
    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="followers"
    )
    organisation = models.ForeignKey(
        "catalog.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="followers"
    )
    territory_level = models.CharField(_("niveau du territoire"), max_length=20, blank=True)
    territory_code = models.CharField(_("code du territoire"), max_length=9, blank=True)
    created_at = models.DateTimeField(_("suivi depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "initiative"], condition=Q(kind="initiative"), name="unique_follow_initiative"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=Q(kind="organisation"), name="unique_follow_organisation"
            ),
            models.UniqueConstraint(
                fields=["user", "territory_level", "territory_code"],
                condition=Q(kind="territory"),
                name="unique_follow_territory",
            ),
        ]
        indexes = [models.Index(fields=["kind", "territory_level", "territory_code"], name="follow_territory_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.kind}"


class FavouriteList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_lists", verbose_name=_("compte")
    )
    name = models.CharField(_("nom de la liste"), max_length=100)
    is_shared = models.BooleanField(_("partagée par un lien"), default=False)
    # Unguessable: whoever has the link reads the list (and nothing else); a new token revokes the old link.
    share_token = models.CharField(_("jeton de partage"), max_length=64, default=new_token, unique=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("liste de favoris")
        verbose_name_plural = _("listes de favoris")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("follows:list", kwargs={"pk": self.pk})

    def share_path(self) -> str:
        return reverse("follows:shared_list", kwargs={"token": self.share_token})


class FavouriteItem(models.Model):
    favourite_list = models.ForeignKey(
        FavouriteList, on_delete=models.CASCADE, related_name="items", verbose_name=_("liste")
    )
    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    added_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("favori")
        verbose_name_plural = _("favoris")
        ordering = ["-added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["favourite_list", "initiative"], name="unique_favourite_item"),
        ]

    def __str__(self) -> str:
        return f"{self.favourite_list_id} ∋ {self.initiative_id}"


class NotificationKind(models.TextChoices):
    UPDATED = "updated", _("Fiche mise à jour")
    STATUS = "status", _("Changement de statut")
    NEW_IN_TERRITORY = "new_in_territory", _("Nouvelle initiative dans un territoire suivi")
    NEW_IN_ORGANISATION = "new_in_organisation", _("Nouvelle initiative d'une organisation suivie")
    ORGANISATION_UPDATED = "organisation_updated", _("Organisation mise à jour")


class Notification(models.Model):
    """What changed in something the user follows (an initiative, or an organisation itself).

    One per (user, audit event), so never twice for one change; `event_id` is the last event it tells of (a run
    groups the events of one initiative or organisation into one notification per person)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("compte")
    )
    kind = models.CharField(_("type"), max_length=30, choices=NotificationKind.choices)
    initiative = models.ForeignKey(
        "catalog.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiative"),
    )
    organisation = models.ForeignKey(
        "catalog.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    event_id = models.PositiveBigIntegerField(_("événement du journal"))
    summary = models.CharField(_("résumé"), max_length=300)
    created_at = models.DateTimeField(_("créée le"), db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_id"], name="unique_notification_event"),
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(organisation__isnull=False), name="notification_has_target"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.summary

    @property
    def target_url(self) -> str:
        """Where the notification leads; empty when the sheet is no longer public (its page would be a 404).
        A merged sheet's address still leads to the sheet it was merged into."""
        if self.initiative_id is not None:
            initiative = self.initiative
            return initiative.get_absolute_url() if initiative.is_public or initiative.merged_into_id else ""
        return self.organisation.get_absolute_url() if self.organisation_id is not None else ""


class NotifierCursor(models.Model):
    """The last audit event `notify_followers` processed (one row): each run starts after it."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("curseur des notifications")
        verbose_name_plural = _("curseurs des notifications")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class DigestSubscription(models.Model):
    """Opt-in weekly mail of the unread notifications, with a one-click unsubscribe link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_digest", verbose_name=_("compte")
    )
    unsubscribe_token = models.CharField(_("jeton de désinscription"), max_length=64, default=new_token)
    last_sent_at = models.DateTimeField(_("dernier envoi le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("résumé hebdomadaire des suivis")
        verbose_name_plural = _("résumés hebdomadaires des suivis")

    def __str__(self) -> str:
        return str(self.user_id)

    @property
    def unsubscribe_link_token(self) -> str:
        return signing.dumps([self.pk, self.unsubscribe_token], salt=DIGEST_UNSUBSCRIBE_SALT)
