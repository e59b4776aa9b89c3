"""`carrefour notify_followers`: notifications of what changed in what people follow, from the audit log."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.follows.notify import DEFAULT_SETTLE_SECONDS, notify_followers


class Command(BaseCommand):
    help = _(
        "Crée les notifications des personnes qui suivent une initiative, une organisation ou un territoire, à partir "
        "du journal des événements (reprend là où le passage précédent s'est arrêté)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--settle",
            type=int,
            default=DEFAULT_SETTLE_SECONDS,
            help=_("laisser pour le passage suivant les événements de moins de N secondes (défaut : %(default)s)"),
        )

    def handle(self, *args, settle, **options):
        summary = notify_followers(settle_seconds=max(settle, 0))
        if options["verbosity"]:
            self.stdout.write(_("%(events)s événements lus, %(notifications)s notifications créées.") % summary)
