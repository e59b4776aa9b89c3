"""`carrefour dedup [--source SLUG] [--auto-merge/--no-auto-merge] [--dry-run] [--full]`."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.dedup.detection import run
from carrefour.sources.models import Source


class Command(BaseCommand):
    help = _("Détecte les fiches en double, fusionne les cas quasi certains et envoie les autres aux modérateurs.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default="", help=_("Ne comparer que les paires touchant les fiches de cette source.")
        )
        parser.add_argument(
            "--auto-merge",
            action="store_true",
            dest="auto_merge",
            default=True,
            help=_("Fusionner automatiquement les paires quasi certaines (par défaut)."),
        )
        parser.add_argument(
            "--no-auto-merge", action="store_false", dest="auto_merge", help=_("Tout envoyer aux modérateurs.")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Compter sans rien enregistrer."))
        parser.add_argument(
            "--full", action="store_true", help=_("Comparer toutes les fiches, pas seulement celles modifiées.")
        )

    def handle(self, *args, source, auto_merge, dry_run, full, **options):
        if source and not Source.objects.filter(slug=source).exists():
            raise CommandError(_("Source inconnue : « %(source)s ».") % {"source": source})
        report = run(source=source, auto_merge=auto_merge, dry_run=dry_run, full=full)
        self.stdout.write(
            _("%(sheets)s fiches publiées, %(compared)s comparées, %(candidates)s doublons possibles en %(seconds)s s.")
            % {
                "sheets": report["sheets"],
                "compared": report["compared_sheets"],
                "candidates": report["candidates"],
                "seconds": report["seconds"],
            }
        )
        line = _("Fusionnés automatiquement : %(merged)s ; à examiner : %(pending)s ; déjà tranchés : %(decided)s.") % {
            "merged": report["auto_merged"],
            "pending": report["pending"],
            "decided": report["already_decided"],
        }
        if dry_run:
            line += " " + _("(simulation : rien n'a été enregistré)")
        self.stdout.write(line)
        self.stdout.write(json.dumps({k: report[k] for k in sorted(report)}, ensure_ascii=False))
