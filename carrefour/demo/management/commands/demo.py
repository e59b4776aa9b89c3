"""`carrefour demo --size N [--seed S]`: replace the demo data (migrating and loading references first if needed)."""

import argparse
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from carrefour.catalog.models import Term
from carrefour.catalog.taxonomy_loader import load_taxonomy
from carrefour.demo.generator import DemoDataError, generate_demo
from carrefour.search.signals import outbox_paused
from carrefour.territories.loader import gazetteer_is_loaded, load_gazetteer

DEFAULT_SIZE = 2000


def positive_int(value) -> int:
    """An argparse type accepting only strictly positive integers ("12"; not "0", "-3", "abc", "1.5")."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("« %(value)s » n'est pas une taille valide : indiquez un nombre entier d'initiatives supérieur à 0.")
            % {"value": value}
        )
    return int(text)


class Command(BaseCommand):
    help = _("Remplace les données de démonstration par N initiatives plausibles et leurs organisations.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=positive_int,
            default=DEFAULT_SIZE,
            help=_("nombre d'initiatives à créer (entier > 0, %(default)s par défaut)"),
        )
        parser.add_argument("--seed", type=int, default=0, help=_("graine du tirage aléatoire (0 par défaut)"))

    def handle(self, *args, size, seed, **options):
        try:
            size = positive_int(size)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        self._prepare_database()
        try:
            with outbox_paused():  # bulk writes, then one full reindex rather than an outbox row per row
                counts = generate_demo(size, seed=seed, stdout=self.stdout)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(self._summary(counts, time.perf_counter() - started)))
        self.stdout.write(_("Reconstruction de l'index de recherche…"))
        call_command("reindex", verbosity=1, stdout=self.stdout)

    def _prepare_database(self) -> None:
        """Migrate, then load the gazetteer and the taxonomy when missing: the demo works on an empty data folder."""
        self.stdout.write(_("Mise à jour du schéma de la base…"))
        call_command("migrate", interactive=False, verbosity=0)
        if not gazetteer_is_loaded():
            self.stdout.write(_("Chargement du référentiel géographique (communes, une seule fois)…"))
            load_gazetteer(stdout=self.stdout)
        if not Term.objects.exists():
            self.stdout.write(_("Chargement de la taxonomie…"))
            load_taxonomy()

    @staticmethod
    def _summary(counts: dict, seconds: float) -> str:
        def number(value):
            return number_format(value, force_grouping=True)

        return _(
            "%(initiatives)s initiatives de démonstration créées en %(seconds)s s "
            "(%(organisations)s organisations, %(locations)s lieux, %(sources)s sources, "
            "%(records)s enregistrements d'origine)."
        ) % {
            "initiatives": number(counts["initiatives"]),
            "seconds": number_format(round(seconds, 1), decimal_pos=1),
            "organisations": number(counts["organisations"]),
            "locations": number(counts["locations"]),
            "sources": number(counts["sources"]),
            "records": number(counts["source_records"]),
        }
