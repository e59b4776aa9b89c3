"""`carrefour send_alerts [--frequency daily|weekly]`: queue the digests of due alerts (then `send_outbox` sends)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.alerts.digest import send_alerts
from carrefour.alerts.models import Frequency


class Command(BaseCommand):
    help = _("Prépare les e-mails des alertes de recherche arrivées à échéance (nouvelles initiatives seulement).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=Frequency.values,
            default=None,
            help=_("seulement les alertes de cette fréquence (daily : quotidienne, weekly : hebdomadaire)"),
        )

    def handle(self, *args, frequency, **options):
        summary = send_alerts(frequency)
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "%(alerts)s alertes examinées, %(digests)s e-mails préparés "
                    "(%(initiatives)s initiatives), %(errors)s erreurs."
                )
                % summary
            )
