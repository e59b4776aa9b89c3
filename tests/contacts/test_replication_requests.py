"""« Je veux essaimer »: the request, its states and named moves, reminders and « sans réponse », mails through the
outbox, access, the link to the new initiative and « Ses essaimages »."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carrefour.contacts import actions, reminders
from carrefour.contacts.models import ReplicationRequest
from carrefour.contacts.models import ReplicationStatus as S
from carrefour.core.models import AuditEvent, EventType
from carrefour.messaging.models import OutgoingMail
from tests.factories import (
    make_holder,
    make_initiative,
    make_moderator,
    make_replication_request,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet():
    return make_initiative("Tiers-lieu nourricier de Morlaix", "29151")


@pytest.fixture
def holder(sheet):
    return make_holder(sheet, make_user("porteuse.morlaix@exemple.fr")).user


@pytest.fixture
def requester():
    return make_user("dominique.legoff@exemple.fr")


def mails_to(address: str) -> list[OutgoingMail]:
    return [mail for mail in OutgoingMail.objects.order_by("pk") if address in mail.to]


def form_data(**overrides) -> dict:
    data = {
        "name": "Dominique Le Goff",
        "organisation": "Association Terre en partage",
        "profile_type": "project_holder",
        "territory_kind": "commune",
        "territory": "Quimperlé",
        "needs": ["advice", "visit"],
        "message": "Nous voulons ouvrir un lieu semblable et aimerions vous rendre visite au printemps.",
    }
    return {**data, **overrides}


def test_a_contributor_sends_a_request_that_reaches_the_holders_through_the_outbox(client, sheet, holder, requester):
    client.force_login(requester)
    response = client.post(reverse("contacts:replicate", args=[sheet.slug]), form_data())
    replication = ReplicationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == replication.get_absolute_url()
    assert replication.status == S.SENT and replication.territory_commune_id == "29233"
    assert replication.needs == ["advice", "visit"]
    [to_holder] = mails_to("porteuse.morlaix@exemple.fr")
    assert "Quimperlé" in to_holder.body_text and "visite au printemps" in to_holder.body_text
    assert "dominique.legoff@exemple.fr" not in to_holder.body_text + str(to_holder.reply_to)
    assert len(mails_to("dominique.legoff@exemple.fr")) == 1  # the requester's copy
    assert AuditEvent.objects.filter(event_type=EventType.REPLICATION_REQUESTED, actor=requester).count() == 1


def test_without_holders_the_moderators_receive_the_request(sheet, requester):
    make_moderator("moderatrice@exemple.fr")
    make_replication_request(sheet, requester)
    assert len(mails_to("moderatrice@exemple.fr")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"territory": "Saint-Denis"}, "territory", "Plusieurs communes"),
        ({"territory": "Kemperle"}, "territory", "Nous ne trouvons"),
        ({"territory": "29300"}, "territory", "Quimperlé"),
        ({"territory_kind": "epci", "territory": "zzzz introuvable"}, "territory", "Nous ne trouvons aucune"),
        ({"needs": []}, "needs", "Cochez au moins un besoin"),
        ({"needs": ["argent"]}, "needs", "pas dans la liste"),
        ({"message": "Trop court"}, "message", "au moins 20 caractères"),
        ({"name": "Dominique\r\nBcc: x@exemple.fr"}, "name", "une seule ligne"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_typed_is_lost(
    client, sheet, requester, changes, field, message
):
    client.force_login(requester)
    data = form_data(**changes)
    response = client.post(reverse("contacts:replicate", args=[sheet.slug]), data)
    html = response.content.decode()
    if changes == {"territory": "29300"}:  # a postal code of a single commune is understood
        assert response.status_code == 302
        return
    assert response.status_code == 400 and message in html
    assert "error-summary" in html and f'href="#id_{field}' in html
    assert "visite au printemps" in html or field == "message"
    assert not ReplicationRequest.objects.exists()


def test_a_commune_name_with_its_departement_and_an_epci_by_name_are_understood(client, sheet, requester):
    client.force_login(requester)
    client.post(reverse("contacts:replicate", args=[sheet.slug]), form_data(territory="Saint-Denis (93)"))
    assert ReplicationRequest.objects.get().territory_commune_id == "93066"
    ReplicationRequest.objects.all().delete()
    response = client.post(
        reverse("contacts:replicate", args=[sheet.slug]),
        form_data(territory_kind="epci", territory="Quimperlé Communauté"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ReplicationRequest.objects.get().territory_epci.name == "Communauté d'agglomération Quimperlé Communauté"


def test_the_request_page_needs_an_account_and_a_verified_address(client, sheet):
    url = reverse("contacts:replicate", args=[sheet.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(make_user(verified=False))
    assert client.post(url, form_data()).status_code == 403


def test_the_holders_move_the_request_through_its_states_each_move_audited(client, sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    client.force_login(holder)
    url = reverse("contacts:transition", args=[replication.pk])
    for move, expected in [("read", S.READ), ("discuss", S.DISCUSSING), ("support", S.SUPPORTED)]:
        assert client.post(url, {"transition": move}).status_code == 302
        replication.refresh_from_db()
        assert replication.status == expected
    moves = AuditEvent.objects.filter(event_type=EventType.REPLICATION_STATUS_CHANGED, object_id=str(replication.pk))
    assert [event.data["new"] for event in moves.order_by("pk")] == ["read", "discussing", "supported"]
    subjects = [mail.subject for mail in mails_to("dominique.legoff@exemple.fr")]
    assert any("en discussion" in subject for subject in subjects) and any("accompagnée" in s for s in subjects)
    assert replication.closed_at is not None


@pytest.mark.parametrize(
    ("start", "move"),
    [(S.SUPPORTED, "discuss"), (S.DECLINED, "support"), (S.SUPPORTED, "decline"), (S.READ, "read"), (S.SENT, "fly")],
)
def test_illegal_moves_are_refused_and_change_nothing(client, sheet, holder, requester, start, move):
    replication = make_replication_request(sheet, requester, status=start)
    with pytest.raises(actions.ReplicationError):
        actions.move(replication, move, holder)
    client.force_login(holder)
    response = client.post(reverse("contacts:transition", args=[replication.pk]), {"transition": move}, follow=True)
    replication.refresh_from_db()
    assert replication.status == start
    html = response.content.decode()
    assert "Impossible depuis l" in html or "Cette action n&#x27;existe pas" in html


def test_another_person_can_neither_read_nor_move_nor_answer_a_request(client, sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    client.force_login(make_user("curieuse@exemple.fr"))
    assert client.get(replication.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("contacts:transition", args=[replication.pk]), {"transition": "support"}).status_code == 403
    )
    assert client.post(reverse("contacts:message", args=[replication.pk]), {"body": "Coucou"}).status_code == 404
    assert client.post(reverse("contacts:link", args=[replication.pk]), {"initiative": sheet.pk}).status_code == 404
    replication.refresh_from_db()
    assert replication.status == S.SENT and not replication.messages.exists()
    # The requester reads the request but does not move it.
    client.force_login(requester)
    assert client.get(replication.get_absolute_url()).status_code == 200
    assert (
        client.post(reverse("contacts:transition", args=[replication.pk]), {"transition": "support"}).status_code == 403
    )


def test_the_thread_tells_the_other_side_and_a_holders_answer_starts_the_discussion(client, sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    client.force_login(holder)
    client.post(reverse("contacts:message", args=[replication.pk]), {"body": "Avec plaisir, venez un samedi."})
    replication.refresh_from_db()
    assert replication.status == S.DISCUSSING
    assert any("Nouveau message" in mail.subject for mail in mails_to("dominique.legoff@exemple.fr"))
    client.force_login(requester)
    page = client.get(replication.get_absolute_url()).content.decode()
    assert "venez un samedi" in page and "porteuse.morlaix@exemple.fr" not in page
    client.post(reverse("contacts:message", args=[replication.pk]), {"body": "Merci, nous viendrons le 12."})
    assert sum("Nouveau message" in mail.subject for mail in mails_to("porteuse.morlaix@exemple.fr")) == 1
    response = client.post(reverse("contacts:message", args=[replication.pk]), {"body": ""})
    assert response.status_code == 400 and "Écrivez votre message" in response.content.decode()


def test_reminders_at_7_and_21_days_then_unanswered_at_30_each_once(sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    sent = replication.created_at

    def run(days: float):
        return reminders.remind_replications(now=sent + timedelta(days=days))

    assert run(6.9) == {"reminders": 0, "unanswered": 0}
    assert run(7) == {"reminders": 1, "unanswered": 0}
    assert run(8) == {"reminders": 0, "unanswered": 0}  # a second run the same week sends nothing
    assert run(21.5) == {"reminders": 1, "unanswered": 0}
    assert run(22) == {"reminders": 0, "unanswered": 0}
    reminders_mailed = [mail for mail in mails_to("porteuse.morlaix@exemple.fr") if "Relance" in mail.subject]
    assert len(reminders_mailed) == 2
    assert run(30) == {"reminders": 0, "unanswered": 1}
    replication.refresh_from_db()
    assert replication.status == S.UNANSWERED and replication.reminders_sent == 2
    assert any("sans réponse" in mail.subject for mail in mails_to("dominique.legoff@exemple.fr"))
    assert run(31) == {"reminders": 0, "unanswered": 0}
    # A late answer is still possible.
    actions.move(replication, "discuss", holder)
    assert ReplicationRequest.objects.get().status == S.DISCUSSING


def test_a_late_first_run_catches_up_with_one_reminder_and_answered_requests_are_left_alone(sheet, holder, requester):
    late = make_replication_request(sheet, requester)
    answered = make_replication_request(make_initiative("Épicerie du Faou", "29053"), make_user(), status=S.DISCUSSING)
    assert reminders.remind_replications(now=late.created_at + timedelta(days=25)) == {"reminders": 1, "unanswered": 0}
    late.refresh_from_db()
    answered.refresh_from_db()
    assert late.reminders_sent == 2 and answered.reminders_sent == 0 and answered.status == S.DISCUSSING


def test_once_supported_the_requester_links_a_new_initiative_and_the_model_shows_it_on_a_map(
    client, sheet, holder, requester
):
    replication = make_replication_request(sheet, requester, status=S.SUPPORTED)
    copy = make_initiative("Tiers-lieu nourricier de Quimperlé", "29233")
    make_holder(copy, requester)
    client.force_login(requester)
    page = client.get(replication.get_absolute_url()).content.decode()
    assert "Tiers-lieu nourricier de Quimperlé" in page  # offered in the link form
    response = client.post(reverse("contacts:link", args=[replication.pk]), {"initiative": copy.pk})
    assert response.status_code == 302
    copy.refresh_from_db()
    replication.refresh_from_db()
    assert copy.replicated_from_id == sheet.pk and replication.replica_id == copy.pk and copy.version == 2
    model_page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Ses essaimages" in model_page and 'id="replications-map"' in model_page
    assert "replication-points" in model_page and "contacts/replications-map.js" in model_page
    copy_page = client.get(copy.get_absolute_url()).content.decode()
    assert "Essaimée depuis" in copy_page and sheet.get_absolute_url() in copy_page


def test_a_sheet_cannot_be_linked_before_the_request_is_supported_nor_by_someone_else(client, sheet, holder, requester):
    replication = make_replication_request(sheet, requester, status=S.DISCUSSING)
    copy = make_initiative("Tiers-lieu nourricier de Quimperlé", "29233")
    make_holder(copy, requester)
    with pytest.raises(actions.ReplicationError):
        actions.link_replica(replication, copy, requester)
    client.force_login(requester)
    response = client.post(reverse("contacts:link", args=[replication.pk]), {"initiative": copy.pk})
    assert response.status_code == 400
    copy.refresh_from_db()
    assert copy.replicated_from_id is None


def test_a_declined_request_closes_its_thread(sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    actions.move(replication, "decline", holder)
    with pytest.raises(actions.ReplicationError):
        actions.post_message(replication, requester, "Et pourtant…", from_requester=True)


def test_both_sides_see_the_request_in_their_space(client, sheet, holder, requester):
    replication = make_replication_request(sheet, requester)
    for person in (holder, requester):
        client.force_login(person)
        page = client.get(reverse("accounts:space")).content.decode()
        assert "Demandes d&#x27;essaimage" in page or "Demandes d'essaimage" in page
        assert replication.get_absolute_url() in page
    client.force_login(make_user())
    assert replication.get_absolute_url() not in client.get(reverse("accounts:space")).content.decode()


def test_the_gap_pages_hook_now_points_at_the_request_form(sheet):
    from carrefour.territories.gaps import replication_url

    assert replication_url(sheet) == reverse("contacts:replicate", args=[sheet.slug])


def test_a_duplicate_open_request_is_refused(sheet, requester):
    make_replication_request(sheet, requester)
    with pytest.raises(actions.ReplicationError):
        make_replication_request(sheet, requester)
    assert timezone.now()  # the first one stays the only one
    assert ReplicationRequest.objects.count() == 1
