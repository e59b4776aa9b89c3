from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "carrefour.sources"
    label = "sources"
    verbose_name = _("Sources partenaires")

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("carrefour.moderation"):
            from carrefour.moderation.queue import register
            from carrefour.sources.conflicts import SyncConflictProvider

            register(SyncConflictProvider())
