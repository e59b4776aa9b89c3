"""« Proposer une initiative »: steps saving a draft, French validation, duplicates, submission and approval."""

import pytest
from django.core import mail
from django.urls import reverse

from carrefour import search
from carrefour.catalog.models import Initiative, Vocabulary
from carrefour.contributions.models import Revision
from carrefour.core.models import AuditEvent
from carrefour.search.types import SearchRequest
from tests.factories import make_initiative, make_proposal, term

pytestmark = pytest.mark.django_db

STEP_DATA = {
    "quoi": {
        "name": "Recyclerie du Pays Bigouden",
        "summary": "Une recyclerie qui collecte, répare et revend à petit prix les objets dont on ne veut plus.",
        "description": "## Nos activités\n\n- collecte\n- ateliers de réparation",
    },
    "porteur": {"carrier": "Association Bigouden Réemploi"},
    "lieu": {"commune": "Pont-l'Abbé", "address": "12 rue du Port", "postal_code": "29120"},
    "contact": {"contact_channel": "relay", "contact_email": "contact@bigouden-reemploi.fr", "links": ""},
}


def step_url(revision, step):
    return reverse("contributions:propose_step", kwargs={"pk": revision.pk, "step": step})


def fill_proposal(client) -> Revision:
    response = client.post(reverse("contributions:propose"), STEP_DATA["quoi"])
    assert response.status_code == 302
    revision = Revision.objects.get(kind=Revision.Kind.PROPOSAL, initiative__name="Recyclerie du Pays Bigouden")
    assert response.url == step_url(revision, "porteur")
    for step in ("porteur", "lieu"):
        assert client.post(step_url(revision, step), STEP_DATA[step]).status_code == 302
    classement = {"themes": [term(Vocabulary.THEME).code], "publics": [term(Vocabulary.PUBLIC).code]}
    assert client.post(step_url(revision, "classement"), classement).status_code == 302
    assert client.post(step_url(revision, "contact"), STEP_DATA["contact"]).status_code == 302
    revision.refresh_from_db()
    return revision


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("contributions:propose"))
    assert response.status_code == 302
    assert "/compte/" in response.url and "next=" in response.url


def test_each_step_saves_the_draft_and_the_author_can_resume_it(alice, contributor):
    revision = fill_proposal(alice)
    initiative = revision.initiative
    assert initiative.status == Initiative.Status.DRAFT
    assert revision.author == contributor and revision.status == Revision.Status.PENDING
    assert revision.data["carrier"]["name"] == "Association Bigouden Réemploi"
    location = initiative.locations.get()
    assert location.commune_id == "29220" and location.address == "12 rue du Port"
    assert initiative.stakeholders.get().organisation.name == "Association Bigouden Réemploi"
    assert initiative.contact_email == "contact@bigouden-reemploi.fr"
    mine = alice.get(reverse("contributions:mine"))
    assert "Recyclerie du Pays Bigouden" in mine.content.decode()
    review = alice.get(step_url(revision, "verifier"))
    assert review.status_code == 200
    assert "Étapes à compléter" not in review.content.decode()
    # The public does not see a draft.
    assert alice.get(initiative.get_absolute_url()).status_code == 404


def test_save_and_quit_keeps_the_draft(alice):
    alice.post(reverse("contributions:propose"), STEP_DATA["quoi"])
    revision = Revision.objects.get(kind=Revision.Kind.PROPOSAL)
    response = alice.post(step_url(revision, "porteur"), {**STEP_DATA["porteur"], "save_and_quit": "1"})
    assert response.url == reverse("contributions:mine")
    revision.refresh_from_db()
    assert revision.data["carrier"]["name"] == "Association Bigouden Réemploi"


def test_invalid_step_shows_french_messages_next_to_fields_and_a_summary_keeping_the_input(alice):
    response = alice.post(
        reverse("contributions:propose"), {"name": "", "summary": "x" * 300, "description": "Mon texte"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Ce champ est obligatoire." in html
    assert "Assurez-vous que cette valeur comporte au plus 280 caractères" in html
    assert 'id="id_name_error"' in html and 'aria-invalid="true"' in html
    assert "Mon texte" in html  # what was typed is kept
    assert not Revision.objects.exists()


def test_commune_is_found_by_name_and_an_ambiguous_or_unknown_name_gets_a_french_message(alice):
    alice.post(reverse("contributions:propose"), STEP_DATA["quoi"])
    revision = Revision.objects.get(kind=Revision.Kind.PROPOSAL)
    ambiguous = alice.post(step_url(revision, "lieu"), {"commune": "Saint-Denis"})
    assert ambiguous.status_code == 400
    text = ambiguous.content.decode()
    assert "Plusieurs communes s&#x27;appellent « Saint-Denis »" in text and "Saint-Denis (93)" in text
    assert 'value="Saint-Denis"' in text
    unknown = alice.post(step_url(revision, "lieu"), {"commune": "Xyzzyville"})
    assert unknown.status_code == 400
    assert "Aucune commune française ne correspond à « Xyzzyville »" in unknown.content.decode()
    assert alice.post(step_url(revision, "lieu"), {"commune": "Saint-Denis (93)"}).status_code == 302
    revision.refresh_from_db()
    assert revision.data["locations"][0]["commune"] == "93066"
    assert alice.post(step_url(revision, "lieu"), {"commune": "29232"}).status_code == 302
    revision.refresh_from_db()
    assert revision.data["locations"][0]["commune"] == "29232"


def test_someone_elses_draft_does_not_exist_for_them(client, other_contributor):
    revision = make_proposal()
    client.force_login(other_contributor)
    assert client.get(step_url(revision, "quoi")).status_code == 404
    assert client.post(step_url(revision, "quoi"), STEP_DATA["quoi"]).status_code == 404
    assert client.post(reverse("contributions:submit", kwargs={"pk": revision.pk})).status_code == 404


def test_review_shows_likely_duplicates_from_the_search_engine(alice, contributor):
    existing = make_initiative("Repair Café de Quimper", commune_code="29232")
    search.apply_outbox()
    revision = make_proposal(author=contributor, name="Repair Café Quimper")
    html = alice.get(step_url(revision, "verifier")).content.decode()
    assert "Cette initiative existe peut-être déjà" in html
    assert existing.get_absolute_url() in html


def test_an_unrelated_name_shows_no_duplicate(alice, contributor):
    make_initiative("Repair Café de Quimper", commune_code="29232")
    search.apply_outbox()
    revision = make_proposal(author=contributor, name="Ferme pédagogique des Trois Chênes")
    html = alice.get(step_url(revision, "verifier")).content.decode()
    assert "Cette initiative existe peut-être déjà" not in html


def test_incomplete_proposal_cannot_be_submitted(alice):
    alice.post(reverse("contributions:propose"), STEP_DATA["quoi"])
    revision = Revision.objects.get(kind=Revision.Kind.PROPOSAL)
    review = alice.get(step_url(revision, "verifier")).content.decode()
    assert "Étapes à compléter avant l'envoi" in review
    alice.post(reverse("contributions:submit", kwargs={"pk": revision.pk}))
    revision.initiative.refresh_from_db()
    assert revision.initiative.status == Initiative.Status.DRAFT


def test_submission_goes_to_the_queue_and_approval_publishes_a_searchable_sheet(alice, moderator_client, contributor):
    revision = fill_proposal(alice)
    response = alice.post(reverse("contributions:submit", kwargs={"pk": revision.pk}))
    assert response.url == reverse("contributions:mine")
    initiative = Initiative.objects.get(pk=revision.initiative_id)
    assert initiative.status == Initiative.Status.SUBMITTED
    queue = moderator_client.get(reverse("moderation:queue"))
    assert "Recyclerie du Pays Bigouden" in queue.content.decode()
    detail = moderator_client.get(reverse("moderation:revision", kwargs={"pk": revision.pk}))
    assert "Association Bigouden Réemploi" in detail.content.decode()
    decided = moderator_client.post(
        reverse("moderation:decide_revision", kwargs={"pk": revision.pk}), {"decision": "approve"}
    )
    assert decided.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    search.apply_outbox()
    hits = search.query(SearchRequest(text="recyclerie bigouden")).hits
    assert initiative.pk in [hit.id for hit in hits]
    assert mail.outbox[-1].to == [contributor.email]
    assert "acceptée" in mail.outbox[-1].subject
    events = AuditEvent.objects.filter(object_type="contributions.revision", object_id=str(revision.pk))
    assert {"proposal_submitted", "revision_approved"} <= set(events.values_list("event_type", flat=True))


def test_request_changes_sends_the_proposal_back_and_the_author_resubmits(alice, moderator_client, contributor):
    revision = fill_proposal(alice)
    alice.post(reverse("contributions:submit", kwargs={"pk": revision.pk}))
    moderator_client.post(
        reverse("moderation:decide_revision", kwargs={"pk": revision.pk}),
        {"decision": "request_changes", "message": "Précisez les horaires d'ouverture."},
    )
    revision.refresh_from_db()
    assert revision.status == Revision.Status.CHANGES_REQUESTED
    assert revision.initiative.status == Initiative.Status.DRAFT
    assert "Précisez les horaires" in mail.outbox[-1].body
    page = alice.get(step_url(revision, "quoi")).content.decode()
    assert "Précisez les horaires d&#x27;ouverture." in page
    new_text = {**STEP_DATA["quoi"], "description": "Ouverte le mardi et le samedi, de 10 h à 18 h."}
    assert alice.post(step_url(revision, "quoi"), new_text).status_code == 302
    alice.post(reverse("contributions:submit", kwargs={"pk": revision.pk}))
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert revision.initiative.status == Initiative.Status.SUBMITTED
    assert "Ouverte le mardi" in revision.data["description"]
    assert "Recyclerie du Pays Bigouden" in moderator_client.get(reverse("moderation:queue")).content.decode()


def test_my_space_shows_my_contributions_with_their_status(alice, contributor):
    draft = make_proposal(author=contributor, name="Tiers-lieu de la Gare")
    html = alice.get(reverse("accounts:space")).content.decode()
    assert "Mes contributions" in html and "Tiers-lieu de la Gare" in html
    assert step_url(draft, "verifier") in html
