from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "carrefour.moderation"
    label = "moderation"
    verbose_name = _("Modération")

    def ready(self) -> None:
        from carrefour.moderation import providers

        providers.register_builtin()
