"""Profiles, organisation memberships, roles granted to people and initiative holders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileType(models.TextChoices):
    PROJECT_HOLDER = "project_holder", _("Porteur·euse de projet")
    SUPPORT = "support", _("Accompagnateur·rice")
    COMPANY = "company", _("Entreprise")
    ELECTED = "elected", _("Élu·e")
    CITIZEN = "citizen", _("Citoyen·ne")
    RESEARCHER = "researcher", _("Chercheur·euse")
    OTHER = "other", _("Autre")


class Role(models.TextChoices):
    """Roles beyond the visitor (anonymous). Contributor and holder come from facts; the others are granted."""

    CONTRIBUTOR = "contributor", _("Contributeur·rice")
    HOLDER = "holder", _("Porteur·euse de projet")
    CURATOR = "curator", _("Partenaire référent·e")
    MODERATOR = "moderator", _("Modérateur·rice")
    ADMINISTRATOR = "administrator", _("Administrateur·rice")


GRANTABLE_ROLES = [(role.value, role.label) for role in (Role.CURATOR, Role.MODERATOR, Role.ADMINISTRATOR)]


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("compte")
    )
    display_name = models.CharField(_("nom affiché"), max_length=100, blank=True)
    profile_type = models.CharField(_("type de profil"), max_length=20, choices=ProfileType.choices, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self) -> str:
        return self.display_name or str(_("Profil sans nom"))


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("compte")
    )
    organisation = models.ForeignKey(
        "catalog.Organisation", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role_label = models.CharField(_("fonction"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance à une organisation")
        verbose_name_plural = _("appartenances à des organisations")
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role_label})" if self.role_label else str(self.organisation)


class RoleGrant(models.Model):
    """A curator, moderator or administrator role, optionally scoped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("compte")
    )
    role = models.CharField(_("rôle"), max_length=20, choices=GRANTABLE_ROLES)
    # Curators: the source or organisation they are trusted for.
    organisation = models.ForeignKey(
        "catalog.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("organisation"),
    )
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("source partenaire"),
    )
    # Moderators: no theme and no région means everything.
    themes = models.ManyToManyField(
        "catalog.Term",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "theme"},
        verbose_name=_("thématiques"),
    )
    regions = models.ManyToManyField("territories.Region", blank=True, related_name="+", verbose_name=_("régions"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accordé par"),
    )
    created_at = models.DateTimeField(_("accordé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rôle accordé")
        verbose_name_plural = _("rôles accordés")
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.user}"


class InitiativeHolder(models.Model):
    """The people who carry an initiative and may edit its sheet directly."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holdings", verbose_name=_("compte")
    )
    initiative = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="holders", verbose_name=_("initiative")
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accordé par"),
    )

    class Meta:
        verbose_name = _("porteur·euse d'une initiative")
        verbose_name_plural = _("porteur·euses d'initiatives")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "initiative"], name="unique_initiative_holder")]

    def __str__(self) -> str:
        return f"{self.user} — {self.initiative}"
