from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupConfig(AppConfig):
    name = "carrefour.dedup"
    label = "dedup"
    verbose_name = _("Dédoublonnage")

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("carrefour.moderation"):
            from carrefour.dedup.provider import DuplicateProvider
            from carrefour.moderation.queue import register

            register(DuplicateProvider())
