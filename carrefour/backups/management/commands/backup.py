"""`carrefour backup [--output DIR] [--keep-daily 14] [--keep-monthly 6]`: one archive of the database and media.

Fit for cron (nightly): prints the archive path and a last line that is one JSON object. Without
CARREFOUR_BACKUP_KEY the archive is NOT encrypted: keep it on an encrypted disk or set a key.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.backups import retention
from carrefour.backups.actions import backup_key, create_backup
from carrefour.backups.database import BackupError


class Command(BaseCommand):
    help = _(
        "Sauvegarde la base de données et les fichiers envoyés dans une archive (chiffrée si une clé est définie)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("Dossier des sauvegardes (par défaut : <données>/backups)."))
        parser.add_argument(
            "--keep-daily",
            type=int,
            default=retention.DEFAULT_DAILY,
            help=_("Nombre de jours dont on garde la dernière sauvegarde."),
        )
        parser.add_argument(
            "--keep-monthly",
            type=int,
            default=retention.DEFAULT_MONTHLY,
            help=_("Nombre de mois dont on garde la dernière sauvegarde."),
        )

    def handle(self, *args, output=None, keep_daily, keep_monthly, **options):
        if keep_daily < 1 or keep_monthly < 0:
            raise CommandError(_("--keep-daily doit valoir au moins 1 et --keep-monthly au moins 0."))
        try:
            result = create_backup(output, daily=keep_daily, monthly=keep_monthly)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        self.stdout.write(_("Sauvegarde écrite : %(path)s") % {"path": result.path})
        self.stdout.write(
            _("%(tables)s tables, %(rows)s lignes, %(media)s fichiers envoyés.")
            % {"tables": len(tables), "rows": sum(tables.values()), "media": result.manifest["media_files"]}
        )
        if not backup_key():
            self.stdout.write(_("Attention : archive non chiffrée (CARREFOUR_BACKUP_KEY n'est pas définie)."))
        for path in result.pruned:
            self.stdout.write(_("Ancienne sauvegarde supprimée : %(name)s") % {"name": path.name})
        summary = {"archive": str(result.path), "encrypted": bool(backup_key()), "pruned": len(result.pruned)}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
