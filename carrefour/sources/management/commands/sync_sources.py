"""`carrefour sync_sources`: create or update a `Source` row for every configuration file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.sources.config import ConfigError, sync_config_files


class Command(BaseCommand):
    help = str(_("Crée ou met à jour les sources partenaires décrites par les fichiers de configuration."))

    def handle(self, *args, **options):
        try:
            sources = sync_config_files()
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
        for source in sources:
            self.stdout.write(f"{source.slug}: {source.name}")
        self.stdout.write(_("%(count)d sources à jour.") % {"count": len(sources)})
