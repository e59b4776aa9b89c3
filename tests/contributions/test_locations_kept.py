"""Edits write a sheet's places in place: an unchanged place keeps its row, its precise coordinates and its geocoding
state; a changed address is updated and queued for the address geocoder; a revert restores the coordinates it saved.

The Addok-compatible geocoder is faked by an HTTP server on 127.0.0.1 when one is asked at all.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from carrefour.catalog.models import Location
from carrefour.contributions import actions
from carrefour.contributions.snapshot import apply, snapshot
from carrefour.geocoding import actions as geocoding
from carrefour.geocoding.backends import Result
from carrefour.geocoding.models import AddressGeocoding, GeocodeStatus
from carrefour.moderation.actions import approve_revision
from carrefour.territories.models import Commune
from tests.contributions.forms_data import edit_post
from tests.factories import make_holder, make_initiative, make_user

pytestmark = pytest.mark.django_db

QUIMPER_DOOR = (47.99512, -4.10743)  # 2 rue de la Paix, Quimper
BREST_DOOR = (48.38972, -4.48611)  # 12 rue de Siam, Brest
NEW_BREST_DOOR = (48.39021, -4.49190)  # 40 rue Jean Jaurès, Brest


@pytest.fixture
def geocoder(settings):
    """An address geocoder is configured, but nothing is asked right after a save: the queue is what we look at."""
    settings.GEOCODER_URL = "http://127.0.0.1:9/search/"
    settings.GEOCODER_ATTEMPT_ON_SAVE = False
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    return settings


def found(location: Location, point: tuple[float, float]) -> None:
    """The geocoder's answer for a queued address, through the geocoding action itself."""
    row = AddressGeocoding.objects.get(location=location, status=GeocodeStatus.PENDING)
    answer = Result(point[0], point[1], Location.Precision.ADDRESS, "housenumber", location.address, 0.93)
    geocoding._answered(row, answer, geocoding.RunSummary())


def two_places():
    """A sheet in Quimper and Brest, both addresses geocoded precisely."""
    initiative = make_initiative()
    brest = Commune.objects.get(code="29019")
    Location.objects.create(
        initiative=initiative,
        commune=brest,
        label="Antenne de Brest",
        address="12 rue de Siam",
        postal_code="29200",
        latitude=brest.latitude,
        longitude=brest.longitude,
        position=1,
    )
    quimper_place, brest_place = initiative.locations.order_by("position", "id")
    found(quimper_place, QUIMPER_DOOR)
    found(brest_place, BREST_DOOR)
    initiative.refresh_from_db()
    return initiative, quimper_place.pk, brest_place.pk


def places(initiative) -> list[tuple]:
    return list(
        initiative.locations.order_by("position", "id").values_list(
            "pk", "address", "latitude", "longitude", "precision"
        )
    )


def queued(initiative) -> list[str]:
    rows = AddressGeocoding.objects.filter(location__initiative=initiative, status=GeocodeStatus.PENDING)
    return sorted(rows.values_list("location__address", flat=True))


def edit(initiative, **changes):
    initiative.refresh_from_db()
    return actions.direct_edit(initiative, {**snapshot(initiative), **changes}, make_user(), initiative.version)


def test_a_description_only_edit_keeps_location_rows_and_precise_coordinates(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    before = places(initiative)
    holder = make_user()
    make_holder(initiative, holder)
    client = Client()
    client.force_login(holder)
    url = reverse("contributions:edit", kwargs={"slug": initiative.slug})
    response = client.post(url, edit_post(initiative, description="Nouvelle description, les lieux ne bougent pas."))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.description == "Nouvelle description, les lieux ne bougent pas."
    assert places(initiative) == before
    assert before[0][:4] == (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR)
    assert before[1][:4] == (brest_pk, "12 rue de Siam", *BREST_DOOR)
    assert queued(initiative) == []
    assert set(AddressGeocoding.objects.filter(location__initiative=initiative).values_list("status", flat=True)) == {
        GeocodeStatus.DONE
    }


def test_data_taken_before_the_geocoder_answered_does_not_undo_its_answer(geocoder):
    initiative = make_initiative()
    place = initiative.locations.get()
    stale = {**snapshot(initiative), "summary": "Un résumé écrit pendant que l'adresse attendait le géocodeur."}
    found(place, QUIMPER_DOOR)
    revision = actions.direct_edit(initiative, stale, make_user(), initiative.version)
    assert revision.data["summary"] == stale["summary"]
    assert places(initiative) == [(place.pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS)]
    assert queued(initiative) == []


def test_changing_one_of_two_addresses_keeps_the_other_row_untouched_and_queues_only_the_changed_one(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    brest = Commune.objects.get(code="29019")
    data["locations"][1].update(address="40 rue Jean Jaurès", latitude=None, longitude=None)
    edit(initiative, locations=data["locations"])
    after = places(initiative)
    assert after[0] == (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS)
    assert after[1] == (brest_pk, "40 rue Jean Jaurès", brest.latitude, brest.longitude, Location.Precision.COMMUNE)
    assert queued(initiative) == ["40 rue Jean Jaurès"]
    assert AddressGeocoding.objects.get(location_id=quimper_pk).status == GeocodeStatus.DONE


def test_reordering_places_keeps_their_rows_and_coordinates(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    edit(initiative, locations=list(reversed(data["locations"])))
    assert places(initiative) == [
        (brest_pk, "12 rue de Siam", *BREST_DOOR, Location.Precision.ADDRESS),
        (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS),
    ]
    assert list(initiative.locations.order_by("position").values_list("position", flat=True)) == [0, 1]
    assert queued(initiative) == []


def test_removing_a_place_deletes_only_its_row(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    edit(initiative, locations=data["locations"][1:])
    assert places(initiative) == [(brest_pk, "12 rue de Siam", *BREST_DOOR, Location.Precision.ADDRESS)]
    assert not Location.objects.filter(pk=quimper_pk).exists()
    assert not AddressGeocoding.objects.filter(location_id=quimper_pk).exists()


def test_adding_a_place_creates_one_row_and_queues_its_address(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    extra = {"commune": "29019", "label": "", "address": "40 rue Jean Jaurès", "postal_code": "29200"}
    edit(initiative, locations=[*data["locations"], {**extra, "latitude": None, "longitude": None}])
    after = places(initiative)
    assert [row[0] for row in after[:2]] == [quimper_pk, brest_pk] and after[2][0] not in (quimper_pk, brest_pk)
    assert queued(initiative) == ["40 rue Jean Jaurès"]


def test_renaming_a_place_keeps_its_row_coordinates_and_geocoding(geocoder):
    initiative, _quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    data["locations"][1]["label"] = "Atelier de Brest"
    edit(initiative, locations=data["locations"])
    brest_place = Location.objects.get(pk=brest_pk)
    assert (brest_place.label, brest_place.latitude, brest_place.longitude) == ("Atelier de Brest", *BREST_DOOR)
    assert brest_place.precision == Location.Precision.ADDRESS and queued(initiative) == []


def test_revert_restores_the_previous_address_and_its_exact_coordinates(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    first = edit(initiative, summary="Un résumé mis à jour avant le déménagement de l'antenne.")
    data = snapshot(initiative)
    data["locations"][1].update(address="40 rue Jean Jaurès", latitude=None, longitude=None)
    edit(initiative, locations=data["locations"])
    found(Location.objects.get(pk=brest_pk), NEW_BREST_DOOR)
    actions.revert_to(first, make_user())
    assert places(initiative) == [
        (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS),
        (brest_pk, "12 rue de Siam", *BREST_DOOR, Location.Precision.ADDRESS),
    ]
    assert queued(initiative) == []
    assert snapshot(initiative)["locations"] == first.data["locations"]


def test_restoring_a_snapshot_taken_while_the_address_waited_queues_it_again(geocoder):
    initiative = make_initiative()
    place = initiative.locations.get()
    waiting = snapshot(initiative)  # commune centre: the address was not geocoded yet
    found(place, QUIMPER_DOOR)
    moved = snapshot(initiative)
    moved["locations"][0].update(address="8 place Saint-Corentin", latitude=None, longitude=None)
    apply(initiative, moved)
    found(Location.objects.get(pk=place.pk), (47.99601, -4.10210))
    apply(initiative, waiting)
    place.refresh_from_db()
    assert (place.address, place.precision) == ("2 rue de la Paix", Location.Precision.COMMUNE)
    assert (place.latitude, place.longitude) == (place.commune.latitude, place.commune.longitude)
    assert queued(initiative) == ["2 rue de la Paix"]


def test_an_accepted_suggestion_keeps_coordinates_found_after_it_was_made(geocoder):
    initiative, quimper_pk, brest_pk = two_places()
    Location.objects.filter(pk=quimper_pk).update(latitude=None, longitude=None, precision=Location.Precision.COMMUNE)
    AddressGeocoding.objects.filter(location_id=quimper_pk).update(status=GeocodeStatus.PENDING)
    initiative.refresh_from_db()
    data = snapshot(initiative)
    data["locations"][1].update(address="40 rue Jean Jaurès", latitude=None, longitude=None)
    revision = actions.suggest_edit(initiative, data, make_user(), initiative.version)
    found(Location.objects.get(pk=quimper_pk), QUIMPER_DOOR)  # the geocoder answers while the suggestion waits
    approve_revision(revision, make_user())
    after = places(initiative)
    assert after[0] == (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS)
    assert after[1][:2] == (brest_pk, "40 rue Jean Jaurès")
    assert queued(initiative) == ["40 rue Jean Jaurès"]


def test_an_address_geocoded_once_then_put_back_at_its_commune_is_queued_again(geocoder):
    initiative = make_initiative()
    place = initiative.locations.get()
    found(place, QUIMPER_DOOR)
    place.refresh_from_db()
    place.latitude, place.longitude = place.commune.latitude, place.commune.longitude
    place.precision = Location.Precision.COMMUNE
    place.save()  # e.g. an administrator put the point back at the commune
    assert queued(initiative) == ["2 rue de la Paix"]


class FakeAddok(BaseHTTPRequestHandler):
    asked: list = []

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)["q"][0]
        self.asked.append(query)
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [NEW_BREST_DOOR[1], NEW_BREST_DOOR[0]]},
            "properties": {"label": query, "score": 0.95, "type": "housenumber", "citycode": "29019"},
        }
        body = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def addok(geocoder):
    handler = type("Handler", (FakeAddok,), {"asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    geocoder.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search/"
    yield handler.asked
    server.shutdown()
    server.server_close()


def test_after_an_edit_the_retry_command_asks_the_geocoder_for_the_changed_address_only(addok):
    initiative, quimper_pk, brest_pk = two_places()
    data = snapshot(initiative)
    data["locations"][1].update(address="40 rue Jean Jaurès", latitude=None, longitude=None)
    edit(initiative, locations=data["locations"])
    summary = geocoding.retry_due()
    assert summary.geocoded == 1
    assert addok == ["40 rue Jean Jaurès Brest"]
    assert places(initiative) == [
        (quimper_pk, "2 rue de la Paix", *QUIMPER_DOOR, Location.Precision.ADDRESS),
        (brest_pk, "40 rue Jean Jaurès", *NEW_BREST_DOOR, Location.Precision.ADDRESS),
    ]
