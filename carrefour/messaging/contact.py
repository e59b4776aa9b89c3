"""The contact relay's action: queue a visitor's message to an initiative without revealing who receives it.

R-SEC-07: From = the platform, Reply-To = the sender; the recipients' addresses only appear in the `To` of the relayed
mail; the sender gets a separate copy that names no address. Only metadata is logged and audited, never the body.
"""

import logging
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging import ratelimit
from carrefour.messaging.models import ContactMessage, Purpose, RecipientKind
from carrefour.messaging.outbox import queue_mail
from carrefour.messaging.recipients import recipients_for

logger = logging.getLogger(__name__)

# R-SEC-07 (proposed values): per IP, per sender address, per sheet (the relay's recipient).
LIMIT_PER_IP_PER_HOUR = 5
LIMIT_PER_SENDER_PER_DAY = 20
LIMIT_PER_RECIPIENT_PER_DAY = 20
METADATA_KEPT = timedelta(days=365)


def sender_hash(email: str) -> str:
    return salted_hmac("carrefour.messaging.sender", email.strip().lower()).hexdigest()


def contact_limits(initiative, sender_email: str, client_ip: str) -> list[ratelimit.Limit]:
    hour, day = timedelta(hours=1), timedelta(days=1)
    return [
        ratelimit.Limit("contact:ip", client_ip or "unknown", LIMIT_PER_IP_PER_HOUR, hour),
        ratelimit.Limit("contact:sender", sender_email, LIMIT_PER_SENDER_PER_DAY, day),
        ratelimit.Limit("contact:recipient", f"initiative:{initiative.pk}", LIMIT_PER_RECIPIENT_PER_DAY, day),
    ]


def _subject(purpose: str, initiative) -> str:
    name = " ".join(initiative.name.split())
    return _("[Carrefour] %(purpose)s — %(name)s") % {"purpose": Purpose(purpose).label, "name": name}


def _mail_context(message: ContactMessage, initiative) -> dict:
    return {
        "message": message,
        "initiative": initiative,
        "purpose": Purpose(message.purpose).label,
        "recipient_kind": RecipientKind(message.recipient_kind).label,
        "sheet_url": f"{settings.SITE_URL}{initiative.get_absolute_url()}",
        "site_url": settings.SITE_URL,
    }


def relay_contact_message(
    initiative,
    *,
    sender_name: str,
    sender_email: str,
    purpose: str,
    body: str,
    client_ip: str,
    actor=None,
    now: datetime | None = None,
) -> ContactMessage:
    """Queue the relayed mail and the sender's copy. Raises `ratelimit.RateLimited` when a limit is reached."""
    now = now or timezone.now()
    recipients = recipients_for(initiative)
    with transaction.atomic():
        ratelimit.consume(contact_limits(initiative, sender_email, client_ip), now)
        message = ContactMessage.objects.create(
            initiative=initiative,
            sender_name=sender_name,
            sender_email=sender_email,
            sender_hash=sender_hash(sender_email),
            purpose=purpose,
            body=body,
            recipient_kind=recipients.kind,
        )
        context = _mail_context(message, initiative)
        message.mail = queue_mail(
            to=recipients.addresses,
            reply_to=[formataddr((sender_name, sender_email))],
            subject=_subject(purpose, initiative),
            body_text=render_to_string("messaging/mail/contact_relay.txt", context),
            idempotency_key=f"contact-{message.pk}-relay",
            now=now,
        )
        message.save(update_fields=["mail"])
        queue_mail(
            to=[sender_email],
            subject=_("[Carrefour] Votre message à « %(name)s » a été transmis")
            % {"name": " ".join(initiative.name.split())},
            body_text=render_to_string("messaging/mail/contact_copy.txt", context),
            idempotency_key=f"contact-{message.pk}-copy",
            now=now,
        )
        record_event(
            EventType.CONTACT_MESSAGE_RELAYED,
            message,
            actor,
            initiative=initiative.pk,
            purpose=purpose,
            recipient_kind=recipients.kind,
        )
    logger.info("contact message %s queued for initiative %s (%s)", message.pk, initiative.pk, recipients.kind)
    return message


def purge_contact_messages(now: datetime | None = None) -> tuple[int, int]:
    """Erase bodies and senders 30 days after delivery; delete the remaining metadata after 12 months."""
    now = now or timezone.now()
    erased = ContactMessage.objects.filter(purge_after__lte=now, purged_at=None).update(
        body="", sender_name="", sender_email="", purged_at=now
    )
    deleted = ContactMessage.objects.filter(created_at__lte=now - METADATA_KEPT, purged_at__isnull=False).delete()[0]
    return erased, deleted
