"""An edit that moves a sheet (its places change commune) is told to the followers of the territories it left, as a
departure, and to those of the territories it entered, as an arrival; a person still covered hears of a plain
update; everyone once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Location
from carrefour.contributions import actions as contributions
from carrefour.contributions.snapshot import snapshot
from carrefour.core.models import AuditEvent
from carrefour.follows import actions, moves
from carrefour.follows.models import Notification, NotificationKind
from carrefour.follows.territories import Territory
from carrefour.moderation.actions import approve_revision
from tests.factories import make_initiative, make_moderator, make_user

pytestmark = pytest.mark.django_db

LYON, VILLEURBANNE, GRENOBLE = "69123", "69266", "38185"
NAME = "« Repair Café de la Croix-Rousse »"


def run_notifier():
    return dict(notify_followers())


def notify_followers():
    from carrefour.follows.notify import notify_followers as run

    return run(now=timezone.now() + timedelta(minutes=5))


def place(commune: str, postal_code: str) -> dict:
    return {"commune": commune, "label": "", "address": "", "postal_code": postal_code, "latitude": None,
            "longitude": None}  # fmt: skip


def moved_data(initiative, *places: dict, **changes) -> dict:
    initiative.refresh_from_db()
    return {**snapshot(initiative), "locations": list(places), **changes}


def move(initiative, *places: dict, author=None, **changes):
    data = moved_data(initiative, *places, **changes)
    return contributions.direct_edit(initiative, data, author or make_user(), initiative.version)


def follower(email: str, *territories: tuple[str, str]):
    user = make_user(email)
    for level, code in territories:
        actions.follow(user, territory=Territory(level, code))
    return user


def told(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("summary", flat=True))


@pytest.fixture
def sheet():
    """A published sheet in Lyon; its creation already processed."""
    initiative = make_initiative("Repair Café de la Croix-Rousse", LYON)
    run_notifier()
    return initiative


def test_a_move_from_lyon_to_grenoble_is_told_to_the_territories_left_and_entered(sheet):
    lyon = follower("lyon@exemple.fr", ("commune", LYON))
    rhone = follower("rhone@exemple.fr", ("departement", "69"))
    metropole = follower("metropole@exemple.fr", ("epci", "200046977"))
    isere = follower("isere@exemple.fr", ("departement", "38"))
    region = follower("aura@exemple.fr", ("region", "84"))
    elsewhere = follower("paris@exemple.fr", ("commune", "75056"), ("departement", "75"))

    move(sheet, place(GRENOBLE, "38000"))
    run_notifier()

    assert told(lyon) == [f"{NAME}, qui a quitté le territoire suivi « Lyon », a été mise à jour : Lieux."]
    assert told(rhone) == [f"{NAME}, qui a quitté le territoire suivi « Rhône », a été mise à jour : Lieux."]
    [left_metropole] = told(metropole)
    assert "qui a quitté le territoire suivi « Métropole de Lyon »" in left_metropole
    assert told(isere) == [f"{NAME}, qui arrive sur le territoire suivi « Isère », a été mise à jour : Lieux."]
    assert told(region) == [f"{NAME}, sur le territoire « Auvergne-Rhône-Alpes », a été mise à jour : Lieux."]
    assert told(elsewhere) == []
    notification = Notification.objects.get(user=lyon)
    assert notification.kind == NotificationKind.UPDATED and notification.initiative_id == sheet.pk
    assert AuditEvent.objects.get(pk=notification.event_id).event_type == "initiative_updated"


def test_a_move_is_told_once_per_person_and_never_again(sheet):
    both = follower("les-deux@exemple.fr", ("commune", LYON), ("departement", "69"), ("departement", "38"))
    lyon_and_region = follower("lyon-region@exemple.fr", ("commune", LYON), ("region", "84"))

    move(sheet, place(GRENOBLE, "38000"))
    first = run_notifier()
    second = run_notifier()

    # the arrival (the sheet is now in a territory they follow) comes before a departure
    assert told(both) == [f"{NAME}, qui arrive sur le territoire suivi « Isère », a été mise à jour : Lieux."]
    assert told(lyon_and_region) == [f"{NAME}, sur le territoire « Auvergne-Rhône-Alpes », a été mise à jour : Lieux."]
    assert first["notifications"] == 2 and second == {"events": 0, "notifications": 0}


def test_leaving_one_of_two_communes_is_told_only_to_the_followers_of_what_is_no_longer_covered():
    sheet = make_initiative("Repair Café de la Croix-Rousse", LYON)
    Location.objects.create(initiative=sheet, commune_id=VILLEURBANNE, postal_code="69100", position=1,
                            latitude=45.77, longitude=4.88)  # fmt: skip
    run_notifier()
    lyon = follower("lyon@exemple.fr", ("commune", LYON))
    villeurbanne = follower("villeurbanne@exemple.fr", ("commune", VILLEURBANNE))
    rhone = follower("rhone@exemple.fr", ("departement", "69"))

    move(sheet, place(LYON, "69004"))
    run_notifier()

    assert told(lyon) == [f"{NAME}, sur le territoire « Lyon », a été mise à jour : Lieux."]
    assert told(villeurbanne) == [
        f"{NAME}, qui a quitté le territoire suivi « Villeurbanne », a été mise à jour : Lieux."
    ]
    assert told(rhone) == [f"{NAME}, sur le territoire « Rhône », a été mise à jour : Lieux."]


def test_an_approved_suggestion_and_a_revert_each_tell_the_territory_left(sheet):
    in_lyon = contributions.direct_edit(sheet, moved_data(sheet, place(LYON, "69004"), start_year=2015), make_user(),
                                        sheet.version)  # fmt: skip
    run_notifier()
    lyon = follower("lyon@exemple.fr", ("commune", LYON))
    grenoble = follower("grenoble@exemple.fr", ("commune", GRENOBLE))
    data = moved_data(sheet, place(GRENOBLE, "38000"))
    suggestion = contributions.suggest_edit(sheet, data, make_user(), sheet.version)
    run_notifier()
    assert told(lyon) == []  # pending: the public sheet has not moved

    approve_revision(suggestion, make_moderator())
    run_notifier()
    assert told(lyon) == [f"{NAME}, qui a quitté le territoire suivi « Lyon », a été mise à jour : Lieux."]
    assert told(grenoble) == [f"{NAME}, qui arrive sur le territoire suivi « Grenoble », a été mise à jour : Lieux."]

    contributions.revert_to(in_lyon, make_moderator())
    run_notifier()
    assert told(grenoble)[1:] == [f"{NAME}, qui a quitté le territoire suivi « Grenoble », a été mise à jour : Lieux."]
    assert told(lyon)[1:] == [f"{NAME}, qui arrive sur le territoire suivi « Lyon », a été mise à jour : Lieux."]


def test_the_mover_and_the_followers_of_an_unpublished_sheet_hear_nothing(sheet):
    mover = follower("mover@exemple.fr", ("commune", LYON))
    move(sheet, place(GRENOBLE, "38000"), author=mover)
    draft = make_initiative("Projet encore secret", LYON, status="draft")
    lyon = follower("lyon@exemple.fr", ("commune", LYON))
    run_notifier()
    Notification.objects.all().delete()

    move(draft, place(GRENOBLE, "38000"))
    run_notifier()

    assert told(mover) == [] and told(lyon) == []


def test_an_edit_that_does_not_move_the_sheet_is_not_told_to_former_territories(sheet):
    move(sheet, place(GRENOBLE, "38000"))
    run_notifier()
    lyon = follower("lyon@exemple.fr", ("commune", LYON))

    move(sheet, place(GRENOBLE, "38000"), summary="Un atelier de réparation au pied des Alpes.")
    run_notifier()

    assert told(lyon) == []


def test_a_places_edit_without_a_revision_gives_no_former_communes(sheet):
    """The admin form writes no revision: no old snapshot, so no departure can be told (and nothing is guessed)."""
    Location.objects.filter(initiative=sheet).update(commune_id=GRENOBLE)
    catalog_actions.save_initiative(sheet, make_user(), ["locations"])
    events = list(AuditEvent.objects.filter(object_type="catalog.initiative", object_id=str(sheet.pk)))

    assert moves.former_communes(events) == {}
    move(sheet, place(LYON, "69004"))
    events = list(AuditEvent.objects.filter(object_type="catalog.initiative", object_id=str(sheet.pk)))
    assert moves.former_communes(events) == {sheet.pk: {GRENOBLE}}


def test_a_sheet_moved_before_its_first_publication_is_news_only_where_it_is_published():
    sheet = make_initiative("Repair Café de la Croix-Rousse", LYON, status="submitted")
    run_notifier()
    lyon = follower("lyon@exemple.fr", ("commune", LYON))
    grenoble = follower("grenoble@exemple.fr", ("commune", GRENOBLE))

    move(sheet, place(GRENOBLE, "38000"))
    catalog_actions.change_status(sheet, "published", make_moderator())
    run_notifier()

    assert told(lyon) == []
    assert told(grenoble) == [f"Nouvelle initiative sur le territoire « Grenoble » : {NAME}."]


def test_a_sheet_archived_as_it_moves_away_is_told_withdrawn_to_the_territory_it_left(sheet):
    lyon = follower("lyon@exemple.fr", ("commune", LYON))

    move(sheet, place(GRENOBLE, "38000"))
    catalog_actions.change_status(sheet, "archived", make_moderator())
    run_notifier()

    assert told(lyon) == [f"{NAME}, qui a quitté le territoire suivi « Lyon », n'est plus publiée (archivée)."]
