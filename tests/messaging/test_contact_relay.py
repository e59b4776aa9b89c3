"""The contact relay (R-SEC-07, R-GDPR-03): the recipient's address appears nowhere, spam controls, bad input."""

import time
from email.utils import parseaddr

import pytest
from django.urls import reverse

from carrefour import search
from carrefour.core.models import AuditEvent
from carrefour.messaging.forms import started_token
from carrefour.messaging.models import ContactMessage, OutgoingMail, RecipientKind
from carrefour.messaging.recipients import recipients_for
from tests.factories import make_holder, make_initiative, make_moderator, make_user

pytestmark = pytest.mark.django_db

HOLDER = "porteuse.secrete@exemple.fr"
PRIVATE_CONTACT = "contact.prive@exemple.fr"
SENDER = "dominique.martin@exemple.fr"
BODY = "Bonjour, nous aimerions visiter votre atelier de réparation avec un groupe d'habitants."


@pytest.fixture
def initiative(outbox_backend):
    initiative = make_initiative(contact_email=PRIVATE_CONTACT)
    make_holder(initiative, make_user(HOLDER))
    return initiative


def form_data(**changes) -> dict:
    data = {
        "name": "Dominique Martin",
        "email": SENDER,
        "purpose": "visite",
        "message": BODY,
        "website": "",
        "started": started_token(time.time() - 30),
    }
    return {**data, **changes}


def post(client, initiative, **changes):
    return client.post(reverse("messaging:contact", args=[initiative.slug]), form_data(**changes))


def test_a_message_reaches_the_holders_from_the_platform_with_reply_to_the_sender(client, initiative, settings):
    response = post(client, initiative)
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:contact_sent", args=[initiative.slug])
    relay = OutgoingMail.objects.get(idempotency_key__endswith="-relay")
    assert relay.to == [HOLDER]
    assert relay.from_email == settings.DEFAULT_FROM_EMAIL
    assert relay.reply_to == [f"Dominique Martin <{SENDER}>"]
    assert BODY in relay.body_text and "Organiser une visite" in relay.subject
    message = ContactMessage.objects.get()
    assert message.recipient_kind == RecipientKind.HOLDERS and message.mail == relay
    assert message.delivered_at is None  # queued, not yet delivered


def test_the_sender_gets_a_copy_that_names_no_recipient_address(client, initiative):
    post(client, initiative)
    copy = OutgoingMail.objects.get(idempotency_key__endswith="-copy")
    assert copy.to == [SENDER]
    assert BODY in copy.body_text
    whole = str([copy.to, copy.cc, copy.bcc, copy.reply_to, copy.headers, copy.subject, copy.body_text, copy.body_html])
    assert HOLDER not in whole and PRIVATE_CONTACT not in whole


def test_the_recipient_address_appears_in_no_page_nor_api_answer(client, initiative):
    search.reindex()
    pages = [
        client.get(initiative.get_absolute_url()),
        client.get(reverse("messaging:contact", args=[initiative.slug])),
        post(client, initiative, email="pas-une-adresse"),  # a form with errors
        client.get(reverse("messaging:contact_sent", args=[initiative.slug])),
        client.get(reverse("api:search"), {"q": "Repair Café"}),
        client.get(reverse("search:search"), {"q": "Repair Café"}),
    ]
    assert pages[0].status_code == 200 and b"application/ld+json" in pages[0].content
    assert b"Repair Caf" in pages[4].content  # the API does list the sheet
    for response in pages:
        for address in (HOLDER, PRIVATE_CONTACT):
            assert address.encode() not in response.content, (response.request["PATH_INFO"], address)


def test_the_audit_event_keeps_metadata_but_never_the_body_nor_an_address(client, initiative):
    post(client, initiative)
    event = AuditEvent.objects.get(event_type="contact_message_relayed")
    assert event.data == {"initiative": initiative.pk, "purpose": "visite", "recipient_kind": "holders"}
    assert BODY not in str(event.data) and SENDER not in str(event.data)


@pytest.mark.parametrize(
    "changes",
    [{"website": "https://promo.example"}, {"started": "just now"}, {"started": "forgé"}, {"started": ""}],
    ids=["honeypot", "too-fast", "forged-start", "no-start"],
)
def test_robots_get_the_neutral_answer_and_nothing_is_queued(client, initiative, changes):
    if changes.get("started") == "just now":
        changes = {"started": started_token(time.time() - 1)}  # one second after the page was shown
    response = post(client, initiative, **changes)
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:contact_sent", args=[initiative.slug])
    assert not OutgoingMail.objects.exists() and not ContactMessage.objects.exists()
    page = client.get(response["Location"])
    assert "Message envoyé" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "Dominique\r\nBcc: victime@exemple.fr"}, "name"),
        ({"email": f"{SENDER}\r\nBcc: victime@exemple.fr"}, "email"),
        ({"email": f"{SENDER}\nBcc:victime@exemple.fr"}, "email"),
    ],
)
def test_header_injection_is_refused_with_a_french_message(client, initiative, changes, field):
    response = post(client, initiative, **changes)
    assert response.status_code == 400
    assert "doit tenir sur une seule ligne" in response.content.decode()
    assert not OutgoingMail.objects.exists()


def test_oversized_fields_are_refused_in_french_and_what_was_typed_is_kept(client, initiative):
    long_message = "Un très long message. " * 300
    response = post(client, initiative, message=long_message, name="N" * 101)
    page = response.content.decode()
    assert response.status_code == 400
    assert "au plus 5000 caractères" in page and "au plus 100 caractères" in page
    assert "Le message n&#x27;est pas parti" in page or "Le message n'est pas parti" in page
    assert "Un très long message." in page  # nothing typed is lost
    assert not OutgoingMail.objects.exists()


def test_the_sixth_message_within_an_hour_from_one_address_is_refused_with_429(client, initiative):
    for number in range(5):
        assert post(client, initiative, email=f"personne{number}@exemple.fr").status_code == 302
    response = post(client, initiative, email="sixieme@exemple.fr", message="Mon sixième message, à ne pas perdre.")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Réessayez dans une heure" in page and "Mon sixième message, à ne pas perdre." in page
    assert ContactMessage.objects.count() == 5


def test_a_sender_address_is_limited_to_twenty_messages_a_day(client, initiative, monkeypatch):
    from carrefour.messaging import contact

    monkeypatch.setattr(contact, "LIMIT_PER_IP_PER_HOUR", 1000)
    monkeypatch.setattr(contact, "LIMIT_PER_RECIPIENT_PER_DAY", 1000)
    codes = [post(client, initiative).status_code for _ in range(21)]
    assert codes == [302] * 20 + [429]


def test_recipients_fall_back_from_holders_to_the_private_contact_to_the_moderators(outbox_backend):
    moderator = make_moderator("moderatrice@exemple.fr")
    initiative = make_initiative(contact_email=PRIVATE_CONTACT)
    make_holder(initiative, make_user("pas-verifiee@exemple.fr", verified=False))  # an unverified holder: skipped
    assert recipients_for(initiative).kind == RecipientKind.INITIATIVE_CONTACT
    assert recipients_for(initiative).addresses == [PRIVATE_CONTACT]

    make_holder(initiative, make_user(HOLDER))
    assert recipients_for(initiative).addresses == [HOLDER]

    orphan = make_initiative("Jardin partagé des Capucins", contact_email="")
    found = recipients_for(orphan)
    assert found.kind == RecipientKind.MODERATORS and found.addresses == [moderator.email]


def test_with_no_moderator_at_all_the_message_still_goes_to_the_platform(outbox_backend, settings, client):
    settings.ADMINS = []
    orphan = make_initiative("Jardin partagé des Capucins", contact_email="")
    assert post(client, orphan).status_code == 302
    relay = OutgoingMail.objects.get(idempotency_key__endswith="-relay")
    assert relay.to == [parseaddr(settings.DEFAULT_FROM_EMAIL)[1]]
    assert ContactMessage.objects.get().recipient_kind == RecipientKind.MODERATORS


def test_unpublished_sheets_cannot_be_contacted(client, outbox_backend):
    draft = make_initiative("Projet en préparation", status="draft")
    assert client.get(reverse("messaging:contact", args=[draft.slug])).status_code == 404
    assert post(client, draft).status_code == 404


def test_the_sheet_shows_the_relay_form_with_its_accessible_honeypot(client, initiative):
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert 'id="contacter"' in page and reverse("messaging:contact", args=[initiative.slug]) in page
    assert "Ne pas remplir" in page and 'tabindex="-1"' in page
    assert "captcha" not in page.lower()
