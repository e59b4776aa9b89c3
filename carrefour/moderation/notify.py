"""E-mails to contributors about decisions on what they sent. French text, from DEFAULT_FROM_EMAIL."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def notify(user, subject: str, body: str) -> bool:
    """Send one plain-text mail to `user`; never let a mail problem undo a decision already taken."""
    if user is None or not user.email:
        return False
    signature = _("L'équipe de modération du Carrefour des innovations sociales")
    try:
        send_mail(subject, f"{body}\n\n{signature}\n", settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        logger.exception("decision mail to user %s failed", user.pk)
        return False
    return True
