"""Revision history: who, when, what changed; revert to a version; revert everything one person did."""

import pytest
from django.test import Client
from django.urls import reverse

from carrefour.catalog.models import Initiative
from carrefour.contributions import actions
from carrefour.contributions.models import Revision
from carrefour.contributions.snapshot import snapshot
from carrefour.core.models import AuditEvent
from tests.factories import make_initiative, make_proposal, make_user

pytestmark = pytest.mark.django_db


def edit(initiative, actor, **changes):
    initiative.refresh_from_db()
    return actions.direct_edit(initiative, {**snapshot(initiative), **changes}, actor, initiative.version)


def test_every_applied_edit_is_a_revision_shown_with_its_diff():
    initiative = make_initiative()
    author = make_user("autrice@exemple.fr")
    for number in range(3):
        edit(initiative, author, summary=f"Résumé numéro {number}")
    revisions = Revision.objects.filter(initiative=initiative, status=Revision.Status.APPLIED)
    assert revisions.count() == 3
    html = Client().get(reverse("contributions:history", kwargs={"slug": initiative.slug})).content.decode()
    assert "Résumé numéro 0" in html and "Résumé numéro 2" in html
    assert "Version 4" in html


def test_public_history_masks_the_private_contact_address():
    initiative = make_initiative()
    edit(initiative, make_user(), contact_email="secret.porteur@exemple.fr")
    html = Client().get(reverse("contributions:history", kwargs={"slug": initiative.slug})).content.decode()
    assert "secret.porteur@exemple.fr" not in html
    assert "information privée, masquée" in html


def test_history_of_a_draft_is_not_public():
    revision = make_proposal()
    url = reverse("contributions:history", kwargs={"slug": revision.initiative.slug})
    assert Client().get(url).status_code == 404


def test_revert_restores_the_values_as_a_new_revision(moderator_client, moderator):
    initiative = make_initiative()
    original = initiative.summary
    author = make_user()
    first = edit(initiative, author, summary="Résumé modifié une fois.")
    edit(initiative, author, summary="Résumé modifié deux fois.", description="Texte remplacé.")
    # Restore the state right after the first edit.
    response = moderator_client.post(reverse("contributions:revert", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Résumé modifié une fois." and initiative.description != "Texte remplacé."
    revert = Revision.objects.get(kind=Revision.Kind.REVERT)
    assert revert.reverts == first and revert.author == moderator and revert.applied_version == initiative.version
    assert AuditEvent.objects.filter(event_type="revision_reverted", object_id=str(revert.pk)).count() == 1
    assert initiative.summary != original


def test_a_contributor_cannot_revert(alice):
    initiative = make_initiative()
    revision = edit(initiative, make_user(), summary="Résumé modifié.")
    assert alice.post(reverse("contributions:revert", kwargs={"pk": revision.pk})).status_code == 403


def test_revert_user_brings_each_sheet_back_before_their_first_edit(moderator_client):
    vandal, honest = make_user("vandale@exemple.fr"), make_user("honnete@exemple.fr")
    one, two = make_initiative("Repair Café de Quimper"), make_initiative("Jardin partagé de Brest", "29019")
    before_one, before_two = snapshot(one), snapshot(two)
    edit(one, vandal, summary="Spam spam spam.")
    edit(one, honest, description="Une vraie amélioration.")
    edit(one, vandal, name="Arnaque")
    edit(two, vandal, summary="Encore du spam.")
    created = make_proposal(author=vandal, name="Fausse initiative")
    actions.submit_proposal(created, vandal)
    from carrefour.moderation.actions import approve_revision

    approve_revision(created, make_user())
    pending = actions.suggest_edit(two, {**snapshot(two), "summary": "Pas encore vu."}, vandal, 2)
    page = moderator_client.get(reverse("moderation:user_edits", kwargs={"pk": vandal.pk}))
    assert page.status_code == 200 and "Spam spam spam." in page.content.decode()
    url = reverse("moderation:revert_user", kwargs={"pk": vandal.pk})
    assert moderator_client.post(url).status_code == 302  # not confirmed: nothing happens
    one.refresh_from_db()
    assert one.name == "Arnaque"
    assert moderator_client.post(url, {"confirm": "yes"}).status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert snapshot(one)["summary"] == before_one["summary"] and one.name == before_one["name"]
    assert snapshot(two) == before_two
    assert Initiative.objects.get(pk=created.initiative_id).status == Initiative.Status.ARCHIVED
    pending.refresh_from_db()
    assert pending.status == Revision.Status.REJECTED
    assert AuditEvent.objects.filter(event_type="user_edits_reverted", object_id=str(vandal.pk)).count() == 1
