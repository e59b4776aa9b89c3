"""The mail outbox (R-REL-11): queued with the caller's transaction, delivered with retries, never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.utils import timezone

from carrefour.messaging import outbox
from carrefour.messaging.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Fails `failures` times, then accepts: what an SMTP outage looks like from the worker."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.calls = 0
        self.sent: list = []

    def send_messages(self, messages):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("SMTP server unreachable")
        self.sent.extend(messages)
        return len(messages)


def queue(key: str = "test-1", **fields) -> OutgoingMail:
    values = {"to": ["camille@exemple.fr"], "subject": "Bonjour", "body_text": "Texte", "idempotency_key": key}
    return outbox.queue_mail(**{**values, **fields})


def test_a_backend_failing_twice_then_succeeding_delivers_exactly_one_mail():
    mail_row = queue()
    start = timezone.now()
    backend = FlakyBackend(failures=2)

    assert outbox.send_due(backend, now=start) == (0, 1)
    assert outbox.send_due(backend, now=start + timedelta(seconds=30)) == (0, 0)  # backing off
    assert outbox.send_due(backend, now=start + timedelta(minutes=5)) == (0, 1)
    assert outbox.send_due(backend, now=start + timedelta(hours=1)) == (1, 0)
    assert outbox.send_due(backend, now=start + timedelta(days=2)) == (0, 0)

    assert len(backend.sent) == 1
    mail_row.refresh_from_db()
    assert mail_row.status == MailStatus.SENT and mail_row.attempts == 3
    assert mail_row.purge_after == mail_row.sent_at + timedelta(days=30)


def test_retries_back_off_exponentially_and_stop_after_the_last_attempt():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.backoff(30) == timedelta(hours=6)
    mail_row = queue()
    backend = FlakyBackend(failures=1000)
    moment = timezone.now()
    for _attempt in range(outbox.MAX_ATTEMPTS):
        outbox.send_due(backend, now=moment)
        moment += timedelta(hours=7)
    mail_row.refresh_from_db()
    assert mail_row.status == MailStatus.FAILED
    assert "SMTP server unreachable" in mail_row.last_error
    assert outbox.retry_failed() == 1
    assert outbox.send_due(FlakyBackend(), now=timezone.now() + timedelta(seconds=1)) == (1, 0)


def test_a_worker_dying_after_its_claim_loses_nothing_the_mail_is_retried_when_the_lease_expires():
    queue()
    start = timezone.now()
    crashed = outbox.claim_next(start)  # claimed, then the worker dies before sending
    assert crashed is not None
    backend = FlakyBackend()
    assert outbox.send_due(backend, now=start + timedelta(seconds=10)) == (0, 0)  # still leased
    assert outbox.send_due(backend, now=start + timedelta(seconds=outbox.LEASE_SECONDS + 1)) == (1, 0)
    assert len(backend.sent) == 1


def test_a_mail_marked_sent_is_never_claimed_again_and_a_stale_worker_cannot_release_it():
    queue()
    start = timezone.now()
    slow = outbox.claim_next(start)
    later = start + timedelta(seconds=outbox.LEASE_SECONDS + 1)
    backend = FlakyBackend()
    assert outbox.send_due(backend, now=later) == (1, 0)  # the lease expired: another worker sent it
    # The first worker comes back: its claim is stale, it can neither mark the mail sent nor make it due again.
    assert outbox.mark_sent(slow, later) is False
    assert outbox.mark_failed(slow, "timeout", later) is False
    assert outbox.send_due(backend, now=later + timedelta(days=1)) == (0, 0)
    assert len(backend.sent) == 1


def test_the_idempotency_key_queues_a_mail_once_and_is_sent_as_its_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "Carrefour <ne-pas-repondre@carrefour.example>"
    first = queue("alert-7-digest-abc")
    again = queue("alert-7-digest-abc", subject="Autre")
    assert first.pk == again.pk and OutgoingMail.objects.count() == 1
    backend = FlakyBackend()
    outbox.send_due(backend)
    assert backend.sent[0].extra_headers["Message-ID"] == "<alert-7-digest-abc@carrefour.example>"
    assert "Message-ID: <alert-7-digest-abc@carrefour.example>" in backend.sent[0].message().as_string()


def test_header_values_on_several_lines_are_refused_when_queued():
    with pytest.raises(ValueError):
        queue(subject="Bonjour\r\nBcc: victime@exemple.fr")
    with pytest.raises(ValueError):
        queue(reply_to=["a@exemple.fr\nBcc: victime@exemple.fr"])
    assert not OutgoingMail.objects.exists()


def test_the_outbox_backend_queues_every_mail_of_the_platform_instead_of_sending_it(outbox_backend):
    send_mail("Décision", "Votre proposition est acceptée.", None, ["contributrice@exemple.fr"])
    message = EmailMultiAlternatives("Bienvenue", "Texte", "Carrefour <a@carrefour.example>", ["b@exemple.fr"])
    message.attach_alternative("<p>Texte</p>", "text/html")
    message.send()
    assert mail.outbox == []  # nothing left the process
    rows = list(OutgoingMail.objects.order_by("pk"))
    assert [row.to for row in rows] == [["contributrice@exemple.fr"], ["b@exemple.fr"]]
    assert rows[1].body_html == "<p>Texte</p>" and rows[1].from_email == "Carrefour <a@carrefour.example>"
    assert all(row.status == MailStatus.QUEUED for row in rows)


def test_a_mail_queued_in_a_transaction_that_rolls_back_is_not_sent(outbox_backend):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Décision", "Texte", None, ["contributrice@exemple.fr"])
        raise RuntimeError("the decision failed")
    assert not OutgoingMail.objects.exists()


def test_send_outbox_command_delivers_through_the_configured_backend(settings):
    settings.CARREFOUR_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue("one")
    queue("two", to=["dominique@exemple.fr"], reply_to=["Camille <camille@exemple.fr>"])
    call_command("send_outbox", verbosity=0)
    assert sorted(message.to[0] for message in mail.outbox) == ["camille@exemple.fr", "dominique@exemple.fr"]
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 2
    call_command("send_outbox", verbosity=0)
    assert len(mail.outbox) == 2
