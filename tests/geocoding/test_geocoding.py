"""Address geocoding behind one interface; a slow, absent or confused geocoder never blocks a save (R-REL-12).

The Addok/BAN-compatible geocoder is faked by an HTTP server on 127.0.0.1.
"""

import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from carrefour.catalog.models import Location
from carrefour.core.models import AuditEvent
from carrefour.geocoding import actions
from carrefour.geocoding.backends import geocode
from carrefour.geocoding.models import AddressGeocoding, GeocodeStatus
from carrefour.search.models import IndexOutbox
from carrefour.territories.models import Commune
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db
FOUND = (47.99512, -4.10743)


def addok_answer(score=0.91, kind="housenumber", citycode="29232") -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [FOUND[1], FOUND[0]]},
                "properties": {
                    "label": "2 Rue de la Paix 29000 Quimper",
                    "score": score,
                    "type": kind,
                    "citycode": citycode,
                    "postcode": "29000",
                },
            }
        ],
    }


class FakeAddok(BaseHTTPRequestHandler):
    behaviour: dict = {}

    def do_GET(self):
        self.behaviour.setdefault("requests", []).append(self.path)
        mode = self.behaviour.get("mode", "ok")
        if mode == "slow":
            time.sleep(2.5)
        if mode == "error":
            self.send_response(503)
            self.end_headers()
            return
        body = (
            b"{pas du json" if mode == "garbage" else json.dumps(self.behaviour.get("answer", addok_answer())).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, port: int):
        self.port, self.httpd = port, None
        self.behaviour: dict = {}

    def start(self, **behaviour):
        self.behaviour.clear()
        self.behaviour.update(behaviour)
        handler = type("Handler", (FakeAddok,), {"behaviour": self.behaviour})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


@pytest.fixture
def addok(settings):
    """A geocoder URL on 127.0.0.1; the server behind it is started by the test (until then the port is closed)."""
    server = Server(free_port())
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.port}/search/"
    settings.GEOCODER_TIMEOUT = 1
    yield server
    server.stop()


def save_sheet(django_capture_on_commit_callbacks, name="Repair Café de Quimper"):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = make_initiative(name)
    return initiative.locations.get()


def test_offline_backend_gives_the_commune_centre_and_never_marks_pending(settings, django_capture_on_commit_callbacks):
    settings.GEOCODER_URL = ""
    quimper = Commune.objects.get(code="29232")

    result = geocode("2 rue de la Paix", "29000", quimper)
    location = save_sheet(django_capture_on_commit_callbacks)

    assert (result.latitude, result.longitude, result.precision) == (quimper.latitude, quimper.longitude, "commune")
    assert location.precision == Location.Precision.COMMUNE
    assert not AddressGeocoding.objects.exists()


def test_a_found_address_updates_the_coordinates_and_refreshes_the_search_index(
    addok, django_capture_on_commit_callbacks
):
    addok.start(mode="ok")
    IndexOutbox.objects.all().delete()

    location = save_sheet(django_capture_on_commit_callbacks)

    location.refresh_from_db()
    assert (location.latitude, location.longitude) == FOUND
    assert location.precision == Location.Precision.ADDRESS
    row = AddressGeocoding.objects.get(location=location)
    assert (row.status, row.result_kind, row.attempts) == (GeocodeStatus.DONE, "housenumber", 1)
    assert not actions.is_pending(location)
    query = parse_qs(urlsplit(addok.behaviour["requests"][0]).query)
    assert query["limit"] == ["1"] and query["postcode"] == ["29000"] and "rue de la Paix" in query["q"][0]
    assert AuditEvent.objects.filter(event_type="location_geocoded", object_id=str(location.pk)).exists()
    assert IndexOutbox.objects.filter(initiative_id=location.initiative_id).count() >= 1


def test_geocoder_down_save_succeeds_pending_then_the_retry_command_geocodes(addok, django_capture_on_commit_callbacks):
    location = save_sheet(django_capture_on_commit_callbacks)  # nothing listens on the port yet

    location.refresh_from_db()
    assert location.precision == Location.Precision.COMMUNE
    assert actions.is_pending(location)
    row = AddressGeocoding.objects.get(location=location)
    assert row.attempts == 1 and row.next_attempt_at > timezone.now() and row.last_error

    call_command("geocode_pending")  # not due yet: back-off
    assert actions.is_pending(location)

    addok.start(mode="ok")
    AddressGeocoding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("geocode_pending")

    location.refresh_from_db()
    assert (location.latitude, location.longitude, location.precision) == (*FOUND, Location.Precision.ADDRESS)
    assert not actions.is_pending(location)


def test_a_geocoder_timeout_leaves_the_sheet_saved_and_pending(addok, django_capture_on_commit_callbacks):
    addok.start(mode="slow")
    started = time.monotonic()

    location = save_sheet(django_capture_on_commit_callbacks)

    assert time.monotonic() - started < 2.5  # the attempt gave up at the geocoder timeout (1 s here)
    location.refresh_from_db()
    assert location.precision == Location.Precision.COMMUNE
    assert actions.is_pending(location)


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_server_errors_and_garbage_keep_the_address_pending_and_are_logged(
    mode, addok, django_capture_on_commit_callbacks, caplog
):
    addok.start(mode=mode)

    location = save_sheet(django_capture_on_commit_callbacks)

    assert actions.is_pending(location)
    row = AddressGeocoding.objects.get(location=location)
    assert row.attempts == 1 and row.last_error
    assert any("failed" in record.message for record in caplog.records if record.name.startswith("carrefour.geoc"))


def test_failures_back_off_then_give_up(addok, django_capture_on_commit_callbacks):
    addok.start(mode="error")
    location = save_sheet(django_capture_on_commit_callbacks)
    row = AddressGeocoding.objects.get(location=location)
    waits = []
    for _ in range(actions.MAX_ATTEMPTS - 1):
        before = timezone.now()
        AddressGeocoding.objects.filter(pk=row.pk).update(next_attempt_at=before - dt.timedelta(seconds=1))
        actions.retry_due()
        row.refresh_from_db()
        if row.next_attempt_at:
            waits.append(row.next_attempt_at - before)
    assert waits[1] > waits[0] and max(waits) <= actions.LONGEST_WAIT + dt.timedelta(seconds=5)
    assert (row.status, row.attempts) == (GeocodeStatus.GAVE_UP, actions.MAX_ATTEMPTS)


@pytest.mark.parametrize(
    "answer",
    [
        addok_answer(score=0.2),
        addok_answer(kind="municipality"),
        addok_answer(citycode="35238"),
        {"type": "FeatureCollection", "features": []},
    ],
)
def test_weak_or_foreign_answers_keep_the_commune(answer, addok, django_capture_on_commit_callbacks):
    addok.start(mode="ok", answer=answer)

    location = save_sheet(django_capture_on_commit_callbacks)

    location.refresh_from_db()
    assert location.precision == Location.Precision.COMMUNE
    assert AddressGeocoding.objects.get(location=location).status == GeocodeStatus.NOT_FOUND


def test_partner_coordinates_finer_than_the_commune_are_never_regeocoded(addok, django_capture_on_commit_callbacks):
    addok.start(mode="ok")
    initiative = make_initiative("Tiers-lieu du port")
    quimper = Commune.objects.get(code="29232")
    with django_capture_on_commit_callbacks(execute=True):
        precise = Location.objects.create(
            initiative=initiative,
            commune=quimper,
            address="1 quai de l'Odet",
            latitude=47.99,
            longitude=-4.1,
            precision=Location.Precision.ADDRESS,
        )

    assert not AddressGeocoding.objects.filter(location=precise).exists()
    precise.refresh_from_db()
    assert (precise.latitude, precise.longitude) == (47.99, -4.1)


def test_scan_queues_addresses_written_in_bulk(addok):
    addok.start(mode="ok")
    initiative = make_initiative("Épicerie solidaire")
    AddressGeocoding.objects.all().delete()
    quimper = Commune.objects.get(code="29232")
    Location.objects.bulk_create(
        [
            Location(
                initiative=initiative,
                commune=quimper,
                address="5 rue Kéréon",
                postal_code="29000",
                latitude=quimper.latitude,
                longitude=quimper.longitude,
            )
        ]
    )

    call_command("geocode_pending", "--scan")

    assert Location.objects.filter(initiative=initiative, precision=Location.Precision.ADDRESS).count() == 2


def test_the_retry_command_without_a_geocoder_says_so(settings, capsys):
    settings.GEOCODER_URL = ""

    call_command("geocode_pending")

    assert "Aucun géocodeur d'adresses configuré" in capsys.readouterr().out
