from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeocodingConfig(AppConfig):
    name = "carrefour.geocoding"
    verbose_name = _("Géocodage des adresses")

    def ready(self) -> None:
        from carrefour.geocoding import signals

        signals.connect()
