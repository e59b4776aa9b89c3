"""Retention periods (R-GDPR-06), applied daily by `carrefour purge_personal_data`.

Each app registers a purge: a callable `(now) -> {category: number of rows erased or deleted}`. Messaging registers
its own here (relay bodies 30 days after delivery, their metadata after 12 months, delivered mails after 30 days,
expired rate-limit counters); other apps add theirs with `register()` in their AppConfig.ready().
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging.models import MailStatus, OutgoingMail

Purge = Callable[[datetime], dict[str, int]]
PURGES: dict[str, Purge] = {}


def register(name: str, purge: Purge) -> None:
    PURGES[name] = purge


def purge_mails(now: datetime) -> dict[str, int]:
    done = OutgoingMail.objects.filter(status__in=[MailStatus.SENT, MailStatus.FAILED], purge_after__lte=now)
    return {"outgoing_mails_deleted": done.delete()[0]}


def purge_messaging(now: datetime) -> dict[str, int]:
    from carrefour.messaging.contact import purge_contact_messages
    from carrefour.messaging.ratelimit import purge_expired

    erased, deleted = purge_contact_messages(now)
    return {
        "contact_bodies_erased": erased,
        "contact_metadata_deleted": deleted,
        **purge_mails(now),
        "rate_counters_deleted": purge_expired(now),
    }


register("messaging", purge_messaging)


def purge_all(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for purge in PURGES.values():
            counts.update(purge(now))
        if any(counts.values()):
            record_event(EventType.PERSONAL_DATA_PURGED, None, None, **counts)
    return counts
