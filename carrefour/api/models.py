"""Partner API tokens: only a hash is stored; the token itself is shown once, when it is created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A partner's key to the write endpoints, scoped to its source and/or its organisation."""

    name = models.CharField(_("nom"), max_length=150, help_text=_("À quoi sert ce jeton (partenaire, outil)."))
    prefix = models.CharField(_("début du jeton"), max_length=16, editable=False, db_index=True)
    token_hash = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True, editable=False)
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("source partenaire"),
    )
    organisation = models.ForeignKey(
        "catalog.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    # The account answerable for what the token sends: the author of its contributions.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__isnull=False) | models.Q(organisation__isnull=False),
                name="api_token_has_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
