"""R-GDPR-06: relay bodies erased 30 days after delivery, metadata kept 12 months; sent mails and expired rate
counters deleted. Time travel around each boundary."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carrefour.messaging import outbox, ratelimit
from carrefour.messaging.contact import sender_hash
from carrefour.messaging.forms import started_token
from carrefour.messaging.models import ContactMessage, OutgoingMail, RateCounter
from carrefour.messaging.purge import purge_all
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


class Accepting:
    def send_messages(self, messages):
        return len(messages)


@pytest.fixture
def delivered(client, outbox_backend):
    initiative = make_initiative(contact_email="contact.prive@exemple.fr")
    data = {
        "name": "Dominique Martin",
        "email": "dominique@exemple.fr",
        "purpose": "question",
        "message": "Quels sont vos horaires d'ouverture ?",
        "started": started_token(time.time() - 10),
    }
    client.post(reverse("messaging:contact", args=[initiative.slug]), data)
    sent_at = timezone.now() + timedelta(seconds=1)
    assert outbox.send_due(Accepting(), now=sent_at) == (2, 0)
    message = ContactMessage.objects.get()
    assert message.delivered_at == sent_at
    return message


def test_a_relayed_body_is_kept_29_days_after_delivery(delivered):
    purge_all(delivered.delivered_at + timedelta(days=29))
    delivered.refresh_from_db()
    assert delivered.body and delivered.sender_email and delivered.purged_at is None
    assert OutgoingMail.objects.count() == 2


def test_a_relayed_body_and_its_sender_are_erased_30_days_after_delivery(delivered):
    moment = delivered.delivered_at + timedelta(days=30, seconds=1)
    counts = purge_all(moment)
    delivered.refresh_from_db()
    assert delivered.body == "" and delivered.sender_email == "" and delivered.sender_name == ""
    assert delivered.sender_hash == sender_hash("dominique@exemple.fr")  # metadata kept for abuse handling
    assert counts["contact_bodies_erased"] == 1 and counts["outgoing_mails_deleted"] == 2
    assert not OutgoingMail.objects.exists()  # the mails held the body and the recipient too


def test_relay_metadata_is_deleted_after_twelve_months(delivered):
    purge_all(delivered.delivered_at + timedelta(days=31))
    purge_all(delivered.created_at + timedelta(days=364))
    assert ContactMessage.objects.exists()
    purge_all(delivered.created_at + timedelta(days=366))
    assert not ContactMessage.objects.exists()


def test_queued_mails_are_never_purged():
    outbox.queue_mail(to=["a@exemple.fr"], subject="En attente", body_text="Texte", idempotency_key="wait")
    purge_all(timezone.now() + timedelta(days=400))
    assert OutgoingMail.objects.filter(idempotency_key="wait").exists()


def test_rate_counters_expire_with_their_window_and_hold_no_raw_ip():
    now = timezone.now()
    ratelimit.consume([ratelimit.Limit("contact:ip", "203.0.113.9", 5, timedelta(hours=1))], now)
    counter = RateCounter.objects.get()
    assert "203.0.113.9" not in counter.key
    purge_all(now)
    assert RateCounter.objects.exists()
    purge_all(counter.expires_at)
    assert not RateCounter.objects.exists()


def test_purge_personal_data_command_reports_what_it_erased(delivered, capsys):
    call_command("purge_personal_data")
    assert "contact_bodies_erased: 0" in capsys.readouterr().out
