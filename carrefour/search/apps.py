from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "carrefour.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from carrefour.search import signals

        signals.connect()
