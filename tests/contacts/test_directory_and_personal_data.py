"""The actors directory (filters, consent, no e-mail), and the contacts app's part of export, deletion and purge."""

from datetime import timedelta

import pytest
from django.urls import reverse

from carrefour.accounts.actions import add_membership, delete_account, export_account
from carrefour.catalog.models import Term, Vocabulary
from carrefour.contacts import actions, purge
from carrefour.contacts.models import DirectoryListing, ReplicationRequest
from carrefour.messaging.purge import purge_all
from tests.factories import make_holder, make_initiative, make_organisation, make_replication_request, make_user, term

pytestmark = pytest.mark.django_db


def structure(code: str) -> Term:
    return Term.objects.get(vocabulary=Vocabulary.STRUCTURE_TYPE, code=code)


@pytest.fixture
def actors():
    breton = make_organisation("Association Les Jardins du Lien", structure_type=structure("ASS"))
    lyon = make_organisation("Fondation Élan Solidaire", structure_type=structure("FON"))
    hidden = make_organisation("Association Fantôme", structure_type=structure("ASS"))  # no published initiative
    make_initiative("Jardin partagé de Quimper", "29232", organisation=breton)
    make_initiative("Épicerie solidaire de Lyon", "69123", organisation=lyon)
    make_initiative("Brouillon", "29232", status="draft", organisation=hidden)
    return {"breton": breton, "lyon": lyon, "hidden": hidden}


def listed(client, **params) -> str:
    response = client.get(reverse("contacts:directory"), params)
    assert response.status_code in (200, 400)
    return response.content.decode()


def test_the_directory_filters_by_name_type_territory_and_activity(client, actors):
    everything = listed(client)
    assert "Les Jardins du Lien" in everything and "Élan Solidaire" in everything
    assert "Association Fantôme" not in everything  # nothing published: not listed
    assert "Élan Solidaire" in listed(client, q="elan") and "Jardins" not in listed(client, q="elan")
    assert "Jardins" in listed(client, type="ASS") and "Élan" not in listed(client, type="ASS")
    assert "Jardins" in listed(client, region="53") and "Élan" not in listed(client, region="53")
    assert "Élan" in listed(client, departement="69") and "Jardins" not in listed(client, departement="69")
    theme = term(Vocabulary.THEME)
    assert "Jardins" in listed(client, activite=theme.code)
    other = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True).exclude(pk=theme.pk).first()
    assert "Jardins" not in listed(client, activite=other.code)


def test_unknown_filters_get_a_french_message_not_an_error(client, actors):
    response = client.get(reverse("contacts:directory"), {"type": "XXX", "region": "99", "page": "abc"})
    html = response.content.decode()
    assert response.status_code == 400 and "Ce type de structure n&#x27;existe pas." in html
    assert "Les Jardins du Lien" in html  # the rest of the search still runs


def test_people_appear_only_with_consent_and_never_with_their_email(client, actors):
    person = make_user("claire.martin@exemple.fr")
    add_membership(person, actors["breton"])
    client.force_login(person)
    people_url = reverse("contacts:people")
    assert "Claire Martin" not in client.get(people_url).content.decode()
    response = client.post(
        reverse("contacts:my_listing"),
        {"visible": "on", "shown_name": "Claire Martin", "shown_profile_type": "support", "show_organisations": "on"},
    )
    assert response.status_code == 302
    listing = DirectoryListing.objects.get(user=person)
    assert listing.consented_at is not None and listing.consent_version
    html = client.get(people_url, {"q": "claire"}).content.decode()
    assert "Claire Martin" in html and "Les Jardins du Lien" in html and "claire.martin@exemple.fr" not in html
    client.post(reverse("contacts:withdraw_listing"))  # one click
    assert "Claire Martin" not in client.get(people_url).content.decode()


def test_saying_yes_without_a_name_is_refused(client):
    client.force_login(make_user())
    response = client.post(reverse("contacts:my_listing"), {"visible": "on", "shown_name": ""})
    assert response.status_code == 400 and "Indiquez le nom" in response.content.decode()
    assert not DirectoryListing.objects.filter(visible=True).exists()


def test_export_and_deletion_keep_requests_for_the_holders_but_forget_the_requester():
    sheet = make_initiative("Tiers-lieu nourricier de Morlaix", "29151")
    holder = make_holder(sheet).user
    requester = make_user("dominique.legoff@exemple.fr")
    replication = make_replication_request(sheet, requester)
    actions.post_message(replication, requester, "Un détail personnel à effacer.", from_requester=True)
    DirectoryListing.objects.create(user=requester, visible=True, shown_name="Dominique")
    data = export_account(requester)
    assert data["replication_requests"]["sent"][0]["initiative_slug"] == sheet.slug
    assert data["replication_requests"]["messages_written"][0]["body"] == "Un détail personnel à effacer."
    assert data["directory_listing"]["shown_name"] == "Dominique"

    delete_account(requester)
    replication = ReplicationRequest.objects.get()
    assert replication.requester is None and replication.requester_name == "" and replication.message == ""
    assert replication.messages.get().body == "" and not DirectoryListing.objects.exists()
    assert holder.is_active  # the holders keep the request in their history


def test_thread_bodies_are_purged_30_days_after_the_request_is_closed():
    sheet = make_initiative("Tiers-lieu nourricier de Morlaix", "29151")
    holder = make_holder(sheet).user
    replication = make_replication_request(sheet)
    actions.post_message(replication, holder, "Venez le samedi 12.", from_requester=False)
    actions.move(replication, "decline", holder)
    replication.refresh_from_db()
    assert (
        purge.purge_replication_bodies(replication.closed_at + timedelta(days=29))["replication_messages_erased"] == 0
    )
    counts = purge_all(replication.closed_at + timedelta(days=31))
    assert counts["replication_messages_erased"] == 1 and counts["replication_requests_erased"] == 1
    replication.refresh_from_db()
    assert replication.message == "" and replication.messages.get().body == "" and replication.purged_at
