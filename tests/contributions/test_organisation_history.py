"""Organisations keep a history too (R-REL-03): every edit is a revision; moderators diff and revert."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from carrefour.catalog.models import Organisation
from carrefour.contributions import actions, organisation_revisions
from carrefour.contributions.models import Revision
from carrefour.core.models import AuditEvent
from tests.factories import make_initiative, make_organisation, make_user

pytestmark = pytest.mark.django_db

NEW_DESCRIPTION = "Association d'éducation populaire fondée en 1998, active dans tout le Finistère."


@pytest.fixture
def organisation():
    organisation = make_organisation("Les Jardins du Lien", siren="")
    make_initiative(organisation=organisation)  # published: the organisation page and its history are public
    return organisation


def history_url(organisation):
    return reverse("contributions:organisation_history", kwargs={"slug": organisation.slug})


def edit(organisation, actor, **changes):
    organisation.refresh_from_db()
    return organisation_revisions.edit(
        organisation, {**organisation_revisions.snapshot(organisation), **changes}, actor
    )


def test_an_edit_is_an_applied_revision_with_its_diff_on_the_public_history(organisation):
    author = make_user("autrice@exemple.fr")
    revision = edit(organisation, author, description=NEW_DESCRIPTION, website="https://jardins-du-lien.fr")
    assert revision.kind == Revision.Kind.DIRECT_EDIT and revision.status == Revision.Status.APPLIED
    assert revision.previous_data["description"] == "" and revision.data["description"] == NEW_DESCRIPTION
    assert (revision.base_version, revision.applied_version) == (1, 2)
    assert AuditEvent.objects.filter(event_type="direct_edit_applied", object_id=str(revision.pk)).exists()
    html = unescape(Client().get(history_url(organisation)).content.decode())
    assert NEW_DESCRIPTION in html and "Présentation" in html and "Version 2" in html
    assert "Restaurer" not in html  # visitors see the history, not the revert buttons


def test_saving_without_any_change_leaves_no_revision(organisation):
    assert edit(organisation, make_user()) is None
    assert not Revision.objects.filter(organisation=organisation).exists()


def test_the_organisation_page_links_to_its_history(organisation):
    html = Client().get(organisation.get_absolute_url()).content.decode()
    assert f'href="{history_url(organisation)}"' in html


def test_history_of_an_organisation_without_a_published_initiative_is_not_public(moderator_client):
    hidden = make_organisation("Collectif sans fiche publiée")
    assert Client().get(history_url(hidden)).status_code == 404
    assert moderator_client.get(history_url(hidden)).status_code == 200


def test_an_edit_in_the_back_office_leaves_a_revision_by_its_author(admin_client, admin_user, organisation):
    url = reverse("admin:catalog_organisation_change", args=[organisation.pk])
    response = admin_client.post(
        url,
        {"name": "Les Jardins du Lien solidaires", "siren": "", "siret": "", "rna": "", "website": "",
         "description": NEW_DESCRIPTION, "structure_type": "", "commune": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = Revision.objects.get(organisation=organisation)
    assert revision.author == admin_user
    assert revision.previous_data["name"] == "Les Jardins du Lien"
    assert revision.data["name"] == "Les Jardins du Lien solidaires" and revision.data["description"] == NEW_DESCRIPTION


def test_a_moderator_reverts_an_organisation_as_a_new_revision(moderator_client, moderator, organisation):
    author = make_user()
    first = edit(organisation, author, description="Première présentation.")
    edit(organisation, author, name="Les Jardins du Lien (nouveau nom)", description="Seconde présentation.")
    page = unescape(moderator_client.get(history_url(Organisation.objects.get(pk=organisation.pk))).content.decode())
    assert "Restaurer l'organisation telle qu'après la version 2" in page
    response = moderator_client.post(reverse("contributions:revert", kwargs={"pk": first.pk}))
    organisation.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == history_url(organisation)
    assert organisation.name == "Les Jardins du Lien" and organisation.description == "Première présentation."
    revert = Revision.objects.get(organisation=organisation, kind=Revision.Kind.REVERT)
    assert revert.reverts == first and revert.author == moderator and revert.applied_version == 4
    # Reverting again to the same state changes nothing and says so.
    again = moderator_client.post(reverse("contributions:revert", kwargs={"pk": first.pk}), follow=True)
    assert "déjà dans cet état" in again.content.decode()
    assert Revision.objects.filter(organisation=organisation, kind=Revision.Kind.REVERT).count() == 1


def test_a_contributor_cannot_revert_an_organisation(alice, organisation):
    revision = edit(organisation, make_user(), description="Texte.")
    assert alice.post(reverse("contributions:revert", kwargs={"pk": revision.pk})).status_code == 403
    organisation.refresh_from_db()
    assert organisation.description == "Texte."


def test_revert_user_also_brings_organisations_back_before_their_first_edit(moderator, organisation):
    vandal = make_user("vandale@exemple.fr")
    edit(organisation, vandal, description="Texte abîmé.")
    edit(organisation, vandal, website="https://arnaque.example")
    created = actions.revert_user(vandal, moderator)
    organisation.refresh_from_db()
    assert organisation.description == "" and organisation.website == ""
    assert [revision.organisation for revision in created] == [organisation]
    event = AuditEvent.objects.get(event_type="user_edits_reverted")
    assert event.data["organisations"] == [organisation.pk]


def test_my_contributions_lists_an_organisation_edit_with_its_link(organisation):
    author = make_user("autrice@exemple.fr")
    edit(organisation, author, description=NEW_DESCRIPTION)
    client = Client()
    client.force_login(author)
    html = client.get(reverse("contributions:mine")).content.decode()
    assert f'<a href="{organisation.get_absolute_url()}">{organisation.name}</a>' in html


def test_the_decision_page_of_an_organisation_revision_is_a_404_not_a_500(moderator_client, organisation):
    # An organisation's revisions are applied at once and live in its history; the decision pages are for sheets.
    revision = edit(organisation, make_user("autrice@exemple.fr"), description=NEW_DESCRIPTION)
    for name in ("moderation:revision", "moderation:decide_revision"):
        url = reverse(name, kwargs={"pk": revision.pk})
        response = moderator_client.get(url) if name == "moderation:revision" else moderator_client.post(url, {})
        assert response.status_code == 404, name
