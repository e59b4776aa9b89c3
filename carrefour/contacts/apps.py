from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "carrefour.contacts"
    label = "contacts"
    verbose_name = _("Essaimage et annuaire des acteurs")

    def ready(self) -> None:
        from carrefour.accounts.signals import account_deleting
        from carrefour.contacts import space
        from carrefour.contacts.personal import forget_account
        from carrefour.contacts.purge import purge_replication_bodies
        from carrefour.messaging.purge import register as register_purge

        space.register()
        register_purge("replications", purge_replication_bodies)
        account_deleting.connect(forget_account, dispatch_uid="contacts-forget-account")
