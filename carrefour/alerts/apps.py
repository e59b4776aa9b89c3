from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "carrefour.alerts"
    label = "alerts"
    verbose_name = _("Alertes de recherche")

    def ready(self) -> None:
        from carrefour.alerts import space
        from carrefour.alerts.purge import purge_unconfirmed
        from carrefour.messaging.purge import register as register_purge

        space.register()
        register_purge("alerts", purge_unconfirmed)
