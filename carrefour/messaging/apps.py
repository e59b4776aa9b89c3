from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "carrefour.messaging"
    label = "messaging"
    verbose_name = _("Messagerie (relais de contact, envois d'e-mails)")
