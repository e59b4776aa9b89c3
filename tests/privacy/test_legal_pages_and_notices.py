"""R-GDPR-08, R-A11Y-01: the privacy, legal and accessibility pages exist and are linked from the footer of every
page; the home page's compliance mention follows the audit status in settings; each data-collecting form shows the
short notice and its link."""

from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ("privacy:privacy", "privacy:legal", "privacy:accessibility")
NOTICE = "data-privacy-notice"


def test_the_legal_pages_answer_in_french_with_their_content(client):
    privacy = client.get(reverse("privacy:privacy")).content.decode()
    expected = (
        "Responsable du traitement",
        "Base légale",
        "Durée de conservation",
        "Destinataires et sous-traitants",
        "adresse IP",
        "tuiles",
        "CNIL",
        "14 sauvegardes quotidiennes et 6 mensuelles",
        "Vos droits",
    )
    for words in expected:
        assert words in privacy, words
    assert "Demandes d&#x27;exercice des droits" in privacy or "Demandes d'exercice des droits" in privacy
    legal = client.get(reverse("privacy:legal")).content.decode()
    assert "Éditeur" in legal and "Hébergement" in legal
    accessibility = client.get("/accessibilite")
    assert accessibility.status_code == 200
    text = accessibility.content.decode()
    for words in (
        "RGAA",
        "Schéma pluriannuel",
        "Plan d'actions",
        "Défenseur des droits",
        "partiellement conforme",
    ):
        assert words in text, words


def test_legal_values_come_from_settings(client, settings):
    settings.LEGAL_PUBLISHER = "Association Les Communs Bretons"
    settings.LEGAL_HOST = "Hébergeur Coopératif, 12 rue des Serveurs, 35000 Rennes"
    text = client.get(reverse("privacy:legal")).content.decode()
    assert "Association Les Communs Bretons" in text and "Hébergeur Coopératif" in text


@pytest.mark.parametrize(
    "url",
    ["/", "/recherche/", "/donnees-personnelles/", "/accessibilite", "/mentions-legales/", "/thematiques/", "/regions/",
     "/donnees-ouvertes/", "/donnees-personnelles/exercer-mes-droits/", "/compte/signup/"],
)  # fmt: skip
def test_every_page_links_the_legal_pages_in_its_footer(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    footer = response.content.decode().split('<footer class="site-footer">', 1)[1]
    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer, (url, name)


def test_an_initiative_page_links_them_too(client):
    sheet = factories.make_initiative()
    footer = client.get(sheet.get_absolute_url()).content.decode().split('<footer class="site-footer">', 1)[1]
    assert 'href="/accessibilite"' in footer and f'href="{reverse("privacy:privacy")}"' in footer


@pytest.mark.parametrize(
    ("status", "mention"),
    [("partiellement", "Accessibilité : partiellement conforme"), ("totalement", "Accessibilité : totalement conforme"),
     ("non", "Accessibilité : non conforme")],
)  # fmt: skip
def test_the_home_page_mention_matches_the_audit_status_in_settings(client, settings, status, mention):
    settings.A11Y_STATUS = status
    home = client.get("/").content.decode()
    main = home.split("<main", 1)[1].split("</main>", 1)[0]
    assert mention in main and f'data-a11y-status="{status}"' in main
    others = {"partiellement", "totalement", "non"} - {status}
    assert not any(f"Accessibilité : {other} conforme" in home for other in others)


@pytest.mark.parametrize(
    "template",
    ["account/signup.html", "contributions/propose_step.html", "messaging/_contact_form.html",
     "contacts/replicate.html", "alerts/create.html", "privacy/request.html"],
)  # fmt: skip
def test_each_form_that_collects_data_includes_the_notice(template):
    source = Path(get_template(template).origin.name).read_text(encoding="utf-8")
    assert '{% include "privacy/_notice.html" %}' in source


def test_the_notice_has_its_short_text_and_the_link(client):
    text = client.get(reverse("privacy:request")).content.decode()
    assert NOTICE in text
    notice = text.split(NOTICE, 1)[1].split("</p>", 1)[0]
    assert "ni vendues ni publiées sans votre accord" in notice and f'href="{reverse("privacy:privacy")}"' in notice


def test_the_signup_and_alert_pages_render_the_notice(client):
    for url in (reverse("account_signup"), reverse("alerts:create")):
        assert NOTICE in client.get(url).content.decode(), url
