"""TOTP for moderators and administrators before /moderation/ and /admin/ (R-SEC-12)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.urls import reverse

from tests.factories import PASSWORD, login_with_second_factor, make_administrator, make_moderator, make_user

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, list(counters())[len(list(counters())) // 2]))


@pytest.mark.parametrize("path", ["/admin/", "/moderation/"])
def test_a_moderator_without_totp_is_sent_to_activate_it(client, path):
    client.force_login(make_moderator())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert f"next={path.replace('/', '%2F')}" in response["Location"]


def test_an_administrator_with_totp_but_no_code_this_session_must_type_it(client):
    admin = make_administrator()
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_contributor_is_not_asked_for_a_second_factor(client):
    client.force_login(make_user())
    response = client.get("/moderation/")
    assert not response.get("Location", "").startswith("/compte/2fa")


def test_login_asks_for_the_code_then_the_admin_opens(client):
    admin = make_administrator("admin@exemple.fr")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    response = client.post(reverse("account_login"), {"login": "admin@exemple.fr", "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_test_helper_gives_a_session_that_passed_the_second_factor(client):
    login_with_second_factor(client, make_moderator())
    assert not client.get("/admin/").get("Location", "").startswith("/compte/2fa")
