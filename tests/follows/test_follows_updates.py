"""Followers of an organisation or a territory hear of updates and withdrawals of its initiatives, and of the
organisation itself: one notification per person and sheet per run, naming the changed fields in French, never to
the person who made the change, never twice, never for an unpublished sheet."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Organisation
from carrefour.contributions import actions as contributions
from carrefour.contributions.snapshot import snapshot
from carrefour.core.models import AuditEvent
from carrefour.dedup.actions import merge
from carrefour.follows import actions, digest, notify
from carrefour.follows.audience import BY_INITIATIVE
from carrefour.follows.changes import Change, describe_initiative
from carrefour.follows.models import Notification, NotificationKind, NotifierCursor
from carrefour.follows.territories import Territory
from carrefour.messaging.models import OutgoingMail
from carrefour.moderation.actions import approve_revision
from tests.factories import (
    make_applied_revision,
    make_initiative,
    make_moderator,
    make_organisation,
    make_suggested_edit,
    make_user,
)

pytestmark = pytest.mark.django_db

FINISTERE = Territory("departement", "29")


def run_notifier():
    return notify.notify_followers(now=timezone.now() + timedelta(minutes=5))


@pytest.fixture
def network():
    return make_organisation("Réseau des Repair Cafés bretons")


@pytest.fixture
def sheet(network):
    """A published sheet in Quimper (Finistère), carried by `network`; its creation already processed."""
    initiative = make_initiative("Repair Café de Quimper", "29232", organisation=network)
    run_notifier()
    return initiative


@pytest.fixture
def dominique():
    user = make_user("dominique.finistere@exemple.fr")
    actions.follow(user, territory=FINISTERE)
    return user


def edit(initiative, author=None, **changes):
    initiative.refresh_from_db()
    data = {**snapshot(initiative), **changes}
    return contributions.direct_edit(initiative, data, author or make_user(), initiative.version)


def test_a_departement_follow_hears_of_an_edit_of_a_sheet_in_one_of_its_communes(sheet, dominique):
    edit(sheet, summary="Un atelier de réparation ouvert à tous, le premier samedi du mois.", start_year=2019)
    run_notifier()
    [notification] = Notification.objects.filter(user=dominique)
    assert notification.kind == NotificationKind.UPDATED and notification.initiative == sheet
    assert notification.summary == (
        "« Repair Café de Quimper », sur le territoire « Finistère », a été mise à jour : Résumé, Année de lancement."
    )
    assert "premier samedi" not in notification.summary  # field names, never values


def test_followers_elsewhere_hear_nothing(sheet):
    rennes = make_user("rennes@exemple.fr")
    actions.follow(rennes, territory=Territory("departement", "35"))
    actions.follow(rennes, territory=Territory("commune", "29019"))  # Brest, in the same département as Quimper
    edit(sheet, description="Nouvelle présentation.")
    run_notifier()
    assert not Notification.objects.filter(user=rennes).exists()


def test_a_commune_an_epci_and_a_region_follow_each_catch_the_edit(sheet):
    people = {}
    for level, code in (("commune", "29232"), ("epci", "200068120"), ("region", "53")):
        people[level] = make_user(f"{level}@exemple.fr")
        actions.follow(people[level], territory=Territory(level, code))
    edit(sheet, description="Nouvelle présentation.")
    run_notifier()
    for level, user in people.items():
        [notification] = Notification.objects.filter(user=user)
        assert "a été mise à jour : Description." in notification.summary, level


def test_an_organisation_follow_hears_of_an_approved_suggestion(sheet, network):
    follower = make_user("reseau@exemple.fr")
    actions.follow(follower, organisation=network)
    approve_revision(make_suggested_edit(sheet), make_moderator())
    run_notifier()
    [notification] = Notification.objects.filter(user=follower)
    assert notification.summary == (
        "« Repair Café de Quimper », initiative de Réseau des Repair Cafés bretons, a été mise à jour : Résumé."
    )


def test_one_notification_when_following_the_sheet_its_organisation_and_its_territory(sheet, network, dominique):
    actions.follow(dominique, initiative=sheet)
    actions.follow(dominique, organisation=network)
    actions.follow(dominique, territory=Territory("commune", "29232"))
    edit(sheet, description="Nouvelle présentation.")
    catalog_actions.rename(sheet, "Repair Café de Quimper-Centre", make_user())
    edit(sheet, website="https://repaircafe-quimper.example.org/")
    run_notifier()
    [notification] = Notification.objects.filter(user=dominique)
    assert notification.summary == (
        "« Repair Café de Quimper-Centre » (anciennement « Repair Café de Quimper ») a été mise à jour : "
        "Nom, Description, Site web."
    )
    last_update = AuditEvent.objects.filter(event_type="initiative_updated", object_id=str(sheet.pk)).latest("pk")
    assert notification.event_id == last_update.pk  # one notification, for the last event it tells of


def test_the_author_of_a_change_is_not_told_of_it_but_others_are(sheet, dominique):
    other = make_user("autre.finistere@exemple.fr")
    actions.follow(other, territory=FINISTERE)
    edit(sheet, author=dominique, description="Nouvelle présentation.")
    run_notifier()
    assert not Notification.objects.filter(user=dominique).exists()
    assert Notification.objects.filter(user=other).count() == 1
    edit(sheet, author=other, summary="Un autre résumé, plus court.")  # each hears of the other's change only
    edit(sheet, author=dominique, start_year=2018)
    run_notifier()
    [told] = Notification.objects.filter(user=dominique)
    assert told.summary.endswith("a été mise à jour : Résumé.")
    assert Notification.objects.filter(user=other).latest("pk").summary.endswith("mise à jour : Année de lancement.")


def test_unpublished_sheets_and_private_fields_give_nothing(dominique):
    draft = make_initiative("Projet encore secret", "29232", status="draft")
    archived = make_initiative("Ancienne recyclerie", "29019", status="archived")
    sheet = make_initiative("Atelier vélo de Brest", "29019")
    run_notifier()
    Notification.objects.all().delete()  # the new published sheet
    catalog_actions.save_initiative(draft, make_user(), ["summary"])
    catalog_actions.save_initiative(archived, make_user(), ["summary"])
    edit(sheet, contact_email="nouvelle.adresse@exemple.fr")
    catalog_actions.change_status(draft, "submitted", make_user())
    run_notifier()
    assert not Notification.objects.exists()
    edit(sheet, contact_email="encore.une@exemple.fr", summary="Un atelier vélo participatif.")
    run_notifier()
    [notification] = Notification.objects.all()
    assert notification.summary.endswith("a été mise à jour : Résumé.") and "contact" not in notification.summary


def test_closing_hiding_and_restoring_a_sheet_are_told(settings, sheet, dominique):
    catalog_actions.change_status(sheet, "archived", make_user())
    run_notifier()
    [archived] = Notification.objects.filter(user=dominique)
    assert archived.kind == NotificationKind.STATUS
    assert archived.summary == (
        "« Repair Café de Quimper », sur le territoire « Finistère », n'est plus publiée (archivée)."
    )
    assert archived.target_url == ""  # its page is gone: no dead link
    catalog_actions.change_status(sheet, "published", make_user())
    run_notifier()
    assert Notification.objects.filter(user=dominique).latest("pk").summary.endswith("est de nouveau publiée.")
    settings.CARREFOUR_REPORTS_TO_HIDE = 1
    contributions.report(sheet, make_user(), "wrong_information", "Le lieu a changé d'adresse.")
    run_notifier()
    hidden = Notification.objects.filter(user=dominique).latest("pk")
    assert hidden.summary.endswith("est masquée en attente de vérification.")
    assert Notification.objects.filter(user=dominique).count() == 3


def test_a_merge_tells_the_followers_of_both_sheets(sheet, dominique, network):
    duplicate = make_initiative("Repair café Quimper", "29232")
    brest_fan = make_user("brest@exemple.fr")
    actions.follow(brest_fan, initiative=duplicate)
    run_notifier()
    Notification.objects.all().delete()
    merge(sheet, duplicate, make_moderator())
    run_notifier()
    sheet.refresh_from_db()
    told = {n.initiative_id: n.summary for n in Notification.objects.filter(user=dominique)}
    assert told[duplicate.pk] == (
        f"« Repair café Quimper », sur le territoire « Finistère », a été fusionnée avec « {sheet.name} », "
        "qui la remplace."
    )
    assert "Fiche en double fusionnée" in told[sheet.pk]
    [fan] = Notification.objects.filter(user=brest_fan)
    assert fan.initiative_id == duplicate.pk and fan.target_url == duplicate.get_absolute_url()  # it redirects


def test_changes_of_the_organisation_itself_are_told_to_its_followers(client, sheet, network):
    follower = make_user("suit.reseau@exemple.fr")
    actions.follow(follower, organisation=network)
    network.website = "https://repaircafes-bretons.example.org/"
    catalog_actions.save_organisation(network, make_user(), ["website", "description"])
    catalog_actions.rename(network, "Réseau breton des Repair Cafés", make_user())
    catalog_actions.save_organisation(network, follower, ["siret"])  # one's own change
    run_notifier()
    [notification] = Notification.objects.filter(user=follower)
    assert notification.kind == NotificationKind.ORGANISATION_UPDATED and notification.organisation == network
    assert notification.summary == (
        "L'organisation « Réseau breton des Repair Cafés » (anciennement « Réseau des Repair Cafés bretons ») "
        "a été mise à jour : Nom, Présentation, Site web."
    )
    client.force_login(follower)
    page = client.get(reverse("follows:mine")).content.decode()
    assert f'href="{network.get_absolute_url()}"' in page


def test_an_organisation_without_a_public_initiative_is_not_told_of(dominique):
    hidden_org = make_organisation("Collectif sans fiche publiée")
    make_initiative("Projet en préparation", "29232", status="draft", organisation=hidden_org)
    actions.follow(dominique, organisation=hidden_org)
    catalog_actions.save_organisation(hidden_org, make_user(), ["description"])
    run_notifier()
    assert not Notification.objects.filter(organisation__isnull=False).exists()
    assert Organisation.objects.filter(pk=hidden_org.pk).exists()


def test_each_event_is_told_once_when_the_notifier_runs_twice(sheet, dominique):
    make_applied_revision(sheet)
    first = run_notifier()
    second = run_notifier()
    assert first["notifications"] == 1 and second == {"events": 0, "notifications": 0}
    assert Notification.objects.filter(user=dominique).count() == 1


def test_a_run_overtaken_by_a_concurrent_one_writes_nothing(sheet, dominique, monkeypatch):
    make_applied_revision(sheet)
    real_batch = notify._batch

    def overtaken(after, until):
        events = real_batch(after, until)
        # Another run commits this batch while this one plans it: the cursor is no longer where this run read it.
        NotifierCursor.objects.filter(name=notify.CURSOR).update(last_event_id=F("last_event_id") + 1)
        return events

    monkeypatch.setattr(notify, "_batch", overtaken)
    assert run_notifier() == {"events": 0, "notifications": 0}
    assert not Notification.objects.exists()  # the loser's notifications are rolled back with its batch
    monkeypatch.undo()
    assert run_notifier()["notifications"] == 1
    assert run_notifier()["notifications"] == 0
    assert Notification.objects.filter(user=dominique).count() == 1


def test_one_notification_per_sheet_and_run_even_across_batches(sheet, dominique, monkeypatch):
    monkeypatch.setattr(notify, "BATCH_SIZE", 2)
    edit(sheet, description="Nouvelle présentation.")
    edit(sheet, summary="Un autre résumé.")
    catalog_actions.rename(sheet, "Repair Café de Quimper-Centre", make_user())
    summary = run_notifier()
    [notification] = Notification.objects.filter(user=dominique)
    assert summary["notifications"] == 1 and summary["events"] >= 3
    assert notification.summary.endswith("a été mise à jour : Nom, Résumé, Description.")
    actions.mark_notifications_read(dominique)
    edit(sheet, start_year=2017)
    run_notifier()  # a later run: a new notification, the read one untouched
    assert Notification.objects.filter(user=dominique).count() == 2
    assert Notification.objects.filter(user=dominique, read_at__isnull=True).get().summary.endswith("lancement.")


def test_territory_updates_appear_in_the_space_and_in_the_weekly_digest(client, sheet, dominique):
    actions.set_digest(dominique, True, dominique)
    edit(sheet, description="Nouvelle présentation.")
    run_notifier()
    client.force_login(dominique)
    page = client.get(reverse("accounts:space")).content.decode()
    assert "1 notification non lue" in page and "sur le territoire « Finistère », a été mise à jour" in page
    assert digest.send_follow_digests(timezone.now() + timedelta(minutes=10))["digests"] == 1
    [mail] = [mail for mail in OutgoingMail.objects.all() if dominique.email in mail.to]
    assert "a été mise à jour : Description." in mail.body_text and sheet.get_absolute_url() in mail.body_text


def test_a_long_list_of_changed_fields_is_shortened_and_unknown_or_private_names_are_left_out():
    change = Change("catalog.initiative")
    fields = ["links", "themes", "summary", "contact_email", "stage", "version", "not_a_field", "locations", "name"]
    change.add(AuditEvent(event_type="initiative_updated", object_type="catalog.initiative", data={"fields": fields}))
    assert change.labels() == ["Nom", "Résumé", "Thématiques", "Stade", "Lieux", "Liens et réseaux sociaux"]
    sheet = make_initiative("Atelier couture de Morlaix", "29151")
    kind, summary = describe_initiative(change, sheet, BY_INITIATIVE)
    assert kind == NotificationKind.UPDATED
    assert summary == "« Atelier couture de Morlaix » a été mise à jour : Nom, Résumé, Thématiques, Stade et 2 autres."
