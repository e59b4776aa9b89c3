"""`carrefour send_follow_digest`: the optional weekly mail of what changed in what one follows.

Only people who asked for it (« Mon espace ») receive it, at their verified address; it lists the notifications
created since the previous digest that are still unread, and nothing when there are none. Every mail carries a one-click
unsubscribe link (RFC 8058), signed like the alerts' links. A run claims a subscription by moving its `last_sent_at`
with a conditional UPDATE, and queues the mail in the same transaction: two runs never send the same digest twice.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import ngettext

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.follows.models import DIGEST_UNSUBSCRIBE_SALT, DigestSubscription
from carrefour.messaging.outbox import queue_mail
from carrefour.messaging.recipients import verified_addresses

PERIOD = timedelta(days=7)
SCHEDULE_SLACK = timedelta(hours=2)
MAX_LISTED = 50


def unsubscribe_url(subscription: DigestSubscription) -> str:
    path = reverse("follows:digest_unsubscribe", kwargs={"token": subscription.unsubscribe_link_token})
    return f"{settings.SITE_URL}{path}"


def from_unsubscribe_token(token: str) -> DigestSubscription | None:
    try:
        pk, secret = signing.loads(token, salt=DIGEST_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscription = DigestSubscription.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if subscription is None or not isinstance(secret, str):
        return None
    return subscription if constant_time_compare(subscription.unsubscribe_token, secret) else None


def due(now: datetime):
    before = now - PERIOD + SCHEDULE_SLACK
    return DigestSubscription.objects.filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=before))


def send_digest(subscription: DigestSubscription, now: datetime) -> int:
    """Queue one person's digest; the number of notifications it lists (0: nothing sent)."""
    since = subscription.last_sent_at or subscription.created_at
    with transaction.atomic():
        claimed = DigestSubscription.objects.filter(pk=subscription.pk)
        if subscription.last_sent_at is None:
            claimed = claimed.filter(last_sent_at__isnull=True)
        else:
            claimed = claimed.filter(last_sent_at=subscription.last_sent_at)
        if not claimed.update(last_sent_at=now):
            return 0
        notifications = list(
            subscription.user.notifications.filter(read_at__isnull=True, created_at__gt=since, created_at__lte=now)
            .select_related("initiative", "organisation")
            .order_by("-created_at", "-pk")
        )
        addresses = verified_addresses([subscription.user_id])
        if not notifications or not addresses:
            return 0
        _queue(subscription, addresses[0], notifications, now)
        record_event(EventType.FOLLOW_DIGEST_SENT, subscription, None, notifications=len(notifications))
    return len(notifications)


def _queue(subscription, address: str, notifications, now: datetime) -> None:
    count = len(notifications)
    link = unsubscribe_url(subscription)
    context = {
        "notifications": [
            {"summary": item.summary, "url": f"{settings.SITE_URL}{item.target_url}" if item.target_url else ""}
            for item in notifications[:MAX_LISTED]
        ],
        "count": count,
        "more": max(count - MAX_LISTED, 0),
        "space_url": f"{settings.SITE_URL}{reverse('follows:mine')}",
        "unsubscribe_url": link,
    }
    fingerprint = hashlib.sha256(",".join(str(item.pk) for item in notifications).encode()).hexdigest()[:16]
    queue_mail(
        to=[address],
        subject=ngettext(
            "[Carrefour] Vos suivis : %(count)s nouveauté cette semaine",
            "[Carrefour] Vos suivis : %(count)s nouveautés cette semaine",
            count,
        )
        % {"count": count},
        body_text=render_to_string("follows/mail/digest.txt", context),
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        idempotency_key=f"follow-digest-{subscription.pk}-{fingerprint}",
        now=now,
    )


def send_follow_digests(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    summary = {"subscriptions": 0, "digests": 0}
    for subscription in due(now).select_related("user").order_by("pk"):
        summary["subscriptions"] += 1
        summary["digests"] += 1 if send_digest(subscription, now) else 0
    return summary
