"""`carrefour import <source-slug> [--file PATH] [--dry-run]`, or `carrefour import --file PATH --name "…"`."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.sources.automap import configure_from_file
from carrefour.sources.config import CONFIG_DIR, ConfigError, load_file, register_source
from carrefour.sources.models import Source
from carrefour.sources.report import render_report
from carrefour.sources.sync import run_import


class Command(BaseCommand):
    help = str(_("Importe une source partenaire : rapport lisible, puis le rapport en JSON sur la dernière ligne."))

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help=str(_("identifiant (slug) de la source")))
        parser.add_argument("--file", help=str(_("fichier à importer (sinon celui de la configuration)")))
        parser.add_argument("--name", help=str(_("nom d'une nouvelle source, configurée automatiquement")))
        parser.add_argument("--dry-run", action="store_true", help=str(_("essai à blanc : rien n'est enregistré")))
        parser.add_argument(
            "--allow-mass-absence",
            action="store_true",
            help=str(_("accepter que plus de 20 %% des enregistrements disparaissent")),
        )

    def handle(self, *args, **options):
        source = self._source(options)
        report = run_import(
            source,
            options["file"],
            dry_run=options["dry_run"],
            allow_mass_absence=options["allow_mass_absence"],
        )
        self.stdout.write(render_report(report))
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if report.status != "succeeded":
            raise SystemExit(1)

    def _source(self, options) -> Source:
        slug, file = options["source"], options["file"]
        try:
            if slug:
                path = CONFIG_DIR / f"{slug}.yaml"
                if path.exists():
                    return register_source(load_file(path), f"sources/{path.name}")
                source = Source.objects.filter(slug=slug).exclude(config={}).first()
                if source is None:
                    raise CommandError(_("Source « %(slug)s » inconnue.") % {"slug": slug})
                return source
            if not (file and options["name"]):
                raise CommandError(_("Indiquez une source, ou --file et --name pour un fichier sans configuration."))
            return register_source(configure_from_file(file, options["name"]))
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
