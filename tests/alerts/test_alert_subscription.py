"""Saving a search as an e-mail alert: double opt-in without an account, one-click unsubscribe in every mail."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from carrefour.alerts.digest import send_alerts
from carrefour.alerts.models import SavedSearch
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db


def links_in(text: str) -> list[str]:
    return re.findall(r"http://\S+", text)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def create(client, **changes):
    data = {"search": "commune=29232&q=atelier", "label": "Ateliers à Quimper", "frequency": "daily"}
    data.update({"email": "lea.dupont@exemple.fr"} if "email" not in changes else {})
    return client.post(reverse("alerts:create"), {**data, **changes})


def test_the_create_page_describes_the_search_and_proposes_a_name(client):
    response = client.get(reverse("alerts:create"), {"q": "atelier", "commune": "29232", "page": "3"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "atelier" in page and "Quimper" in page
    assert 'value="commune=29232&amp;q=atelier"' in page  # the page number is not part of an alert


def test_an_invalid_search_cannot_be_saved_and_the_page_says_why_in_french(client):
    response = client.get(reverse("alerts:create"), {"theme": "pas une valeur !"})
    assert response.status_code == 400
    assert "Valeur non reconnue pour le filtre" in response.content.decode()


def test_without_an_account_a_confirmation_mail_is_queued_and_nothing_else(client, outbox_mails):
    response = create(client)
    assert response.status_code == 302 and response["Location"] == reverse("alerts:check_inbox")
    saved = SavedSearch.objects.get()
    assert saved.confirmed_at is None and saved.email == "lea.dupont@exemple.fr"
    confirmation = outbox_mails.get()
    assert confirmation.to == ["lea.dupont@exemple.fr"] and "Confirmez" in confirmation.subject
    assert confirmation.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    make_initiative("Atelier vélo de Quimper")  # a new match, but the alert is not confirmed
    from carrefour import search

    search.reindex()
    assert send_alerts()["digests"] == 0
    assert outbox_mails.count() == 1


def test_the_signed_link_confirms_after_a_click_on_a_button(client, outbox_mails):
    create(client)
    confirm_link = next(link for link in links_in(outbox_mails.get().body_text) if "/confirmer/" in link)
    page = client.get(path_of(confirm_link))
    assert page.status_code == 200 and "Confirmer et activer" in page.content.decode()
    assert SavedSearch.objects.get().confirmed_at is None  # a mail scanner's GET confirms nothing
    assert client.post(path_of(confirm_link)).status_code == 200
    assert SavedSearch.objects.get().confirmed_at is not None


def test_a_tampered_or_foreign_link_is_refused(client, outbox_mails):
    create(client)
    saved = SavedSearch.objects.get()
    assert client.get(reverse("alerts:confirm", args=[saved.confirmation_link_token + "x"])).status_code == 404
    # A manage link is not an unsubscribe link, nor a confirmation link.
    assert client.post(reverse("alerts:unsubscribe", args=[saved.manage_link_token])).status_code == 404
    assert client.post(reverse("alerts:confirm", args=[saved.manage_link_token])).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk, confirmed_at=None).exists()


def test_with_a_verified_account_the_alert_is_active_at_once_and_listed_in_my_space(client, outbox_mails):
    user = make_user("sacha@exemple.fr")
    client.force_login(user)
    response = create(client, email="")
    assert response.status_code == 302 and response["Location"] == reverse("alerts:mine")
    saved = SavedSearch.objects.get()
    assert saved.user == user and saved.email == "sacha@exemple.fr" and saved.confirmed_at is not None
    assert not outbox_mails.exists()
    space = client.get(reverse("accounts:space")).content.decode()
    assert "Mes alertes" in space and "Ateliers à Quimper" in space


def test_one_click_unsubscribe_works_without_cookies_nor_csrf_token(outbox_mails):
    anonymous = Client(enforce_csrf_checks=True)
    create(Client())
    saved = SavedSearch.objects.get()
    url = reverse("alerts:unsubscribe", args=[saved.unsubscribe_link_token])
    assert "Me désinscrire" in anonymous.get(url).content.decode()
    assert SavedSearch.objects.exists()
    response = anonymous.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not SavedSearch.objects.exists()
    assert anonymous.post(url).status_code == 404  # already gone: said plainly


def test_the_manage_link_changes_the_frequency(client, outbox_mails):
    create(client)
    saved = SavedSearch.objects.get()
    url = reverse("alerts:manage", args=[saved.manage_link_token])
    assert client.post(url, {"frequency": "weekly"}).status_code == 302
    saved.refresh_from_db()
    assert saved.frequency == "weekly"
    response = client.post(url, {"frequency": "hourly"})
    assert response.status_code == 400 and "Choisissez une fréquence" in response.content.decode()


def test_bad_input_on_the_create_form_is_refused_in_french_and_kept(client, outbox_mails):
    response = create(client, email="lea\r\nBcc: x@exemple.fr", label="Mon alerte à moi")
    page = response.content.decode()
    assert response.status_code == 400
    assert "doit tenir sur une seule ligne" in page and "Mon alerte à moi" in page
    assert not SavedSearch.objects.exists() and not outbox_mails.exists()


def test_my_alerts_are_in_the_account_export_and_go_with_the_account(client, outbox_mails):
    from carrefour.accounts.export import account_data

    user = make_user("sacha@exemple.fr")
    client.force_login(user)
    create(client, email="")
    exported = account_data(user)["saved_searches"]
    assert [(item["label"], item["query_string"]) for item in exported] == [
        ("Ateliers à Quimper", "commune=29232&q=atelier")
    ]
    user.delete()
    assert not SavedSearch.objects.exists()
