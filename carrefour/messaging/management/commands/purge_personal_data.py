"""`carrefour purge_personal_data`: apply the retention periods (R-GDPR-06). Run it daily from cron."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.messaging.purge import purge_all


class Command(BaseCommand):
    help = _("Efface les données personnelles arrivées au terme de leur durée de conservation (à lancer chaque jour).")

    def handle(self, *args, **options):
        counts = purge_all()
        if options["verbosity"]:
            for category, count in sorted(counts.items()):
                self.stdout.write(f"{category}: {count}")
