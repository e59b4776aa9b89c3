"""Every django-allauth page reachable with our settings renders inside the site's layout, in French, with one h1, and
the main forms show an error summary linking to the fields (R-A11Y, R-SEC-08..11)."""

import re
import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import get_resolver, reverse
from lxml import html

from tests.factories import PASSWORD, login_with_second_factor, make_user

pytestmark = pytest.mark.django_db

# Words of allauth's English templates that must never show (our French text has none of them as whole words).
ENGLISH = re.compile(
    r"\b(Email|Password|Sign [IiOoUu][nptu]|Forgot|Remember|Re-send|Verify|Verified|Unverified|Primary|Remove|Change"
    r"|Add|Cancel|Confirm|Activate|Deactivate|Authenticator|Recovery|Download|Generate|Your|You|the|and|is|are"
    r"|Current|New|Account|Two-Factor|Security|Manage|View|Continue|Reauthenticate|Enter)\b"
)


def signed_in_with_password(client, user):
    """A session that has just typed its password: pages that ask to re-authenticate open directly."""
    client.force_login(user)
    session = client.session
    record = {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [record]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return user


def with_totp(client):
    user = login_with_second_factor(client, make_user("double@exemple.fr"))
    RecoveryCodes.activate(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY][0]["reauthenticated"] = True
    session.save()
    return user


def reset_key_url(client):
    user = make_user("oubli@exemple.fr")
    key = default_token_generator.make_token(user)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


def confirm_url(client):
    user = make_user("a-confirmer@exemple.fr", verified=False)
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    return reverse("account_confirm_email", args=[key])


def mfa_stage(client):
    user = make_user("etape@exemple.fr")
    TOTP.activate(user, generate_totp_secret())
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    return reverse("mfa_authenticate")


def reauthentication_code_sent(client):
    response = client.post(reverse("account_request_reauthentication_code"), {"recipient": "camille@exemple.fr"})
    assert response["Location"] == reverse("account_confirm_reauthentication_code")
    return reverse("account_confirm_reauthentication_code")


def anonymous(client):
    return None


def password_user(client):
    return signed_in_with_password(client, make_user("camille@exemple.fr"))


def no_password_user(client):
    user = make_user("sans-mot-de-passe@exemple.fr")
    user.set_unusable_password()
    user.save()
    return signed_in_with_password(client, user)


# (URL name or a function giving the URL, who is signed in, the h1 expected)
PAGES = {
    "account_login": (anonymous, "Se connecter"),
    "account_signup": (anonymous, "Créer un compte"),
    "account_reset_password": (anonymous, "Mot de passe oublié"),
    "account_reset_password_done": (anonymous, "Consultez votre messagerie"),
    "account_reset_password_from_key": (anonymous, "Choisir un nouveau mot de passe"),
    "account_reset_password_from_key_done": (anonymous, "Mot de passe modifié"),
    "account_email_verification_sent": (anonymous, "Vérifiez votre adresse e-mail"),
    "account_confirm_email": (anonymous, "Confirmer votre adresse e-mail"),
    "account_inactive": (anonymous, "Compte désactivé"),
    "mfa_authenticate": (anonymous, "Double authentification"),
    "account_logout": (password_user, "Se déconnecter"),
    "account_email": (password_user, "Adresse e-mail"),
    "account_change_password": (password_user, "Changer de mot de passe"),
    "account_set_password": (no_password_user, "Choisir un mot de passe"),
    "account_reauthenticate": (password_user, "Confirmer votre identité"),
    "account_request_reauthentication_code": (password_user, "Confirmer votre identité"),
    "account_confirm_reauthentication_code": (password_user, "Saisir le code reçu"),
    "mfa_index": (password_user, "Double authentification"),
    "mfa_activate_totp": (password_user, "Activer la double authentification"),
    "mfa_reauthenticate": (with_totp, "Confirmer votre identité"),
    "mfa_deactivate_totp": (with_totp, "Désactiver la double authentification"),
    "mfa_view_recovery_codes": (with_totp, "Codes de secours"),
    "mfa_generate_recovery_codes": (with_totp, "Nouveaux codes de secours"),
}
URL_MAKERS = {
    "account_reset_password_from_key": reset_key_url,
    "account_confirm_email": confirm_url,
    "mfa_authenticate": mfa_stage,
    "account_confirm_reauthentication_code": reauthentication_code_sent,
}
# Reachable names that are not pages of their own with our settings (login by code is off; the download is a text
# file, tested below).
NOT_PAGES = {
    "account_confirm_login_code",
    "mfa_download_recovery_codes",
}


def allauth_url_names() -> set[str]:
    names = set()
    for key in get_resolver().reverse_dict:
        if isinstance(key, str) and (key.startswith("account_") or key.startswith("mfa_")):
            names.add(key)
    return names


def visible_text(content: bytes) -> tuple[str, html.HtmlElement]:
    tree = html.fromstring(content)
    for node in tree.xpath("//script|//style|//template"):
        node.drop_tree()
    attributes = " ".join(tree.xpath("//@placeholder|//@aria-label|//@alt|//@title"))
    return f"{tree.text_content()} {attributes}", tree


def test_every_allauth_page_is_listed_here():
    assert allauth_url_names() == set(PAGES) | NOT_PAGES


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_account_page_uses_our_layout_in_french(client, name):
    who, title = PAGES[name]
    who(client)
    url = URL_MAKERS[name](client) if name in URL_MAKERS else reverse(name)
    response = client.get(url, follow=True)
    assert response.status_code == 200, response.redirect_chain
    assert any(template.name == "base.html" for template in response.templates)
    text, tree = visible_text(response.content)
    assert tree.get("lang") == "fr"
    assert [h1.text_content().strip() for h1 in tree.xpath("//h1")] == [title]
    assert tree.findtext(".//title").startswith(title)
    assert ENGLISH.findall(text) == [], ENGLISH.findall(text)
    for field in tree.xpath("//form[contains(@class, 'account-form')]//input[not(@type='hidden')]"):
        assert tree.xpath(f"//label[@for='{field.get('id')}']"), f"{name}: no label for {field.get('id')}"


def test_the_pages_that_need_no_page_of_their_own_do_not_fail(client):
    signed_in_with_password(client, make_user("camille@exemple.fr"))
    for name in NOT_PAGES - {"mfa_download_recovery_codes"}:
        assert client.get(reverse(name)).status_code in {302, 404}, name


def test_recovery_codes_download_in_french_text(client):
    user = with_totp(client)
    response = client.get(reverse("mfa_download_recovery_codes"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("Codes de secours du Carrefour")
    assert RecoveryCodes(user.authenticator_set.get(type="recovery_codes")).get_unused_codes()[0] in body


def error_summary_of(response) -> html.HtmlElement:
    assert response.status_code == 200
    summary = html.fromstring(response.content).xpath("//div[contains(@class, 'error-summary')]")
    assert len(summary) == 1
    return summary[0]


def test_a_wrong_current_password_shows_the_error_summary(client):
    signed_in_with_password(client, make_user("camille@exemple.fr"))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pas le bon", "password1": "court", "password2": "autre"},
    )
    summary = error_summary_of(response)
    links = summary.xpath(".//a/@href")
    assert "#id_oldpassword" in links
    assert ENGLISH.findall(summary.text_content()) == []
    assert "field-error" in response.content.decode()


def test_an_invalid_new_address_shows_the_error_summary_and_keeps_what_was_typed(client):
    signed_in_with_password(client, make_user("camille@exemple.fr"))
    response = client.post(reverse("account_email"), {"action_add": "", "email": "pas-une-adresse"})
    summary = error_summary_of(response)
    assert summary.xpath(".//a/@href") == ["#id_email"]
    assert 'value="pas-une-adresse"' in response.content.decode()


def test_an_empty_reset_request_shows_the_error_summary(client):
    response = client.post(reverse("account_reset_password"), {"email": ""})
    summary = error_summary_of(response)
    assert summary.xpath(".//a/@href") == ["#id_email"]
    assert ENGLISH.findall(summary.text_content()) == []


def test_a_pending_address_change_can_be_resent_or_cancelled_in_french(client, mailoutbox):
    signed_in_with_password(client, make_user("camille@exemple.fr"))
    response = client.post(reverse("account_email"), {"action_add": "", "email": "camille.nouvelle@exemple.fr"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["camille.nouvelle@exemple.fr"]
    page = client.get(reverse("account_email"))
    text, tree = visible_text(page.content)
    assert "Changement en attente" in text
    assert "camille.nouvelle@exemple.fr" in text
    assert tree.xpath("//button[@name='action_send']") and tree.xpath("//button[@name='action_remove']")
    assert ENGLISH.findall(text) == []
    client.post(reverse("account_email"), {"action_remove": "", "email": "camille.nouvelle@exemple.fr"})
    assert "Changement en attente" not in client.get(reverse("account_email")).content.decode()
