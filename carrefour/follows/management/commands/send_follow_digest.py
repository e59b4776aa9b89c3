"""`carrefour send_follow_digest`: queue the weekly digests of the people who asked for one."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.follows.digest import send_follow_digests


class Command(BaseCommand):
    help = _(
        "Prépare le résumé hebdomadaire des suivis (notifications non lues) des personnes qui l'ont demandé ; "
        "les e-mails partent par send_outbox."
    )

    def handle(self, *args, **options):
        summary = send_follow_digests()
        if options["verbosity"]:
            self.stdout.write(_("%(subscriptions)s abonnements examinés, %(digests)s e-mails préparés.") % summary)
