"""The digest worker: only new matches, each once, even when run twice; every mail can unsubscribe in one click."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from carrefour import search
from carrefour.alerts.digest import send_alerts
from carrefour.alerts.models import AlertDelivery
from carrefour.catalog.models import Initiative
from tests.factories import make_initiative, make_saved_search, make_user

pytestmark = pytest.mark.django_db

QUIMPER = "commune=29232"


def publish(name: str, commune: str = "29232", at=None) -> Initiative:
    initiative = make_initiative(name, commune)
    if at is not None:
        Initiative.objects.filter(pk=initiative.pk).update(published_at=at, updated_at=at)
    return initiative


@pytest.fixture
def alert(outbox_mails):
    old = publish("Ressourcerie du Steir", at=timezone.now() - timedelta(days=40))
    saved = make_saved_search(query_string=QUIMPER, frequency="daily", label="À Quimper")
    saved.confirmed_at = timezone.now() - timedelta(days=3)
    saved.save()
    return saved, old


def digests(outbox_mails):
    return list(outbox_mails.filter(idempotency_key__contains="-digest-").order_by("pk"))


def test_a_digest_lists_only_the_matches_published_since_the_alert(alert, outbox_mails):
    saved, old = alert
    new = publish("Atelier vélo de Quimper")
    elsewhere = publish("Atelier vélo de Brest", "29019")
    search.reindex()

    assert send_alerts()["digests"] == 1
    [digest] = digests(outbox_mails)
    assert digest.to == [saved.email]
    assert new.name in digest.body_text
    assert old.name not in digest.body_text and elsewhere.name not in digest.body_text
    assert "1 nouvelle initiative" in digest.subject
    assert set(AlertDelivery.objects.values_list("initiative_id", flat=True)) == {new.pk}


def test_running_the_worker_twice_sends_each_initiative_exactly_once(alert, outbox_mails):
    saved, _old = alert
    publish("Atelier vélo de Quimper")
    search.reindex()
    now = timezone.now()
    send_alerts(now=now)
    send_alerts(now=now)  # the same cron line fired twice
    call_command("send_alerts", "--frequency", "daily", verbosity=0)
    assert len(digests(outbox_mails)) == 1

    # Next day: the same initiative (edited since) is not sent again; only the newly published one is.
    later = now + timedelta(days=1)
    Initiative.objects.filter(name="Atelier vélo de Quimper").update(updated_at=later)
    newer = publish("Épicerie solidaire de Kerfeunteun")
    search.reindex()
    assert send_alerts(now=later)["initiatives"] == 1
    second = digests(outbox_mails)[-1]
    assert newer.name in second.body_text and "Atelier vélo de Quimper" not in second.body_text
    assert AlertDelivery.objects.filter(saved_search=saved).count() == 2


def test_no_new_match_means_no_mail(alert, outbox_mails):
    search.reindex()
    assert send_alerts() == {"alerts": 1, "digests": 0, "initiatives": 0, "errors": 0}
    assert not digests(outbox_mails)


def test_a_weekly_alert_waits_a_week(outbox_mails):
    saved = make_saved_search(query_string=QUIMPER, frequency="weekly")
    saved.confirmed_at = timezone.now() - timedelta(days=1)
    saved.save()
    publish("Atelier vélo de Quimper")
    search.reindex()
    now = timezone.now()
    assert send_alerts(now=now)["initiatives"] == 1
    publish("Épicerie solidaire de Kerfeunteun")
    search.reindex()
    assert send_alerts(now=now + timedelta(days=1))["alerts"] == 0
    assert send_alerts(frequency="daily", now=now + timedelta(days=8))["alerts"] == 0
    assert send_alerts(frequency="weekly", now=now + timedelta(days=7))["initiatives"] == 1


def test_every_digest_carries_one_click_unsubscribe(alert, outbox_mails):
    publish("Atelier vélo de Quimper")
    search.reindex()
    send_alerts()
    [digest] = digests(outbox_mails)
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = digest.headers["List-Unsubscribe"].strip("<>")
    assert "/alertes/desinscription/" in link and link in digest.body_text


def test_an_account_alert_goes_to_the_accounts_verified_address(outbox_mails):
    user = make_user("sacha@exemple.fr")
    saved = make_saved_search(email="ancienne@exemple.fr", query_string=QUIMPER, frequency="daily", user=user)
    saved.confirmed_at = timezone.now() - timedelta(days=1)
    saved.save()
    publish("Atelier vélo de Quimper")
    search.reindex()
    send_alerts()
    assert digests(outbox_mails)[0].to == ["sacha@exemple.fr"]
