"""`carrefour remind_replications`: remind the holders of waiting replication requests; « sans réponse » at 30 days."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.contacts.reminders import remind_replications


class Command(BaseCommand):
    help = _(
        "Relance les porteur·euses des demandes d'essaimage en attente (après 7 et 21 jours) et passe « sans réponse » "
        "celles qui attendent depuis 30 jours. À lancer chaque jour ; les e-mails partent par send_outbox."
    )

    def handle(self, *args, **options):
        summary = remind_replications()
        if options["verbosity"]:
            self.stdout.write(
                _("%(reminders)s relances préparées, %(unanswered)s demandes passées « sans réponse ».") % summary
            )
