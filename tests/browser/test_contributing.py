"""Cooperative cataloguing in a real browser against the live demo site (issue 4, « Acceptance »).

Sign-up with e-mail verification, a proposal through every step, suggested edits, claims, the version conflict page,
reports hiding a sheet, and the moderator's side (TOTP at login, the queue, decisions). Accounts and sheets that are
not the subject of a test are created directly in the live site's database; every sheet a test changes is its own,
so the demo sheets other browser tests rely on stay as they are.
"""

import io
import re
import time
from urllib.parse import quote, urlsplit

import pytest

from tests.browser.live_tools import find_site_data, fresh_totp_code, link_in, mails_to, run_in_site, text_of

PASSWORD = "une phrase de passe assez longue 2026"
MODERATOR = "modo.totp@exemple.fr"
MODERATOR_SECRET = "JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK"  # base32: the TOTP secret of the moderator's authenticator
SEARCH_WAIT = 10  # seconds: the index applies after each commit; a loaded machine may take a little while


@pytest.fixture(scope="module")
def site_data(live_site, tmp_path_factory):
    return find_site_data(tmp_path_factory)


@pytest.fixture(scope="module")
def moderator_state(browser, live_site, site_data) -> dict:
    """A moderator whose TOTP secret we know, logged in once through the real login and second-factor pages."""
    run_in_site(
        site_data,
        "from allauth.mfa.totp.internal.auth import TOTP\n"
        "from tests.factories import make_moderator\n"
        f"TOTP.activate(make_moderator({MODERATOR!r}), {MODERATOR_SECRET!r})\n"
        "result = True",
    )
    context = browser.new_context(locale="fr-FR", base_url=live_site)
    try:
        page = context.new_page()
        submit_login(page, MODERATOR)
        # allauth asks for the code before opening the session.
        assert page.locator("h1").inner_text() == "Double authentification", page.url
        page.get_by_label("Code").fill("000000")
        click_and_wait(page, page.get_by_role("button", name="Se connecter"))
        assert page.locator(".error-summary").count() == 1, "a wrong TOTP code was accepted"
        page.get_by_label("Code").fill(fresh_totp_code(MODERATOR_SECRET))
        click_and_wait(page, page.get_by_role("button", name="Se connecter"))
        page.goto("/moderation/")
        assert page.locator("h1").inner_text() == "File de modération", page.url
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def open_page(browser, live_site):
    """`open_page()` gives a page in a new browser context (one person), `open_page(state)` one already signed in."""
    contexts = []

    def opener(storage_state=None):
        context = browser.new_context(locale="fr-FR", base_url=live_site, storage_state=storage_state)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def moderator_page(open_page, moderator_state):
    return open_page(moderator_state)


# Small steps a person takes ----------------------------------------------------------------------------------------


def click_and_wait(page, target):
    """Click `target` and wait for the page it leads to; that page's response."""
    with page.expect_navigation() as navigation:
        target.click()
    return navigation.value


def press_enter_on(page, target):
    """Focus `target` and press Enter, as a keyboard user does; the response of the page it leads to."""
    target.focus()
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


def submit_login(page, email: str, password: str = PASSWORD):
    page.goto("/compte/login/")
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_password").fill(password)
    return click_and_wait(page, page.get_by_role("button", name="Se connecter"))


def log_in(open_page, email: str):
    page = open_page()
    submit_login(page, email)
    assert page.url.endswith("/mon-espace/"), f"{email} could not log in: {page.url}"
    return page


def make_people_and_sheet(site_data, sheet_name: str, commune: str, people: dict[str, str]) -> str:
    """A published sheet of our own and contributor accounts (`people`: e-mail → role: "contributor" or "holder");
    the sheet's slug."""
    return run_in_site(
        site_data,
        "from tests.factories import make_holder, make_initiative, make_user\n"
        f"sheet = make_initiative({sheet_name!r}, {commune!r})\n"
        f"for email, role in {people!r}.items():\n"
        "    user = make_user(email)\n"
        "    if role == 'holder':\n"
        "        make_holder(sheet, user)\n"
        "result = sheet.slug",
    )


def text(locator) -> str:
    return " ".join(locator.inner_text().split())


def open_queue_item(page, kind_label: str, title: str):
    page.goto("/moderation/")
    entry = page.locator("ul.queue-list > li").filter(has_text=kind_label).filter(has_text=title)
    assert entry.count() == 1, f"the queue has {entry.count()} « {kind_label} » item(s) for « {title} »"
    click_and_wait(page, entry.get_by_role("link", name=title))


def decide(page, decision_label: str):
    page.get_by_label(decision_label).check()
    response = click_and_wait(page, page.get_by_role("button", name="Enregistrer la décision"))
    assert response.status == 200 and page.url.endswith("/moderation/"), f"the decision was not recorded: {page.url}"
    assert "Décision enregistrée" in page.locator("main").inner_text()


def search_finds(page, name: str) -> bool:
    page.goto(f"/recherche/?q={quote(name)}")
    return page.locator("ol.results li.result").get_by_role("link", name=name, exact=True).count() > 0


def wait_for_search(page, name: str, present: bool = True) -> None:
    deadline = time.monotonic() + SEARCH_WAIT
    while search_finds(page, name) != present:
        assert time.monotonic() < deadline, f"/recherche/?q={name} {'never' if present else 'still'} lists « {name} »"
        time.sleep(0.5)


def sheet_lead(page, slug: str) -> str:
    response = page.goto(f"/initiatives/{slug}/")
    assert response.status == 200, f"/initiatives/{slug}/ answered {response.status}"
    return text(page.locator(".sheet-header .lead"))


def png_image() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (46, 125, 50)).save(buffer, "PNG")
    return buffer.getvalue()


# 1. Sign-up → e-mail verification → proposal → moderator approval → published and searchable --------------------


def test_a_newcomer_signs_up_proposes_an_initiative_and_a_moderator_publishes_it(
    open_page, moderator_page, site_data, assert_no_axe_violations
):
    email, name = "nadia.benali@exemple.fr", "Ressourcerie des Prairies Saint-Martin"
    page = open_page()

    page.goto("/compte/signup/")
    assert_no_axe_violations(page)
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill("une autre phrase de passe")
    response = click_and_wait(page, page.get_by_role("button", name="Créer mon compte"))
    assert response.status < 500 and page.locator(".error-summary").count() == 1, "mismatched passwords accepted"
    assert page.get_by_label("E-mail").input_value() == email, "the e-mail typed was lost"
    assert_no_axe_violations(page)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Créer mon compte"))
    assert page.locator("h1").inner_text() == "Vérifiez votre adresse e-mail"

    # Not verified yet: no session, so proposing leads to the login page.
    page.goto("/contribuer/proposer/")
    assert urlsplit(page.url).path == "/compte/login/", page.url

    [mail] = mails_to(site_data, email)
    page.goto(link_in(text_of(mail), "/compte/confirm-email/"))
    assert_no_axe_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Confirmer mon adresse"))
    # allauth signs in at confirmation only while the sign-up's pending login is on; the visit above left it.
    if urlsplit(page.url).path == "/compte/login/":
        assert_no_axe_violations(page)
        submit_login(page, email)
    page.goto("/mon-espace/")
    assert page.locator("h1").inner_text() == "Mon espace", f"not signed in after verification: {page.url}"

    # Step 1, « L'initiative »: sent empty first, by keyboard, to see the errors.
    page.goto("/contribuer/proposer/")
    assert_no_axe_violations(page)
    response = press_enter_on(page, page.get_by_role("button", name="Enregistrer et continuer"))
    assert response.status == 400
    summary = page.locator(".error-summary")
    assert "Nom de l'initiative : Ce champ est obligatoire." in text(summary)
    assert_no_axe_violations(page)
    summary.get_by_role("link", name=re.compile("^Nom de l'initiative")).click()
    assert page.evaluate("document.activeElement.id") == "id_name", "the summary link does not lead to the field"
    page.keyboard.type(name)
    page.get_by_label("Résumé").fill("Une ressourcerie où les habitants déposent, réparent et achètent des objets.")
    page.get_by_label("Description").fill("Ouverte **trois jours** par semaine, avec un atelier de réparation.")
    click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))
    assert "Brouillon enregistré" in page.locator("main").inner_text()

    # Step 2, « Qui la porte ».
    assert page.locator("h2").first.inner_text() == "Qui la porte"
    assert_no_axe_violations(page)
    page.get_by_label("Organisation porteuse").fill("Association Prairies Solidaires")
    click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))

    # Step 3, « Où »: the commune is suggested while typing.
    assert page.locator("h2").first.inner_text() == "Où"
    assert_no_axe_violations(page)
    commune = page.get_by_label("Commune")
    commune.press_sequentially("Renne", delay=30)
    page.locator("datalist option[value='Rennes (35)']").wait_for(state="attached", timeout=10_000)
    commune.fill("Rennes (35)")
    page.get_by_label("Adresse (facultatif)").fill("12 rue de Saint-Malo")
    click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))

    # Step 4, « Thématiques, publics et stade »: a theme is required; the error summary leads to the first box,
    # which the keyboard ticks.
    assert page.locator("h2").first.inner_text() == "Thématiques, publics et stade"
    assert_no_axe_violations(page)
    response = click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))
    assert response.status == 400
    page.locator(".error-summary").get_by_role("link", name=re.compile("^Thématiques")).click()
    first_theme = page.get_by_role("group", name="Thématiques").get_by_role("checkbox").first
    assert first_theme.evaluate("box => box === document.activeElement"), "the summary link leads nowhere"
    page.keyboard.press("Space")
    assert first_theme.is_checked()
    page.get_by_role("group", name="Publics").get_by_role("checkbox").first.check()
    click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))

    # Step 5, « Contact »: the relay needs an address; forgetting it is refused next to the field.
    assert page.locator("h2").first.inner_text() == "Contact"
    page.get_by_label("Formulaire de mise en relation").check()
    response = click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))
    assert response.status == 400
    assert "Indiquez l'adresse qui recevra les messages" in text(page.locator(".error-summary"))
    assert page.get_by_label("Formulaire de mise en relation").is_checked(), "the choice made was lost"
    assert_no_axe_violations(page)
    page.get_by_label("Adresse e-mail de contact").fill("contact@prairies-solidaires.fr")
    click_and_wait(page, page.get_by_role("button", name="Enregistrer et continuer"))

    # Step 6, « Images »: one image, then on.
    assert page.locator("h2").first.inner_text() == "Images"
    assert_no_axe_violations(page)
    page.get_by_label("Image (JPEG, PNG ou WebP").set_input_files(
        {"name": "atelier.png", "mimeType": "image/png", "buffer": png_image()}
    )
    page.get_by_label("Description de l'image").fill("Des bénévoles trient des objets sur de grandes étagères")
    click_and_wait(page, page.get_by_role("button", name="Ajouter cette image"))
    assert "Image ajoutée" in page.locator("main").inner_text()
    assert page.get_by_role("img", name="Des bénévoles trient des objets sur de grandes étagères").count() == 1
    click_and_wait(page, page.get_by_role("button", name="Continuer sans (autre) image"))

    # Step 7, « Vérifier et envoyer ».
    assert page.locator("h2").first.inner_text() == "Vérifier et envoyer"
    assert_no_axe_violations(page)
    review = text(page.locator("table.diff"))
    assert name in review and "Association Prairies Solidaires" in review and "Rennes" in review
    assert page.locator(".error-summary").count() == 0, text(page.locator(".error-summary"))
    click_and_wait(page, page.get_by_role("button", name="Envoyer à la modération"))
    assert "Votre proposition est envoyée à la modération" in page.locator("main").inner_text()
    assert not search_finds(page, name), "a proposal is searchable before any moderator saw it"

    # The moderator (signed in with TOTP) publishes it from the queue.
    open_queue_item(moderator_page, "Propositions d'initiatives", name)
    assert_no_axe_violations(moderator_page)
    assert name in text(moderator_page.locator("table.diff"))
    decide(moderator_page, "Accepter et publier")
    assert moderator_page.locator("ul.queue-list").get_by_role("link", name=name).count() == 0

    [notice] = [mail for mail in mails_to(site_data, email) if "acceptée" in str(mail["Subject"])]
    assert name in text_of(notice)

    visitor = open_page()
    wait_for_search(visitor, name)
    click_and_wait(visitor, visitor.locator("ol.results").get_by_role("link", name=name, exact=True))
    assert visitor.locator("h1").inner_text() == name
    assert "Association Prairies Solidaires" in visitor.locator("main").inner_text()


# 2. Suggested edit → public sheet unchanged → approval → changed ---------------------------------------------------


def test_a_suggested_edit_changes_the_public_sheet_only_once_approved(open_page, moderator_page, site_data):
    name, contributor = "Vélo-école du quartier de Villejean", "bruno.suggestion@exemple.fr"
    slug = make_people_and_sheet(site_data, name, "35238", {contributor: "contributor"})
    before = "Un atelier mensuel où des bénévoles aident chacun à réparer ses objets du quotidien."
    after = "Des cours de vélo pour adultes, chaque mercredi, avec des vélos prêtés par l'association."

    page = log_in(open_page, contributor)
    page.goto(f"/initiatives/{slug}/")
    actions = page.locator("section.sheet-actions")
    assert actions.get_by_role("link", name="Modifier", exact=True).count() == 0
    click_and_wait(page, actions.get_by_role("link", name="Proposer une modification"))
    assert page.get_by_label("Résumé").input_value() == before
    page.get_by_label("Résumé").fill(after)
    page.get_by_label("Commentaire pour la modération").fill("Le résumé date de l'ancien projet.")
    click_and_wait(page, page.get_by_role("button", name="Envoyer ma proposition"))
    assert "la fiche publique reste inchangée" in page.locator("main").inner_text().lower()

    visitor = open_page()
    assert sheet_lead(visitor, slug) == before

    open_queue_item(moderator_page, "Modifications proposées", name)
    diff = moderator_page.locator("table.diff").filter(has_text="Résumé")
    row = diff.locator("tr").filter(has=moderator_page.locator("th", has_text="Résumé"))
    assert text(row.locator("td.old")) == before and text(row.locator("td.new")) == after
    assert "Le résumé date de l'ancien projet." in moderator_page.locator("main").inner_text()
    decide(moderator_page, "Accepter et publier")

    assert sheet_lead(visitor, slug) == after


# 3. Claim « Je porte ce projet » → approval → the holder edits directly ------------------------------------------


def test_a_claimed_sheet_is_edited_directly_by_its_holder_once_approved(open_page, moderator_page, site_data):
    name, claimant = "Jardin partagé des Gayeulles", "claire.porteuse@exemple.fr"
    slug = make_people_and_sheet(site_data, name, "35238", {claimant: "contributor"})
    new_summary = "Un jardin cultivé par trente familles du quartier, ouvert à tous le samedi matin."

    page = log_in(open_page, claimant)
    page.goto(f"/initiatives/{slug}/")
    click_and_wait(page, page.locator("section.sheet-actions").get_by_role("link", name="Je porte ce projet"))
    page.get_by_label("Votre lien avec l'initiative").fill(
        "Je coordonne le jardin depuis 2019 ; vérifiable sur le site de la mairie."
    )
    click_and_wait(page, page.get_by_role("button", name="Envoyer ma demande"))
    assert "Votre demande est envoyée" in page.locator("main").inner_text()
    assert page.locator("section.sheet-actions").get_by_role("link", name="Modifier", exact=True).count() == 0

    open_queue_item(moderator_page, "Demandes « Je porte ce projet »", name)
    assert "Je coordonne le jardin depuis 2019" in moderator_page.locator("blockquote").inner_text()
    decide(moderator_page, "Accepter : cette personne devient porteuse du projet")

    page.goto(f"/initiatives/{slug}/")
    click_and_wait(page, page.locator("section.sheet-actions").get_by_role("link", name="Modifier", exact=True))
    assert page.locator("h1").inner_text() == "Modifier la fiche"
    page.get_by_label("Résumé").fill(new_summary)
    click_and_wait(page, page.get_by_role("button", name="Publier la modification"))
    assert "Modification publiée" in page.locator("main").inner_text()

    assert sheet_lead(open_page(), slug) == new_summary  # published at once, for everyone
    moderator_page.goto("/moderation/modifications-recentes/")
    assert new_summary in moderator_page.locator("main").inner_text(), "the holder's edit is not in the feed"


# 4. Two people editing the same sheet → conflict page, nothing lost ---------------------------------------------


def test_two_people_editing_the_same_sheet_lose_nothing(open_page, site_data):
    name = "Café associatif de la Touche"
    first, second = "anne.premiere@exemple.fr", "yann.second@exemple.fr"
    slug = make_people_and_sheet(site_data, name, "35238", {first: "holder", second: "holder"})
    anne_summary = "Un café associatif où l'on vient lire, jouer et discuter, du mardi au samedi."
    yann_summary = "Café, épicerie en vrac et ateliers cuisine, tenus par une cinquantaine de bénévoles."
    yann_description = "Nous organisons aussi un repas partagé chaque premier vendredi du mois."

    anne, yann = log_in(open_page, first), log_in(open_page, second)
    for page in (anne, yann):
        page.goto(f"/initiatives/{slug}/modifier/")
        assert page.locator("h1").inner_text() == "Modifier la fiche"

    anne.get_by_label("Résumé").fill(anne_summary)
    click_and_wait(anne, anne.get_by_role("button", name="Publier la modification"))
    assert "Modification publiée" in anne.locator("main").inner_text()

    # Yann's form still carries the version he opened.
    yann.get_by_label("Résumé").fill(yann_summary)
    yann.get_by_label("Description").fill(yann_description)
    yann.get_by_label("Commentaire pour la modération").fill("Ajout du repas partagé.")
    response = click_and_wait(yann, yann.get_by_role("button", name="Publier la modification"))
    assert response.status == 409
    assert yann.locator("h1").inner_text() == "La fiche a changé pendant votre saisie"
    row = yann.locator("table.diff tr").filter(has=yann.locator("th", has_text="Résumé"))
    assert text(row.locator("td.old")) == anne_summary, "the conflict page does not show the saved version"
    assert text(row.locator("td.new")) == yann_summary, "the conflict page does not show what was typed"
    assert yann.get_by_label("Résumé").input_value() == yann_summary
    assert yann.get_by_label("Description").input_value() == yann_description
    assert yann.get_by_label("Commentaire pour la modération").input_value() == "Ajout du repas partagé."
    assert sheet_lead(open_page(), slug) == anne_summary, "the stale save overwrote the first one"

    # Having compared, Yann sends his version again: it is now based on the current one.
    click_and_wait(yann, yann.get_by_role("button", name="Publier la modification"))
    assert "Modification publiée" in yann.locator("main").inner_text()
    visitor = open_page()
    assert sheet_lead(visitor, slug) == yann_summary
    assert yann_description in visitor.locator("main").inner_text()
    visitor.goto(f"/initiatives/{slug}/historique/")
    history = visitor.locator("main").inner_text()
    assert anne_summary in history and yann_summary in history, "a version is missing from the history"


# 5. Three reports from three distinct accounts → hidden ---------------------------------------------------------


def test_three_reports_from_distinct_people_hide_the_sheet(open_page, moderator_page, site_data):
    name = "Épicerie solidaire du Colombier"
    reporters = ["rita.signal@exemple.fr", "samir.signal@exemple.fr", "tom.signal@exemple.fr"]
    slug = make_people_and_sheet(site_data, name, "35238", dict.fromkeys(reporters, "contributor"))
    visitor = open_page()
    wait_for_search(visitor, name)

    for count, email in enumerate(reporters, start=1):
        page = log_in(open_page, email)
        page.goto(f"/initiatives/{slug}/")
        click_and_wait(page, page.locator("section.sheet-actions").get_by_role("link", name="Signaler un problème"))
        page.get_by_label("L'initiative a cessé ou le lieu a fermé").check()
        page.get_by_label("Précisions").fill(f"Fermée depuis le printemps (signalement {count}).")
        click_and_wait(page, page.get_by_role("button", name="Envoyer le signalement"))
        assert "Merci pour votre signalement" in page.locator("main").inner_text()
        still_public = visitor.goto(f"/initiatives/{slug}/").status == 200
        assert still_public == (count < 3), f"after {count} report(s): public is {still_public}"

    assert visitor.goto(f"/initiatives/{slug}/").status == 404
    wait_for_search(visitor, name, present=False)

    open_queue_item(moderator_page, "Signalements", name)
    assert moderator_page.locator("table.diff tbody tr").count() == 3
    assert "Masquée en attente de vérification" in moderator_page.locator("main").inner_text()


# 6. Accessibility of the personal space, the login page and the moderation pages -----------------------------------


def test_personal_space_login_and_moderation_pages_have_no_axe_violations(
    open_page, moderator_page, site_data, assert_no_axe_violations
):
    name, holder = "Repair café des Longs Champs", "lea.espace@exemple.fr"
    slug = make_people_and_sheet(site_data, name, "35238", {holder: "holder"})
    ids = run_in_site(
        site_data,
        "from django.contrib.auth import get_user_model\n"
        "from carrefour.catalog.models import Initiative\n"
        "from carrefour.contributions import actions\n"
        "from tests.factories import make_claim, make_proposal, make_suggested_edit, make_user\n"
        f"user = get_user_model().objects.get(email={holder!r})\n"
        f"sheet = Initiative.objects.get(slug={slug!r})\n"
        "make_proposal(user, 'Recyclerie du Blosne')\n"
        "edit = make_suggested_edit(sheet, user)\n"
        "other = make_user('marc.revendique@exemple.fr')\n"
        "claim = make_claim(sheet, other)\n"
        "actions.report(sheet, other, 'wrong_information', 'Les horaires ont changé en septembre.')\n"
        "result = {'edit': edit.pk, 'claim': claim.pk}",
    )

    page = open_page()
    response = submit_login(page, holder, "pas le bon mot de passe")
    assert response.status == 200 and page.locator(".error-summary").count() == 1
    assert page.get_by_label("E-mail").input_value() == holder, "the e-mail typed was lost"
    assert_no_axe_violations(page)
    submit_login(page, holder)
    page.goto("/mon-espace/")
    assert name in page.locator("main").inner_text(), "« Mon espace » does not list the holder's initiative"
    assert_no_axe_violations(page)
    page.goto("/contribuer/mes-contributions/")
    assert "Recyclerie du Blosne" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    moderator_page.goto("/moderation/")
    assert_no_axe_violations(moderator_page)
    for path in (
        f"/moderation/contributions/{ids['edit']}/",
        f"/moderation/revendications/{ids['claim']}/",
        f"/moderation/signalements/{slug}/",
        "/moderation/modifications-recentes/",
    ):
        assert moderator_page.goto(path).status == 200, path
        assert_no_axe_violations(moderator_page)
    # A decision sent without choosing: the errors are shown next to the field and summarised at the top.
    moderator_page.goto(f"/moderation/contributions/{ids['edit']}/")
    response = click_and_wait(moderator_page, moderator_page.get_by_role("button", name="Enregistrer la décision"))
    assert response.status == 400 and moderator_page.locator(".error-summary").count() == 1
    assert_no_axe_violations(moderator_page)
