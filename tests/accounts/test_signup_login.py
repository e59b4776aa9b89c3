"""Sign-up with e-mail verification, login by e-mail, no account enumeration, throttling with a cool-off."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "marcher longtemps sous la pluie fine"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_sends_a_verification_mail_then_the_verified_account_logs_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Lea.Martin@exemple.fr", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.martin@exemple.fr"]
    assert mail.outbox[0].from_email.endswith("<ne-pas-repondre@carrefour.localhost>")

    # Not verified yet: login sends to the verification page, not into the account.
    response = client.post(reverse("account_login"), {"login": "lea.martin@exemple.fr", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = link_in(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200
    client.post(confirm_url)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "lea.martin@exemple.fr", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:space")
    page = client.get(reverse("accounts:space"))
    assert "Mon espace" in page.content.decode()


def test_sign_up_pages_are_in_french_with_errors_next_to_fields(client):
    response = client.post(reverse("account_signup"), {"email": "pas-une-adresse", "password1": "court"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="pas-une-adresse"' in html  # what was typed is kept


def test_sign_up_with_an_existing_email_answers_like_a_new_one(client):
    make_user("deja.la@exemple.fr")
    response = client.post(
        reverse("account_signup"),
        {"email": "deja.la@exemple.fr", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [message.to for message in mail.outbox] == [["deja.la@exemple.fr"]]


def test_password_reset_answers_identically_for_known_and_unknown_addresses(client):
    make_user("connue@exemple.fr")
    known = client.post(reverse("account_reset_password"), {"email": "connue@exemple.fr"})
    unknown = client.post(reverse("account_reset_password"), {"email": "inconnue@exemple.fr"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("account_reset_password_done")
    assert [message.to for message in mail.outbox] == [["connue@exemple.fr"], ["inconnue@exemple.fr"]]


def test_password_reset_link_sets_a_new_password(client):
    make_user("oubli@exemple.fr")
    client.post(reverse("account_reset_password"), {"email": "oubli@exemple.fr"})
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    client.logout()
    response = client.post(reverse("account_login"), {"login": "oubli@exemple.fr", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:space")


def test_login_errors_do_not_tell_whether_the_account_exists(client):
    make_user("existe@exemple.fr")
    known = client.post(reverse("account_login"), {"login": "existe@exemple.fr", "password": "mauvais mot de passe"})
    unknown = client.post(reverse("account_login"), {"login": "absent@exemple.fr", "password": "mauvais mot de passe"})
    assert known.status_code == unknown.status_code == 200
    known_errors = known.context["form"].non_field_errors()
    assert known_errors == unknown.context["form"].non_field_errors()
    assert "incorrect" in str(known_errors)


def test_logout_needs_a_post(client):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("account_logout")).status_code == 200
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def login(client, password, ip="203.0.113.7"):
    return client.post(reverse("account_login"), {"login": "cible@exemple.fr", "password": password}, REMOTE_ADDR=ip)


def test_failed_logins_cool_off_then_the_right_password_works_again(client, monkeypatch, settings):
    from datetime import timedelta

    from carrefour.accounts import throttle

    make_user("cible@exemple.fr")
    # Start of a cool-off window, so that the window's end is exactly one cool-off later.
    start = throttle.window_start(throttle.clock(), throttle.cooloff()) + throttle.cooloff()
    monkeypatch.setattr(throttle, "clock", lambda: start)
    for _attempt in range(settings.LOGIN_ATTEMPTS):
        assert "incorrect" in str(login(client, "mauvais").context["form"].non_field_errors())

    refused = login(client, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in str(refused.context["form"].non_field_errors())
    # Another address is not locked out by someone else's failures.
    assert login(client, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()

    monkeypatch.setattr(throttle, "clock", lambda: start + throttle.cooloff() - timedelta(seconds=60))
    assert "Trop de tentatives" in str(login(client, PASSWORD).context["form"].non_field_errors())
    monkeypatch.setattr(throttle, "clock", lambda: start + throttle.cooloff() + timedelta(seconds=1))
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
