"""`carrefour export_open_data [--format csv|geojson|jsonld|datainclusion|all]`: regenerate the open-data files.

Fit for cron: idempotent (the same data gives the same files, written atomically), a readable summary, and a last
line that is one JSON object (counts and sizes per file).
"""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.opendata.actions import export_open_data
from carrefour.opendata.exports import FORMATS
from carrefour.opendata.exports.files import exports_dir
from carrefour.opendata.records import CHUNK_SIZE


class Command(BaseCommand):
    help = _("Régénère les fichiers de données ouvertes, leur schéma et leur notice.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=[*FORMATS, "all"], default="all", help=_("Format à régénérer."))
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help=_("Fiches lues par requête."))

    def handle(self, *args, **options):
        formats = list(FORMATS) if options["format"] == "all" else [options["format"]]

        def progress(name: str, info: dict) -> None:
            counts = ", ".join(f"{key} {value}" for key, value in info["counts"].items())
            line = _("%(name)s (%(licence)s) : %(bytes)s octets ; %(counts)s")
            self.stdout.write(
                line % {"name": name, "licence": info["licence"], "bytes": info["bytes"], "counts": counts}
            )

        manifest = export_open_data(formats, chunk_size=max(1, options["chunk_size"]), progress=progress)
        self.stdout.write(_("Fichiers écrits dans %(folder)s") % {"folder": exports_dir()})
        if manifest["excluded_unknown_licence"]:
            message = _("%(count)s fiche(s) écartée(s) : leurs seules sources ont une licence inconnue.")
            self.stdout.write(message % {"count": manifest["excluded_unknown_licence"]})
        summary = {
            "formats": formats,
            "excluded_unknown_licence": manifest["excluded_unknown_licence"],
            "files": {
                name: {"bytes": info["bytes"], **info["counts"]}
                for name, info in manifest["files"].items()
                if info["format"] in formats
            },
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False, sort_keys=True))
