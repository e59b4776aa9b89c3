"""The mail outbox: every mail of the platform is queued in the database, then delivered by `carrefour send_outbox`.

Guarantees (R-REL-11):
- A mail is queued in the caller's transaction: rolled back with it, never half-sent.
- A worker claims one mail at a time with a conditional UPDATE (`status = 'queued' AND attempts = <seen>`), picked with
  `select_for_update(skip_locked=True)` where the database has it (PostgreSQL): two workers never hold the same mail.
- The claim is a lease (`next_attempt_at` moves to the end of the lease): a worker that dies between the claim and the
  send leaves a mail that becomes due again when the lease expires.
- Marking the mail sent and releasing the claim is one UPDATE guarded by the same `attempts` fencing value.
- A failed send is retried with exponential back-off; after `MAX_ATTEMPTS` the mail is marked failed (kept, and
  `send_outbox --retry-failed` queues it again).

The at-least-once edge: a worker that dies after the mail server accepted the mail and before its UPDATE, or whose send
outlasted the lease, lets the mail be sent a second time. Both copies carry the same `Message-ID` (the idempotency
key), which mail clients and servers use to drop duplicates.
"""

import logging
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from carrefour.messaging.models import ContactMessage, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 3600
MAX_ATTEMPTS = 12  # about 26 hours of retries: an SMTP outage of a day loses nothing
LEASE_SECONDS = 300
PURGE_AFTER = timedelta(days=30)


def mail_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "carrefour.localhost"


def _single_line(value: str, what: str) -> str:
    value = str(value)
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must be a single line")
    return value


def queue_mail(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    from_email: str | None = None,
    reply_to: list[str] | tuple = (),
    cc: list[str] | tuple = (),
    bcc: list[str] | tuple = (),
    headers: dict | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> OutgoingMail:
    """Queue one mail; queuing the same `idempotency_key` twice returns the first mail and queues nothing more."""
    for address in (*to, *cc, *bcc, *reply_to):
        _single_line(address, "address")
    if not any((*to, *cc, *bcc)):
        raise ValueError("a mail needs at least one recipient")
    clean_headers = {_single_line(name, "header"): _single_line(value, name) for name, value in (headers or {}).items()}
    mail, _created = OutgoingMail.objects.get_or_create(
        idempotency_key=idempotency_key or f"mail-{uuid.uuid4().hex}",
        defaults={
            "to": list(to),
            "cc": list(cc),
            "bcc": list(bcc),
            "subject": _single_line(subject, "subject")[:255],
            "body_text": str(body_text),
            "body_html": str(body_html or ""),
            "from_email": _single_line(from_email or settings.DEFAULT_FROM_EMAIL, "from"),
            "reply_to": list(reply_to),
            "headers": clean_headers,
            "next_attempt_at": now or timezone.now(),
        },
    )
    return mail


def message_id(mail: OutgoingMail) -> str:
    key = mail.idempotency_key
    return f"<{key}>" if "@" in key else f"<{key}@{mail_domain()}>"


def build_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    headers = {**mail.headers, "Message-ID": message_id(mail)}
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=headers,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    return message


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries: 1 min, 2, 4… capped at 6 hours."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def claim_next(now: datetime | None = None) -> OutgoingMail | None:
    """Claim the next due mail for this worker (a lease of LEASE_SECONDS), or None when nothing is due."""
    now = now or timezone.now()
    for _race in range(5):
        with transaction.atomic():
            due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            candidate = due.order_by("next_attempt_at", "pk").first()
            if candidate is None:
                return None
            lease_end = now + timedelta(seconds=LEASE_SECONDS)
            claimed = OutgoingMail.objects.filter(
                pk=candidate.pk, status=MailStatus.QUEUED, attempts=candidate.attempts, next_attempt_at__lte=now
            ).update(attempts=F("attempts") + 1, next_attempt_at=lease_end)
        if claimed:
            candidate.attempts += 1
            candidate.next_attempt_at = lease_end
            return candidate
    return None


def _still_mine(mail: OutgoingMail):
    return OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.QUEUED, attempts=mail.attempts)


def mark_sent(mail: OutgoingMail, now: datetime) -> bool:
    """Release the claim as sent, and record the delivery of a relayed contact message, in one transaction."""
    with transaction.atomic():
        updated = _still_mine(mail).update(
            status=MailStatus.SENT, sent_at=now, purge_after=now + PURGE_AFTER, last_error=""
        )
        if updated:
            ContactMessage.objects.filter(mail_id=mail.pk, delivered_at=None).update(
                delivered_at=now, purge_after=now + PURGE_AFTER
            )
    return bool(updated)


def mark_failed(mail: OutgoingMail, error: str, now: datetime) -> bool:
    """Release the claim after a failed try: due again after the back-off, or failed for good after MAX_ATTEMPTS."""
    if mail.attempts >= MAX_ATTEMPTS:
        with transaction.atomic():
            updated = _still_mine(mail).update(
                status=MailStatus.FAILED, last_error=error[:2000], purge_after=now + PURGE_AFTER
            )
            if updated:
                ContactMessage.objects.filter(mail_id=mail.pk, delivered_at=None).update(purge_after=now + PURGE_AFTER)
        return bool(updated)
    return bool(_still_mine(mail).update(next_attempt_at=now + backoff(mail.attempts), last_error=error[:2000]))


def deliver(mail: OutgoingMail, backend, now: datetime | None = None) -> bool:
    """Send one claimed mail through `backend` (an open e-mail connection); True when it was sent."""
    try:
        sent = backend.send_messages([build_message(mail)])
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
    except Exception as error:  # any backend failure (SMTP, disk, DNS…) is retried later
        logger.warning("mail %s: attempt %s failed: %s", mail.pk, mail.attempts, type(error).__name__)
        mark_failed(mail, f"{type(error).__name__}: {error}", now or timezone.now())
        return False
    return mark_sent(mail, now or timezone.now())


def delivery_connection(fail_silently: bool = False):
    return get_connection(settings.CARREFOUR_EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently)


def send_due(backend=None, now: datetime | None = None, limit: int | None = None) -> tuple[int, int]:
    """Deliver every due mail (at most `limit`); returns (sent, failed)."""
    backend = backend or delivery_connection()
    sent = failed = 0
    while limit is None or sent + failed < limit:
        moment = now or timezone.now()
        mail = claim_next(moment)
        if mail is None:
            break
        if deliver(mail, backend, moment):
            sent += 1
        else:
            failed += 1
    return sent, failed


def retry_failed() -> int:
    """Queue every failed mail again (after an outage longer than the retries), with a fresh set of attempts."""
    return OutgoingMail.objects.filter(status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), purge_after=None
    )
