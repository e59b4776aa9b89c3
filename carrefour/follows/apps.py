from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "carrefour.follows"
    label = "follows"
    verbose_name = _("Suivis, favoris et notifications")

    def ready(self) -> None:
        from carrefour.accounts.signals import account_deleting
        from carrefour.follows import space

        space.register()
        account_deleting.connect(space.forget_account, dispatch_uid="follows-forget-account")
