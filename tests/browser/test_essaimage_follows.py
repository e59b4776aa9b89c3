"""« Je veux essaimer » through its states with a reminder, follows and favourites, in a real browser against the live
demo site (issue 6, « Acceptance »). Accounts and sheets are created in the live site's database; mails are read
after the site's own `send_outbox` delivered them; axe-core checks every page on the way."""

import pytest

from tests.browser.live_tools import carrefour, find_site_data, link_in, mails_to, run_in_site, text_of

PASSWORD = "une phrase de passe assez longue 2026"
HOLDER = "porteuse.essaimage@exemple.fr"
REQUESTER = "demandeur.essaimage@exemple.fr"


@pytest.fixture(scope="module")
def site_data(live_site, tmp_path_factory):
    return find_site_data(tmp_path_factory)


@pytest.fixture(scope="module")
def sheet_slug(site_data) -> str:
    return run_in_site(
        site_data,
        "from tests.factories import make_holder, make_initiative, make_user\n"
        "sheet = make_initiative('Jardin nourricier des Capucins', '29019')\n"
        f"make_holder(sheet, make_user({HOLDER!r}))\n"
        f"make_user({REQUESTER!r})\n"
        "result = sheet.slug",
    )


@pytest.fixture
def open_page(browser, live_site):
    contexts = []

    def opener():
        context = browser.new_context(locale="fr-FR", base_url=live_site)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def click_and_wait(page, target):
    with page.expect_navigation() as navigation:
        target.click()
    return navigation.value


def log_in(open_page, email: str):
    page = open_page()
    page.goto("/compte/login/")
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Se connecter"))
    assert page.url.endswith("/mon-espace/"), f"{email} could not log in: {page.url}"
    return page


def status_of(page) -> str:
    return page.locator(".replication-status .status").inner_text().strip()


def test_an_essaimage_request_goes_through_its_states_with_a_reminder(
    open_page, site_data, sheet_slug, assert_no_axe_violations
):
    requester = log_in(open_page, REQUESTER)
    requester.goto(f"/initiatives/{sheet_slug}/")
    click_and_wait(requester, requester.get_by_role("link", name="Je veux essaimer"))
    assert_no_axe_violations(requester)

    # A mistake first: an ambiguous commune; the form comes back accessible and keeps what was typed.
    requester.get_by_label("Votre nom").fill("Dominique Le Goff")
    requester.get_by_label("Où voulez-vous essaimer ?").fill("Saint-Denis")
    requester.get_by_label("Des conseils").check()
    requester.get_by_label("Une visite").check()
    requester.get_by_label("Votre message").fill(
        "Nous voulons ouvrir un jardin semblable et venir vous voir au printemps."
    )
    click_and_wait(requester, requester.get_by_role("button", name="Envoyer ma demande d'essaimage"))
    assert requester.locator(".error-summary").count() == 1
    assert "Saint-Denis (93)" in requester.locator(".error-summary").inner_text()
    assert "venir vous voir" in requester.get_by_label("Votre message").input_value()
    assert_no_axe_violations(requester)

    requester.get_by_label("Où voulez-vous essaimer ?").fill("Saint-Denis (93)")
    click_and_wait(requester, requester.get_by_role("button", name="Envoyer ma demande d'essaimage"))
    assert status_of(requester) == "Envoyée"
    assert_no_axe_violations(requester)
    request_path = requester.url.removeprefix(requester.url.split("/essaimage/")[0])

    [to_holder] = [mail for mail in mails_to(site_data, HOLDER) if "Demande d'essaimage" in mail["Subject"]]
    assert "Saint-Denis" in text_of(to_holder) and REQUESTER not in text_of(to_holder)

    # Eight days without an answer: the daily command reminds the holder, once.
    run_in_site(
        site_data,
        "from datetime import timedelta\n"
        "from carrefour.contacts.models import ReplicationRequest\n"
        "from django.utils import timezone\n"
        "ReplicationRequest.objects.update(created_at=timezone.now() - timedelta(days=8))\n"
        "result = True",
    )
    carrefour(site_data, "remind_replications")
    carrefour(site_data, "remind_replications")
    reminders = [mail for mail in mails_to(site_data, HOLDER) if "Relance" in mail["Subject"]]
    assert len(reminders) == 1

    holder = log_in(open_page, HOLDER)
    holder.goto(link_in(text_of(reminders[0]), "/essaimage/"))
    assert holder.url.endswith(request_path)
    assert_no_axe_violations(holder)
    click_and_wait(holder, holder.get_by_role("button", name="Marquer comme lue"))
    assert status_of(holder) == "Lue"
    holder.get_by_label("Votre message").fill("Avec plaisir : venez un samedi matin, nous vous montrerons tout.")
    click_and_wait(holder, holder.get_by_role("button", name="Envoyer le message"))
    assert status_of(holder) == "En discussion"
    click_and_wait(holder, holder.get_by_role("button", name="Accompagner cet essaimage"))
    assert status_of(holder) == "Accompagnée"
    assert_no_axe_violations(holder)

    subjects = [mail["Subject"] for mail in mails_to(site_data, REQUESTER)]
    assert any("Nouveau message" in subject for subject in subjects)
    assert any("accompagnée" in subject for subject in subjects)
    requester.goto(request_path)
    assert "venez un samedi matin" in requester.locator(".thread").inner_text()
    assert "Votre initiative essaimée" in requester.locator("main").inner_text()
    requester.goto("/mon-espace/")
    assert requester.locator("section[aria-labelledby='titre-essaimage']").get_by_text("Accompagnée").count() == 1


def test_follow_and_favourites(open_page, site_data, sheet_slug, assert_no_axe_violations):
    page = log_in(open_page, REQUESTER)
    page.goto(f"/initiatives/{sheet_slug}/")
    click_and_wait(page, page.locator("section.follow-actions").get_by_role("button", name="Suivre"))
    assert page.locator("section.follow-actions").get_by_role("button", name="Ne plus suivre").count() == 1
    assert_no_axe_violations(page)

    click_and_wait(page, page.get_by_role("link", name="Ajouter à une liste"))
    assert_no_axe_violations(page)
    page.get_by_label("Nom de la nouvelle liste").fill("Jardins à visiter")
    click_and_wait(page, page.get_by_role("button", name="Ajouter"))
    page.goto("/listes/")
    click_and_wait(page, page.get_by_role("link", name="Jardins à visiter"))
    page.get_by_label("Partager cette liste par un lien (lecture seule)").check()
    click_and_wait(page, page.get_by_role("button", name="Enregistrer"))
    assert_no_axe_violations(page)
    share_path = page.locator("#lien-partage").get_attribute("href").split("://", 1)[1].split("/", 1)[1]

    visitor = open_page()
    visitor.goto(f"/{share_path}")
    assert "Jardin nourricier des Capucins" in visitor.locator("main").inner_text()
    assert_no_axe_violations(visitor)
    assert visitor.goto(f"/{share_path.rstrip('/')}x/").status == 404

    # The sheet changes: the follower gets one notification, in « Mon espace ».
    run_in_site(
        site_data,
        "from carrefour.catalog import actions\n"
        "from carrefour.catalog.models import Initiative\n"
        "from tests.factories import make_user\n"
        f"sheet = Initiative.objects.get(slug={sheet_slug!r})\n"
        "sheet.summary = 'Un jardin partagé qui nourrit le quartier, ouvert tous les samedis.'\n"
        "actions.save_initiative(sheet, make_user(), ['summary'])\n"
        "result = True",
    )
    carrefour(site_data, "notify_followers", "--settle", "0")
    carrefour(site_data, "notify_followers", "--settle", "0")
    page.goto("/mon-espace/")
    follows = page.locator("section[aria-labelledby='titre-suivis']")
    assert "1 notification non lue" in follows.inner_text()
    assert_no_axe_violations(page)
    page.goto("/suivis/")
    assert page.locator("ul.notifications li").count() == 1
    assert_no_axe_violations(page)
    page.goto("/acteurs/")
    assert page.locator("ol.results li.result").count() > 0
    assert_no_axe_violations(page)
