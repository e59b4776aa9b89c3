from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "carrefour.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles")

    def ready(self) -> None:
        from carrefour.accounts.signals import account_deleting
        from carrefour.contributions.uploads import purge_abandoned_uploads
        from carrefour.messaging.purge import register as register_purge
        from carrefour.moderation.queue import register as register_queue_kind
        from carrefour.privacy import checks  # noqa: F401 - registers the system checks
        from carrefour.privacy.erasure import forget_account
        from carrefour.privacy.moderation import RightsRequestProvider
        from carrefour.privacy.retention import purge_privacy

        register_purge("privacy", purge_privacy)
        register_purge("uploads", purge_abandoned_uploads)
        register_queue_kind(RightsRequestProvider())
        account_deleting.connect(forget_account, dispatch_uid="privacy-forget-account")
