"""Contact a project holder and save a search as an e-mail alert, in a real browser against the live demo site.

The live site queues every mail in its database outbox; the test runs the site's own workers (`send_outbox` with the
file backend, `send_alerts`) over the site's data folder, then reads the mails they wrote into `<data folder>/mail/`.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@pytest.fixture(scope="module")
def site_data(live_site, tmp_path_factory) -> Path:
    """The live site's data folder (created by the `live_site` fixture under pytest's temporary folder)."""
    found = tmp_path_factory.getbasetemp().glob("site-data*")
    folders = sorted({path.resolve() for path in found if (path / "carrefour.sqlite3").exists()})
    assert len(folders) == 1, f"cannot tell which data folder the live site uses: {folders}"
    return folders[0]


def carrefour(site_data: Path, *args: str) -> str:
    script = Path(sys.executable).parent / "carrefour"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "carrefour.cli"]
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(CARREFOUR_DATA_DIR=str(site_data), CARREFOUR_EMAIL_BACKEND="file", PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run(
        [*command, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def delivered_mails(site_data: Path) -> list[bytes]:
    """Every mail the file backend wrote, one each (headers and body, as sent)."""
    mails = []
    for path in sorted((site_data / "mail").glob("*.log")):
        mails += [part for part in path.read_bytes().split(SEPARATOR) if part.strip()]
    return mails


def parsed(mail: bytes):
    return message_from_bytes(mail, policy=policy.default)


def mails_to(site_data: Path, address: str) -> list[bytes]:
    return [mail for mail in delivered_mails(site_data) if address in str(parsed(mail)["To"])]


def decoded_body(mail: bytes) -> str:
    return parsed(mail).get_body(preferencelist=("plain",)).get_content()


def link_to(text: str, fragment: str) -> str:
    url = next(found for found in re.findall(r"https?://\S+", text) if fragment in found)
    return urlsplit(url).path


def recipient_of_last_relay(site_data: Path) -> list[str]:
    with sqlite3.connect(site_data / "carrefour.sqlite3") as db:
        row = db.execute(
            'SELECT "to" FROM messaging_outgoingmail WHERE idempotency_key LIKE ? ORDER BY id DESC LIMIT 1',
            ["contact-%-relay"],
        ).fetchone()
    assert row, "no relayed mail was queued"
    return json.loads(row[0])


def test_a_visitor_contacts_a_holder_and_the_address_leaks_nowhere(
    page, site_paths, site_data, assert_no_axe_violations
):
    sheet = site_paths["initiative"]
    page.goto(sheet)
    form = page.locator("section#contacter form")
    assert form.count() == 1

    # First a mistake: the form comes back with its errors, accessible, and keeps what was typed.
    form.get_by_label("Votre nom").fill("Dominique Martin")
    form.get_by_label("Votre message").fill("Bonjour, pouvons-nous visiter l'atelier un samedi avec un groupe ?")
    page.wait_for_timeout(3200)  # a person takes more than 3 s to fill a form
    with page.expect_navigation():
        form.get_by_role("button", name="Envoyer le message").click()
    assert page.locator(".error-summary").count() == 1
    assert "visiter l'atelier" in page.locator("textarea").input_value()
    assert_no_axe_violations(page)

    page.get_by_label("Votre adresse e-mail").fill("dominique.martin@exemple.fr")
    page.get_by_label("Objet de votre prise de contact").select_option("visite")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le message").click()
    assert page.locator("h1").inner_text() == "Message envoyé"
    assert_no_axe_violations(page)

    recipients = recipient_of_last_relay(site_data)
    assert recipients and all("@" in address for address in recipients)
    carrefour(site_data, "send_outbox")
    [copy] = mails_to(site_data, "dominique.martin@exemple.fr")
    [relay] = mails_to(site_data, recipients[0])
    assert parsed(relay)["Reply-To"] == "Dominique Martin <dominique.martin@exemple.fr>"
    slug = sheet.rstrip("/").rpartition("/")[2]
    answers = [
        page.request.get(sheet).text(),  # with its JSON-LD
        page.request.get(f"{sheet}contacter/").text(),
        page.request.get(f"/api/v1/search?q={slug.replace('-', ' ')}").text(),
        page.request.get("/recherche/").text(),
        copy.decode("utf-8", errors="replace"),
        decoded_body(copy),
    ]
    for address in recipients:
        leaks = [index for index, text in enumerate(answers) if address in text]
        assert not leaks, f"the recipient's address appears in answers {leaks}"


def test_a_saved_search_delivers_only_new_matches_exactly_once(page, site_paths, site_data, assert_no_axe_violations):
    page.goto("/recherche/?commune=29232")
    with page.expect_navigation():
        page.get_by_role("link", name="Créer une alerte pour cette recherche").click()
    assert_no_axe_violations(page)
    page.get_by_label("Nom de l'alerte").fill("Nouveautés à Quimper")
    page.get_by_label("Chaque jour").check()
    page.get_by_label("Votre adresse e-mail").fill("lea.alerte@exemple.fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer l'alerte").click()
    assert page.locator("h1").inner_text() == "Confirmez votre alerte"

    carrefour(site_data, "send_outbox")
    [confirmation] = mails_to(site_data, "lea.alerte@exemple.fr")
    page.goto(link_to(decoded_body(confirmation), "/alertes/confirmer/"))
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer et activer l'alerte").click()
    assert page.locator("h1").inner_text() == "Alerte activée"

    # Two initiatives are published in Quimper after the confirmation, one in Brest; the worker runs twice.
    carrefour(
        site_data,
        "shell",
        "-c",
        "from tests.factories import make_initiative\n"
        "make_initiative('Atelier vélo solidaire de Kerfeunteun', '29232')\n"
        "make_initiative('Recyclerie du Moulin Vert', '29232')\n"
        "make_initiative('Atelier vélo du port de Brest', '29019')",
    )
    carrefour(site_data, "index_worker", "--once")
    carrefour(site_data, "send_alerts", "--frequency", "daily")
    carrefour(site_data, "send_alerts")
    carrefour(site_data, "send_outbox")

    digests = [mail for mail in mails_to(site_data, "lea.alerte@exemple.fr") if "nouvelles" in parsed(mail)["Subject"]]
    assert len(digests) == 1, f"{len(digests)} digests"
    body = decoded_body(digests[0])
    assert "Atelier vélo solidaire de Kerfeunteun" in body and "Recyclerie du Moulin Vert" in body
    assert "Atelier vélo du port de Brest" not in body
    listed = re.findall(r"^- (.+)$", body, re.M)
    assert len(listed) == 2, listed  # none of the demo initiatives published before the alert
    assert parsed(digests[0])["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(link_to(body, "/alertes/desinscription/"))
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Me désinscrire").click()
    assert page.locator("h1").inner_text() == "Désinscription faite"
