"""`carrefour bench search --size N`: our search engine against the peer platforms' recipe, on the same demo data.

A script that prints figures, never run by the test suite. Steps:
  1. a SQLite demo data folder of N initiatives (`/tmp/carrefour-bench-<N>` by default) is made by `carrefour demo`
     in a subprocess, or reused when it already holds exactly N demo initiatives of the same seed;
  2. a subprocess whose settings point at that folder rebuilds our index (timed) and times the query mix
     (`carrefour.search.bench.queries`: text, 6 facet counts, geography) through `carrefour.search.query`;
  3. the peer recipe (PostgreSQL full text search on a throwaway PostgreSQL 15, see `carrefour.search.bench.peer`)
     answers the same queries, as many times;
  4. p50/p95 per group, ratios, build time and index size are printed; the last line is one JSON object.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from carrefour.demo.management.commands.demo import positive_int
from carrefour.search.bench import report
from carrefour.search.bench.queries import QUERIES

DEFAULT_DATA_DIR = str(Path(tempfile.gettempdir()) / "carrefour-bench-{size}")
MARKER = ".bench-demo.json"  # the size and seed of the demo data the benchmark generated in the folder


class Command(BaseCommand):
    help = _("Mesure le moteur de recherche face à la recette PostgreSQL des plateformes pairs.")

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["search"], help=_("ce qui est mesuré (search : la recherche)"))
        parser.add_argument("--size", type=positive_int, required=True, help=_("nombre d'initiatives de démo"))
        parser.add_argument("--seed", type=int, default=0, help=_("graine des données de démo (0 par défaut)"))
        parser.add_argument("--data-dir", help=_("dossier de données (/tmp/carrefour-bench-<N> par défaut)"))
        peer = parser.add_mutually_exclusive_group()
        peer.add_argument("--peer-dsn", help=_("base PostgreSQL existante pour la recette pair (sinon, une jetable)"))
        peer.add_argument("--no-peer", action="store_true", help=_("ne pas mesurer la recette pair"))
        parser.add_argument("--repeat", type=positive_int, default=20, help=_("répétitions par requête (20)"))
        parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, size, seed, data_dir, peer_dsn, no_peer, repeat, measure_only, **options):
        folder = Path(data_dir or DEFAULT_DATA_DIR.format(size=size)).resolve()
        if measure_only:
            self._measure_here(folder, repeat)
            return
        _check_engine()
        self._prepare(folder, size, seed)
        load_before = os.getloadavg()[0]
        ours = self._measure_in_subprocess(folder, size, repeat)
        peer = None
        if not no_peer:
            from carrefour.search.bench.peer import measure_peer

            peer = measure_peer(folder / "carrefour.sqlite3", QUERIES, repeat, peer_dsn, log=self.stdout.write)
        self._print_report(size, seed, repeat, ours, peer, (load_before, os.getloadavg()[0]))

    def _prepare(self, folder: Path, size: int, seed: int) -> None:
        found = demo_count(folder)
        marker = _read_marker(folder)
        if found == size and marker.get("seed", seed) == seed:
            names = {**_names(size, folder), "seed": marker.get("seed", _("inconnue"))}
            self.stdout.write(
                _("Données de démo réutilisées : %(n)s initiatives dans %(dir)s (graine %(seed)s).") % names
            )
            return
        self.stdout.write(_("Création de %(n)s initiatives de démo dans %(dir)s…") % _names(size, folder))
        command = [sys.executable, "-m", "carrefour.cli", "demo", f"--size={size}", f"--seed={seed}"]
        if (
            subprocess.run(command, env=_environment(folder), stdout=sys.stderr).returncode
            or demo_count(folder) != size
        ):
            raise CommandError(_("La démo n'a pas créé %(n)s initiatives dans %(dir)s.") % _names(size, folder))
        (folder / MARKER).write_text(json.dumps({"size": size, "seed": seed}))

    def _measure_in_subprocess(self, folder: Path, size: int, repeat: int) -> dict:
        """Our side runs in a process of its own: settings (the data folder, the index folder) are per process."""
        command = [sys.executable, "-m", "carrefour.cli", "bench", "search", f"--size={size}", f"--repeat={repeat}"]
        command += [f"--data-dir={folder}", "--measure-only"]
        result = subprocess.run(command, env=_environment(folder), stdout=subprocess.PIPE, text=True)
        if result.returncode:
            raise CommandError(_("La mesure de notre moteur a échoué (code %(code)s).") % {"code": result.returncode})
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _measure_here(self, folder: Path, repeat: int) -> None:
        if Path(settings.DATA_DIR) != folder or connection.vendor != "sqlite":
            raise CommandError(_("--measure-only attend CARREFOUR_DATA_DIR=%(dir)s et SQLite.") % {"dir": folder})
        from carrefour.search.bench.ours import measure_ours

        call_command("migrate", interactive=False, verbosity=0)  # a reused folder may predate recent migrations
        ours = measure_ours(QUERIES, repeat, log=lambda line: print(line, file=sys.stderr, flush=True))
        self.stdout.write(json.dumps(ours))

    def _print_report(self, size: int, seed: int, repeat: int, ours: dict, peer: dict | None, load) -> None:
        self.stdout.write("")
        self.stdout.write(
            _("%(n)s initiatives, %(q)s requêtes × %(r)s répétitions après un tour d'échauffement ; ")
            % {"n": f"{size:,}".replace(",", "\u202f"), "q": len(QUERIES), "r": repeat}
            + _("chaque requête : texte ou géographie + 6 décomptes de facettes + 20 résultats ; ms.")
        )
        for line in [*report.group_lines(QUERIES, ours, peer), "", *report.query_lines(QUERIES, ours, peer), ""]:
            self.stdout.write(line)
        for line in report.notes(ours, peer, load):
            self.stdout.write(line)
        self.stdout.write(json.dumps(report.summary(size, seed, repeat, QUERIES, ours, peer, load)))


def _check_engine() -> None:
    try:
        from carrefour.search.engine import query  # noqa: F401
        from carrefour.search.indexer import reindex  # noqa: F401
    except ImportError as exc:
        raise CommandError(
            _("Le moteur de recherche (carrefour.search.query) est introuvable : %(e)s") % {"e": exc}
        ) from exc


def demo_count(folder: Path) -> int | None:
    """How many demo initiatives the folder's SQLite database holds (None without a database)."""
    path = folder / "carrefour.sqlite3"
    if not path.exists():
        return None
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return database.execute("SELECT count(*) FROM catalog_initiative WHERE is_demo").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        database.close()


def _read_marker(folder: Path) -> dict:
    try:
        return json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return {}


def _environment(folder: Path) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return {**environment, "CARREFOUR_DATA_DIR": str(folder)}


def _names(size: int, folder: Path) -> dict:
    return {"n": f"{size:,}".replace(",", "\u202f"), "dir": folder}
