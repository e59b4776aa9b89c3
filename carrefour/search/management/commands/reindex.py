"""`carrefour reindex`: rebuild the search index from the database, then swap it in atomically."""

from django.core.management.base import BaseCommand
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from carrefour.search import store
from carrefour.search.indexer import reindex

PROGRESS_EVERY = 10_000


class Command(BaseCommand):
    help = _("Reconstruit l'index de recherche à partir de la base (sans interrompre les recherches).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help=_("ne reconstruit que si l'index manque ou date d'une version antérieure du schéma"),
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        target = store.current_target(store.root())
        if options["if_needed"] and target is not None and target.startswith(store.VERSION_PREFIX):
            self.stdout.write(_("L'index de recherche est à jour : rien à reconstruire."))
            return

        def progress(done: int, total: int) -> None:
            if verbosity > 1 or (verbosity and done % PROGRESS_EVERY == 0):
                self.stdout.write(_("%(done)s / %(total)s fiches indexées…") % {"done": done, "total": total})

        result = reindex(progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Index reconstruit : %(documents)s fiches publiées en %(seconds)s s (%(rate)s fiches/s).")
                % {
                    "documents": number_format(result["documents"], force_grouping=True),
                    "seconds": number_format(round(result["seconds"], 1), decimal_pos=1),
                    "rate": number_format(round(result["docs_per_second"]), force_grouping=True),
                }
            )
        )
