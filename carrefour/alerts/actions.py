"""Alert actions: create (double opt-in without an account), confirm, change, unsubscribe. Each one audited."""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.alerts import links
from carrefour.alerts.models import SavedSearch
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging import ratelimit
from carrefour.messaging.outbox import queue_mail

# A confirmation mail goes to an address typed by anyone: limit how often, per IP and per address.
LIMIT_PER_IP_PER_HOUR = 10
LIMIT_PER_ADDRESS_PER_DAY = 5


def verified_email(user) -> str:
    """The account's primary verified address, else any verified one, else ""."""
    if user is None or not user.is_authenticated:
        return ""
    row = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    return row.email if row else ""


def _confirmation_mail(saved: SavedSearch, now: datetime) -> None:
    context = {
        "saved": saved,
        "confirm_url": links.confirm_url(saved),
        "unsubscribe_url": links.unsubscribe_url(saved),
        "search_url": links.search_url(saved),
    }
    queue_mail(
        to=[saved.email],
        subject=_("[Carrefour] Confirmez votre alerte « %(label)s »") % {"label": " ".join(saved.label.split())},
        body_text=render_to_string("alerts/mail/confirm.txt", context),
        headers=links.unsubscribe_headers(saved),
        idempotency_key=f"alert-{saved.pk}-confirm-{saved.confirmation_token[:12]}",
        now=now,
    )


def create_saved_search(
    *, query_string: str, label: str, frequency: str, email: str = "", user=None, client_ip: str = "", now=None
) -> SavedSearch:
    """With an account's verified address the alert is active at once; otherwise a confirmation mail is queued and
    nothing is sent before the link in it is followed. Raises `ratelimit.RateLimited`."""
    now = now or timezone.now()
    account_email = verified_email(user)
    with transaction.atomic():
        if not account_email:
            ratelimit.consume(
                [
                    ratelimit.Limit("alert:ip", client_ip or "unknown", LIMIT_PER_IP_PER_HOUR, timedelta(hours=1)),
                    ratelimit.Limit("alert:address", email, LIMIT_PER_ADDRESS_PER_DAY, timedelta(days=1)),
                ],
                now,
            )
        saved = SavedSearch.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            email=account_email or email,
            query_string=query_string,
            label=label,
            frequency=frequency,
            confirmed_at=now if account_email else None,
        )
        if not account_email:
            _confirmation_mail(saved, now)
        record_event(EventType.ALERT_CREATED, saved, user, frequency=frequency, confirmed=bool(account_email))
    return saved


def confirm_saved_search(saved: SavedSearch, now=None) -> bool:
    """True when this call confirmed it (False: it was already confirmed)."""
    now = now or timezone.now()
    with transaction.atomic():
        confirmed = SavedSearch.objects.filter(pk=saved.pk, confirmed_at=None).update(confirmed_at=now)
        if confirmed:
            saved.confirmed_at = now
            record_event(EventType.ALERT_CONFIRMED, saved, None)
    return bool(confirmed)


def change_frequency(saved: SavedSearch, frequency: str, actor=None) -> SavedSearch:
    with transaction.atomic():
        saved.frequency = frequency
        saved.save(update_fields=["frequency"])
        record_event(EventType.ALERT_UPDATED, saved, actor, frequency=frequency)
    return saved


def unsubscribe(saved: SavedSearch, actor=None, one_click: bool = False) -> None:
    """Delete the alert and what it delivered: nothing is kept about the address."""
    with transaction.atomic():
        record_event(EventType.ALERT_UNSUBSCRIBED, saved, actor, one_click=one_click)
        saved.delete()
