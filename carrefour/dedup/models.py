"""Duplicate candidates, the decisions taken on them, the merges, and the matcher's runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("À examiner")
    MERGED = "merged", _("Fusionnées")
    DISTINCT = "distinct", _("Pas des doublons")


class DuplicateCandidate(models.Model):
    """Two sheets that may describe the same thing; `first` has the smaller id. One row per pair, forever."""

    Status = CandidateStatus

    first = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("première fiche")
    )
    second = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("seconde fiche")
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("raisons"), default=list, blank=True)
    rule = models.CharField(_("règle de fusion automatique"), max_length=40, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("détecté le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id} ({self.score:.2f})"

    @property
    def initiative(self):
        """The sheet permissions are checked on (a moderator's scope): the first of the pair."""
        return self.first


class Merge(models.Model):
    """One merge: which sheet survived, which was merged into it, and where each kept value came from."""

    survivor = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="merges", verbose_name=_("fiche conservée")
    )
    merged = models.ForeignKey(
        "catalog.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("fiche fusionnée")
    )
    candidate = models.ForeignKey(
        DuplicateCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    rule = models.CharField(_("règle de fusion automatique"), max_length=40, blank=True)
    # field → {"value": …, "from_initiative": id, "from_source": slug or "", "reason": …}
    field_choices = models.JSONField(_("provenance des champs"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("fusion")
        verbose_name_plural = _("fusions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class DedupRun(models.Model):
    """A run of the matcher; the next run only compares pairs touching sheets changed since this one started."""

    started_at = models.DateTimeField(_("commencé le"))
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("passage du détecteur de doublons")
        verbose_name_plural = _("passages du détecteur de doublons")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
