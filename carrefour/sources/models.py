"""Partner sources, the provenance of each record they bring, and the history of their imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carrefour.core.fields import WebAddressField


class Licence(models.TextChoices):
    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    ODBL = "odbl-1.0", _("Open Database License (ODbL) 1.0")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0")
    OTHER = "other", _("Autre licence (voir l'attribution)")


class Source(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    website = WebAddressField(_("site web"), blank=True, max_length=500)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.ETALAB)
    attribution = models.CharField(_("mention d'attribution"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)
    # The whole configuration (connector, mapping, recoding, policies), as read from its YAML file or saved by the
    # back-office import page; `config_file` names the versioned file it came from, if any.
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    config_file = models.CharField(_("fichier de configuration"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("source partenaire")
        verbose_name_plural = _("sources partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceRecord(models.Model):
    """One partner record behind an initiative, keyed by (source, external_id)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records", verbose_name=_("source"))
    external_id = models.CharField(_("identifiant chez la source"), max_length=200)
    initiative = models.ForeignKey(
        "catalog.Initiative",
        on_delete=models.CASCADE,
        related_name="source_records",
        verbose_name=_("initiative"),
    )
    url = WebAddressField(_("lien vers la fiche d'origine"), blank=True, max_length=500)
    fetched_at = models.DateTimeField(_("récupérée le"))
    source_updated_at = models.DateTimeField(_("mise à jour chez la source le"), null=True, blank=True)
    payload = models.JSONField(_("données brutes"), default=dict, blank=True)
    # The normalised values last imported, per field: a field whose current value differs was edited here.
    imported_values = models.JSONField(_("valeurs importées"), default=dict, blank=True)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, blank=True)
    line = models.PositiveIntegerField(_("ligne dans le fichier"), null=True, blank=True)
    absent_since = models.DateTimeField(_("absente du flux depuis"), null=True, blank=True)
    archived_by_sync = models.BooleanField(_("archivée car absente du flux"), default=False)

    class Meta:
        verbose_name = _("enregistrement d'origine")
        verbose_name_plural = _("enregistrements d'origine")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="unique_source_record")]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("En cours")
    SUCCEEDED = "succeeded", _("Réussi")
    FAILED = "failed", _("Échoué")
    REFUSED = "refused", _("Refusé (import déjà en cours)")


class ImportRun(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs", verbose_name=_("source"))
    started_at = models.DateTimeField(_("commencé le"))
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    dry_run = models.BooleanField(_("essai à blanc"), default=False)
    file_name = models.CharField(_("fichier"), max_length=300, blank=True)
    counts = models.JSONField(_("compteurs"), default=dict, blank=True)
    errors = models.JSONField(_("erreurs par ligne"), default=list, blank=True)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)
    unmapped_tags = models.JSONField(_("étiquettes sans correspondance"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source.slug} {self.started_at:%Y-%m-%d %H:%M}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("À examiner")
    KEPT_LOCAL = "kept_local", _("Valeur locale conservée")
    TOOK_INCOMING = "took_incoming", _("Valeur de la source appliquée")


class SyncConflict(models.Model):
    """An incoming change on a field that was edited here: the local value was kept, a moderator decides."""

    Status = ConflictStatus

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="conflicts")
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="conflicts")
    field = models.CharField(_("champ"), max_length=60)
    local_value = models.JSONField(_("valeur locale"), null=True, blank=True)
    incoming_value = models.JSONField(_("valeur reçue"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ConflictStatus.choices, default=ConflictStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("tranché le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tranché par"),
    )

    class Meta:
        verbose_name = _("conflit de synchronisation")
        verbose_name_plural = _("conflits de synchronisation")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record} · {self.field}"

    @property
    def initiative(self):
        """The sheet the conflict is about: the record's initiative, or the one it was merged into."""
        initiative = self.record.initiative
        for _depth in range(10):
            if initiative.merged_into_id is None:
                break
            initiative = initiative.merged_into or initiative
        return initiative

    @property
    def is_open(self) -> bool:
        return self.status == ConflictStatus.OPEN


class ImportLock(models.Model):
    """One row per source; a run holds it by setting `holder` with a conditional UPDATE (works across processes)."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="import_lock")
    holder = models.CharField(max_length=100, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verrou d'import")
        verbose_name_plural = _("verrous d'import")

    def __str__(self) -> str:
        return f"{self.source.slug}: {self.holder or '-'}"
