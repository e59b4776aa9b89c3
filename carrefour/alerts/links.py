"""Signed links of an alert (confirm, manage, unsubscribe), absolute for mails."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from carrefour.alerts.models import CONFIRM_SALT, MANAGE_SALT, UNSUBSCRIBE_SALT, SavedSearch

CONFIRMATION_MAX_AGE = 7 * 24 * 3600  # a confirmation link works for a week


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(saved: SavedSearch) -> str:
    return absolute(reverse("alerts:confirm", kwargs={"token": saved.confirmation_link_token}))


def manage_url(saved: SavedSearch) -> str:
    return absolute(reverse("alerts:manage", kwargs={"token": saved.manage_link_token}))


def unsubscribe_url(saved: SavedSearch) -> str:
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": saved.unsubscribe_link_token}))


def search_url(saved: SavedSearch) -> str:
    return absolute(reverse("search:search") + (f"?{saved.query_string}" if saved.query_string else ""))


def unsubscribe_headers(saved: SavedSearch) -> dict[str, str]:
    """RFC 2369 and RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(saved)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _resolve(token: str, salt: str, field: str, max_age: int | None = None) -> SavedSearch | None:
    try:
        pk, secret = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    saved = SavedSearch.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if saved is None or not isinstance(secret, str) or not constant_time_compare(getattr(saved, field), secret):
        return None
    return saved


def from_confirmation(token: str) -> SavedSearch | None:
    return _resolve(token, CONFIRM_SALT, "confirmation_token", CONFIRMATION_MAX_AGE)


def from_manage(token: str) -> SavedSearch | None:
    return _resolve(token, MANAGE_SALT, "unsubscribe_token")


def from_unsubscribe(token: str) -> SavedSearch | None:
    return _resolve(token, UNSUBSCRIBE_SALT, "unsubscribe_token")
