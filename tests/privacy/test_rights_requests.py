"""R-GDPR-05: people without an account exercise their rights through a form; the request counts once its address is
confirmed (double opt-in), then waits in the moderation queue with a due date one month later (Art. 12(3))."""

import time
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.urls import reverse

from carrefour.messaging.models import OutgoingMail
from carrefour.moderation.queue import QueueFilters, collect
from carrefour.privacy import requests
from carrefour.privacy.models import CONFIRM_SALT, RightsRequest
from carrefour.territories.models import Region
from tests import factories

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "erasure",
    "name": "Annaïg Morvan",
    "email": "annaig.morvan@exemple.fr",
    "concerned": "Repair Café de Quimper",
    "details": "Mon adresse personnelle sert de contact.",
}


def confirmation_path(mail: OutgoingMail) -> str:
    line = next(line for line in mail.body_text.splitlines() if "/donnees-personnelles/confirmer/" in line)
    return urlparse(line.strip()).path


def test_a_request_is_queued_for_moderators_only_after_its_address_is_confirmed(client):
    response = client.post(reverse("privacy:request"), FORM)
    assert response.status_code == 302 and response["Location"] == reverse("privacy:request_sent")
    request = RightsRequest.objects.get()
    assert request.status == "unconfirmed" and request.due_at is None
    assert collect(QueueFilters(kind="rights_request")) == []

    mail = OutgoingMail.objects.get(to=["annaig.morvan@exemple.fr"])
    path = confirmation_path(mail)
    page = client.get(path)
    assert page.status_code == 200 and "Je confirme ma demande" in page.content.decode()
    request.refresh_from_db()
    assert request.status == "unconfirmed"  # a mail scanner following the link confirms nothing

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    request.refresh_from_db()
    assert request.status == "open"
    assert request.due_at == requests.due_date(request.confirmed_at)
    assert timedelta(days=28) <= request.due_at - request.confirmed_at <= timedelta(days=31)
    items = collect(QueueFilters(kind="rights_request"))
    assert [item.pk for item in items] == [request.pk]
    assert "Réponse due le" in items[0].detail


def test_the_due_date_is_one_calendar_month_after_confirmation():
    assert requests.due_date(datetime(2026, 1, 31, 10, tzinfo=UTC)) == datetime(2026, 2, 28, 10, tzinfo=UTC)
    assert requests.due_date(datetime(2026, 12, 15, tzinfo=UTC)) == datetime(2027, 1, 15, tzinfo=UTC)


def test_bad_input_gets_french_messages_and_keeps_what_was_typed(client):
    response = client.post(reverse("privacy:request"), {**FORM, "kind": "", "email": "pas-une-adresse"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choisissez le droit que vous exercez." in text and "Saisissez une adresse e-mail valide" in text
    assert 'class="error-summary"' in text and "Annaïg Morvan" in text and "pas-une-adresse" in text
    assert RightsRequest.objects.count() == 0


def test_too_many_requests_for_one_address_are_refused_politely(client):
    for _ in range(requests.LIMIT_PER_ADDRESS_PER_DAY):
        assert client.post(reverse("privacy:request"), FORM).status_code == 302
    response = client.post(reverse("privacy:request"), FORM)
    assert response.status_code == 429 and "Réessayez plus tard" in response.content.decode()


def test_a_forged_or_expired_link_is_refused(client):
    request = factories.make_rights_request(confirmed=False)
    assert client.post(reverse("privacy:confirm", kwargs={"token": "faux"})).status_code == 404
    other = factories.make_rights_request(confirmed=False, email="autre@exemple.fr")
    valid = request.confirmation_link_token
    forged = [
        # a correctly signed link pairing another request with this request's secret
        signing.dumps([other.pk, request.confirmation_token], salt=CONFIRM_SALT),
        # this request's link with its signature altered
        valid[:-1] + ("A" if valid[-1] != "A" else "B"),
    ]
    for token in forged:
        assert client.post(reverse("privacy:confirm", kwargs={"token": token})).status_code == 404
    eight_days_later = time.time() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_later):
        assert client.post(reverse("privacy:confirm", kwargs={"token": valid})).status_code == 404
    for pending in (request, other):
        pending.refresh_from_db()
        assert pending.status == "unconfirmed"
    assert client.post(reverse("privacy:confirm", kwargs={"token": valid})).status_code == 200


def test_only_unscoped_moderators_see_and_answer_requests(client):
    request = factories.make_rights_request()
    scoped = factories.make_moderator(regions=[Region.objects.get(pk="53")])
    assert all(item.kind != "rights_request" for item in collect(QueueFilters(), user=scoped))
    factories.login_with_second_factor(client, scoped)
    assert client.get(reverse("privacy:handle", kwargs={"pk": request.pk})).status_code == 403
    unscoped = factories.make_moderator()
    assert any(item.kind == "rights_request" for item in collect(QueueFilters(), user=unscoped))


def test_answering_an_erasure_request_erases_the_person_and_mails_the_answer(
    client, django_capture_on_commit_callbacks
):
    sheet = factories.make_initiative(contact_email="annaig.morvan@exemple.fr")
    request = factories.make_rights_request()
    moderator = factories.make_moderator()
    factories.login_with_second_factor(client, moderator)
    url = reverse("privacy:handle", kwargs={"pk": request.pk})
    page = client.get(url).content.decode()
    assert "Annaïg Morvan" in page and "Réponse due le" in page
    assert "Initiatives : 1" in page  # what the platform holds about the address (the start of an access answer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"outcome": "done", "erase": "on", "answer": "Votre adresse a été retirée."})
    assert response.status_code == 302
    sheet.refresh_from_db()
    request.refresh_from_db()
    assert sheet.contact_email == ""
    assert request.status == "done" and request.closed_by == moderator
    assert request.email == "" and request.name == ""  # the request keeps its outcome, not the identity
    answer = OutgoingMail.objects.get(idempotency_key=f"rights-request-{request.pk}-answer")
    assert answer.to == ["annaig.morvan@exemple.fr"] and "Votre adresse a été retirée." in answer.body_text


def test_a_refusal_cannot_erase_and_needs_an_answer(client):
    request = factories.make_rights_request()
    factories.login_with_second_factor(client, factories.make_moderator())
    url = reverse("privacy:handle", kwargs={"pk": request.pk})
    response = client.post(url, {"outcome": "refused", "erase": "on", "answer": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Une demande refusée n&#x27;efface rien" in text and "Rédigez la réponse" in text
    request.refresh_from_db()
    assert request.status == "open"


def test_the_moderation_queue_page_lists_the_request_with_its_due_date(client):
    request = factories.make_rights_request()
    factories.login_with_second_factor(client, factories.make_moderator())
    page = client.get(reverse("moderation:queue"), {"kind": "rights_request"}).content.decode()
    assert "Demandes sur les données personnelles" in page
    assert reverse("privacy:handle", kwargs={"pk": request.pk}) in page and "Réponse due le" in page
