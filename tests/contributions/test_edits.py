"""Suggested edits, direct edits by holders, conflicts (no lost edits), claims and « toujours à jour »."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from carrefour.accounts.models import InitiativeHolder
from carrefour.catalog.models import Initiative
from carrefour.contributions.models import Claim, Revision
from carrefour.core.models import AuditEvent
from tests.contributions.forms_data import edit_post
from tests.factories import make_holder, make_initiative, make_user

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Un atelier de réparation solidaire, ouvert à toutes et à tous chaque samedi."


def test_suggested_edit_leaves_the_public_sheet_unchanged_until_approval(alice, moderator_client, contributor):
    initiative = make_initiative()
    old_summary = initiative.summary
    url = reverse("contributions:suggest_edit", kwargs={"slug": initiative.slug})
    form = alice.get(url)
    assert form.status_code == 200 and old_summary in form.content.decode()
    response = alice.post(url, edit_post(initiative, summary=NEW_SUMMARY))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == old_summary and initiative.version == 1
    assert old_summary in Client().get(initiative.get_absolute_url()).content.decode()
    revision = Revision.objects.get(kind=Revision.Kind.SUGGESTED_EDIT)
    assert revision.status == Revision.Status.PENDING and revision.base_version == 1
    detail = moderator_client.get(reverse("moderation:revision", kwargs={"pk": revision.pk})).content.decode()
    assert NEW_SUMMARY in detail and old_summary in detail
    moderator_client.post(reverse("moderation:decide_revision", kwargs={"pk": revision.pk}), {"decision": "approve"})
    initiative.refresh_from_db()
    assert initiative.summary == NEW_SUMMARY and initiative.version == 2
    assert NEW_SUMMARY in Client().get(initiative.get_absolute_url()).content.decode()
    assert mail.outbox[-1].to == [contributor.email]


def test_a_suggestion_without_any_change_is_refused_with_a_message(alice):
    initiative = make_initiative()
    response = alice.post(
        reverse("contributions:suggest_edit", kwargs={"slug": initiative.slug}), edit_post(initiative)
    )
    assert response.status_code == 400
    assert "Vous n&#x27;avez rien modifié." in response.content.decode()
    assert not Revision.objects.exists()


def test_contributors_cannot_edit_directly_nor_set_moderation_fields(alice):
    initiative = make_initiative()
    assert alice.get(reverse("contributions:edit", kwargs={"slug": initiative.slug})).status_code == 403
    url = reverse("contributions:suggest_edit", kwargs={"slug": initiative.slug})
    alice.post(url, edit_post(initiative, summary=NEW_SUMMARY, status="archived", version_bump="9"))
    revision = Revision.objects.get()
    assert "status" not in revision.data
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED


def test_claim_then_approval_lets_the_holder_edit_directly(alice, contributor, moderator_client):
    initiative = make_initiative()
    claim_url = reverse("contributions:claim", kwargs={"slug": initiative.slug})
    assert alice.post(claim_url, {"message": "Je coordonne l'atelier depuis 2021."}).status_code == 302
    again = alice.post(claim_url, {"message": "Encore moi."})
    assert "déjà en cours d&#x27;examen" in again.content.decode()
    claim = Claim.objects.get()
    moderator_client.post(reverse("moderation:decide_claim", kwargs={"pk": claim.pk}), {"decision": "approve"})
    assert InitiativeHolder.objects.filter(user=contributor, initiative=initiative).exists()
    assert "porteur" in mail.outbox[-1].subject
    edit_url = reverse("contributions:edit", kwargs={"slug": initiative.slug})
    response = alice.post(edit_url, edit_post(initiative, summary=NEW_SUMMARY, comment="Nouveaux horaires"))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == NEW_SUMMARY and initiative.version == 2
    revision = Revision.objects.get(kind=Revision.Kind.DIRECT_EDIT)
    assert revision.status == Revision.Status.APPLIED and revision.author == contributor
    feed = moderator_client.get(reverse("moderation:feed")).content.decode()
    assert initiative.name in feed and NEW_SUMMARY in feed
    assert AuditEvent.objects.filter(event_type="claim_approved", object_id=str(claim.pk)).count() == 1


def test_rejecting_a_claim_needs_a_reason(moderator_client):
    initiative = make_initiative()
    claim = Claim.objects.create(initiative=initiative, user=make_user(), message="C'est moi.")
    url = reverse("moderation:decide_claim", kwargs={"pk": claim.pk})
    response = moderator_client.post(url, {"decision": "reject", "message": ""})
    assert response.status_code == 400
    assert "Le motif du refus est obligatoire." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_stale_save_shows_the_conflict_page_and_keeps_the_typed_values(client):
    initiative = make_initiative()
    first, second = make_user("premiere@exemple.fr"), make_user("second@exemple.fr")
    make_holder(initiative, first)
    make_holder(initiative, second)
    url = reverse("contributions:edit", kwargs={"slug": initiative.slug})
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    form_b = edit_post(initiative, summary="Résumé tapé par la seconde personne, qui ne doit pas se perdre.")
    assert a.post(url, edit_post(initiative, summary="Résumé enregistré en premier.")).status_code == 302
    conflict = b.post(url, form_b)
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "La fiche a changé pendant votre saisie" in html
    assert "Résumé enregistré en premier." in html  # theirs
    assert "Résumé tapé par la seconde personne, qui ne doit pas se perdre." in html  # yours, kept in the form
    assert 'name="version" value="2"' in html
    initiative.refresh_from_db()
    assert initiative.summary == "Résumé enregistré en premier." and initiative.version == 2
    # Resubmitting from the conflict page (now based on version 2) goes through.
    assert b.post(url, {**form_b, "version": 2}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary.startswith("Résumé tapé par la seconde") and initiative.version == 3


def test_approving_a_stale_suggestion_shows_the_conflict_to_the_moderator(alice, moderator_client):
    initiative = make_initiative()
    alice.post(
        reverse("contributions:suggest_edit", kwargs={"slug": initiative.slug}),
        edit_post(initiative, summary=NEW_SUMMARY),
    )
    revision = Revision.objects.get(kind=Revision.Kind.SUGGESTED_EDIT)
    holder = make_user("porteuse@exemple.fr")
    make_holder(initiative, holder)
    holder_client = Client()
    holder_client.force_login(holder)
    holder_client.post(
        reverse("contributions:edit", kwargs={"slug": initiative.slug}),
        edit_post(initiative, description="Description mise à jour par la porteuse."),
    )
    url = reverse("moderation:decide_revision", kwargs={"pk": revision.pk})
    response = moderator_client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert "La fiche a changé depuis cette proposition" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.summary != NEW_SUMMARY
    # Confirmed after seeing the conflict: only the suggested field is applied, the holder's change stays.
    moderator_client.post(url, {"decision": "approve", "seen_version": initiative.version})
    initiative.refresh_from_db()
    assert initiative.summary == NEW_SUMMARY
    assert initiative.description == "Description mise à jour par la porteuse."


def test_holder_confirms_the_sheet_is_up_to_date_in_one_click(client):
    initiative = make_initiative()
    holder = make_user()
    make_holder(initiative, holder)
    client.force_login(holder)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Toujours à jour" in page and "Modifier" in page
    assert client.get(reverse("contributions:confirm", kwargs={"slug": initiative.slug})).status_code == 405
    response = client.post(reverse("contributions:confirm", kwargs={"slug": initiative.slug}))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.last_confirmed_at is not None
    assert AuditEvent.objects.filter(event_type="initiative_confirmed", object_id=str(initiative.pk)).count() == 1


def test_a_contributor_cannot_confirm_a_sheet_they_do_not_carry(alice):
    initiative = make_initiative()
    assert alice.post(reverse("contributions:confirm", kwargs={"slug": initiative.slug})).status_code == 403
