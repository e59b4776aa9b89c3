"""`carrefour restore ARCHIVE [--yes]`: replace the database (and media files) with a backup, then check it."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.backups.actions import has_content, read_manifest, restore_backup
from carrefour.backups.database import BackupError

YES = {"oui", "o"}


class Command(BaseCommand):
    help = _("Restaure une sauvegarde : la base de données est remplacée, puis comparée au manifeste de l'archive.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("Fichier de sauvegarde (.tar.gz ou .tar.gz.enc)."))
        parser.add_argument("--yes", action="store_true", help=_("Ne pas demander de confirmation."))
        parser.add_argument(
            "--no-reindex",
            action="store_true",
            help=_("Ne pas reconstruire l'index de recherche (à faire ensuite : carrefour reindex)."),
        )

    def handle(self, *args, archive, yes, no_reindex, **options):
        try:
            manifest = read_manifest(archive)
            self.stdout.write(
                _("Sauvegarde du %(date)s (base %(vendor)s, version %(version)s).")
                % {
                    "date": manifest.get("created_at"),
                    "vendor": manifest.get("vendor"),
                    "version": manifest.get("app_version"),
                }
            )
            if has_content() and not yes:
                self._confirm()
            result = restore_backup(archive, rebuild_index=not no_reindex)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result, no_reindex)

    def _confirm(self) -> None:
        question = _(
            "La base de données n'est pas vide : tout son contenu sera remplacé. Tapez « oui » pour continuer : "
        )
        if not sys.stdin.isatty():
            raise CommandError(_("La base de données n'est pas vide : relancez avec --yes pour la remplacer."))
        if input(question).strip().lower() not in YES:
            raise CommandError(_("Restauration annulée : rien n'a été modifié."))

    def _report(self, result, no_reindex: bool) -> None:
        tables = result.manifest.get("tables", {})
        if result.problems:
            self.stderr.write(_("La base restaurée ne correspond pas au manifeste :"))
            for problem in result.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(_("Restauration incomplète : vérifiez la sauvegarde avant de rouvrir le site."))
        self.stdout.write(
            _(
                "Restauration vérifiée : %(tables)s tables et %(rows)s lignes conformes au manifeste, "
                "empreinte des initiatives identique ; %(media)s fichiers envoyés remis en place."
            )
            % {"tables": len(tables), "rows": sum(tables.values()), "media": result.media_files}
        )
        if result.unapplied_migrations:
            self.stdout.write(
                _(
                    "Cette sauvegarde vient d'une version antérieure (%(count)s migrations à appliquer) : lancez "
                    "« carrefour migrate » puis « carrefour reindex » avant de rouvrir le site."
                )
                % {"count": len(result.unapplied_migrations)}
            )
        elif result.reindexed:
            self.stdout.write(_("Index de recherche reconstruit."))
        elif no_reindex:
            self.stdout.write(_("Index de recherche non reconstruit : lancez « carrefour reindex »."))
        else:
            self.stderr.write(
                _("L'index de recherche n'a pas pu être reconstruit (%(error)s) : lancez « carrefour reindex ».")
                % {"error": result.reindex_error}
            )
