"""Partner writes: Bearer tokens (hashed, scoped, revocable), site validation, moderation, If-Match (428/412/200)."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from carrefour.api import actions
from carrefour.api.models import ApiToken
from carrefour.api.tokens import token_hash
from carrefour.catalog.models import Initiative, Term, Vocabulary
from carrefour.contributions.models import Revision
from carrefour.core.models import AuditEvent
from carrefour.sources.models import SourceRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    source = factories.make_api_source()
    token, value = factories.make_api_token(source=source)
    own = factories.make_sourced_initiative(source)
    return {"source": source, "token": token, "value": value, "own": own}


def new_sheet(**overrides) -> dict:
    theme = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True).order_by("position").first()
    return {
        "name": "Atelier vélo solidaire de Brest",
        "summary": "Un atelier où chacun apprend à réparer son vélo avec des bénévoles, à prix libre.",
        "description": "Ouvert le mercredi et le samedi.",
        "commune": "29019",
        "themes": [theme.code],
        "contact_channel": "relay",
        "contact_email": "atelier.velo@exemple.fr",
        "source_id": "TL-900",
        **overrides,
    }


def send(method: str, url: str, body, token: str | None = None, **headers):
    client = Client(enforce_csrf_checks=True)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.generic(method, url, data, content_type=headers.pop("content_type", "application/json"),
                          headers=headers)  # fmt: skip


def etag_of(initiative) -> str:
    return Client().get(f"/api/v1/initiatives/{initiative.pk}")["ETag"]


def test_tokens_are_stored_hashed_and_printed_once_by_the_command(capsys, partner):
    call_command("api_token", "create", "--source", partner["source"].slug, "--name", "Flux du réseau")
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(name="Flux du réseau")
    assert printed.startswith("cis_") and len(printed) > 40
    assert token.token_hash == token_hash(printed) and printed not in (token.token_hash, token.prefix)
    assert printed.startswith(token.prefix)
    assert not ApiToken.objects.filter(token_hash=printed).exists()
    assert AuditEvent.objects.filter(event_type="api_token_created", object_id=str(token.pk)).exists()


def test_create_goes_to_moderation_for_the_token_source(partner):
    response = send("POST", "/api/v1/initiatives", new_sheet(), partner["value"])
    assert response.status_code == 201, response.content
    data = response.json()
    created = Initiative.objects.get(pk=data["id"])
    assert created.status == Initiative.Status.SUBMITTED and data["status"] == "submitted"
    assert created.contact_email == "atelier.velo@exemple.fr"
    record = SourceRecord.objects.get(initiative=created)
    assert (record.source, record.external_id) == (partner["source"], "TL-900")
    proposal = Revision.objects.get(initiative=created, kind=Revision.Kind.PROPOSAL)
    assert proposal.status == Revision.Status.PENDING  # in the moderation queue, like a site proposal
    assert proposal.author == partner["token"].created_by
    assert AuditEvent.objects.filter(event_type="api_initiative_submitted", object_id=str(created.pk)).exists()
    assert Client().get(f"/api/v1/initiatives/{created.pk}").status_code == 404  # not public before moderation


def test_create_uses_the_site_validation_with_french_messages(partner):
    response = send("POST", "/api/v1/initiatives", new_sheet(name="", commune="Atlantide-sur-Mer", contact_email=""),
                    partner["value"])  # fmt: skip
    assert response.status_code == 400
    errors = {error["param"]: error["message"] for error in response.json()["errors"]}
    assert "name" in errors and "obligatoire" in errors["name"]
    assert "commune" in errors
    assert "contact_email" in errors  # the relay needs an address, as on the site
    assert not Initiative.objects.filter(name="").exists()


@pytest.mark.parametrize("field", ["status", "version", "source", "merged_into", "id", "published_at"])
def test_moderation_fields_cannot_be_set(partner, field):
    response = send("POST", "/api/v1/initiatives", new_sheet(**{field: "published"}), partner["value"])
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert not Initiative.objects.filter(name="Atelier vélo solidaire de Brest").exists()


def test_wrong_json_types_and_content_types_are_refused(partner):
    assert send("POST", "/api/v1/initiatives", new_sheet(themes="ENV"), partner["value"]).status_code == 400
    assert send("POST", "/api/v1/initiatives", new_sheet(start_year=True), partner["value"]).status_code == 400
    assert send("POST", "/api/v1/initiatives", "[1, 2]", partner["value"]).status_code == 400
    assert send("POST", "/api/v1/initiatives", "{pas du json", partner["value"]).status_code == 400
    form = send("POST", "/api/v1/initiatives", "name=x", partner["value"], content_type="text/plain")
    assert form.status_code == 415


def test_a_source_id_already_used_is_a_conflict(partner):
    response = send("POST", "/api/v1/initiatives", new_sheet(source_id="TL-001"), partner["value"])
    assert response.status_code == 409


def test_writes_need_a_valid_unrevoked_token(partner):
    anonymous = send("POST", "/api/v1/initiatives", new_sheet())
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Bearer")
    assert send("POST", "/api/v1/initiatives", new_sheet(), "cis_inventé").status_code == 401
    actions.revoke_token(partner["token"])
    revoked = send("POST", "/api/v1/initiatives", new_sheet(), partner["value"])
    assert revoked.status_code == 401 and "révoqué" in revoked.json()["error"]


def test_a_session_does_not_authorise_writes(client, partner):
    client.force_login(factories.make_administrator())
    response = client.post("/api/v1/initiatives", json.dumps(new_sheet()), content_type="application/json")
    assert response.status_code == 401


def test_update_without_if_match_is_428_and_changes_nothing(partner):
    own = partner["own"]
    response = send("PATCH", f"/api/v1/initiatives/{own.pk}", {"summary": "Résumé modifié par le réseau."},
                    partner["value"])  # fmt: skip
    assert response.status_code == 428
    own.refresh_from_db()
    assert own.summary != "Résumé modifié par le réseau." and own.version == 1


def test_update_with_a_stale_etag_is_412_and_changes_nothing(partner):
    own = partner["own"]
    stale = etag_of(own)
    own.summary = "Modifié sur le site entre-temps par la modération."
    own.version += 1
    own.save()
    response = send("PATCH", f"/api/v1/initiatives/{own.pk}", {"summary": "Résumé modifié par le réseau."},
                    partner["value"], If_Match=stale)  # fmt: skip
    assert response.status_code == 412
    assert response["ETag"] == etag_of(own)
    own.refresh_from_db()
    assert own.summary == "Modifié sur le site entre-temps par la modération."


def test_update_with_the_current_etag_applies_and_gives_the_new_etag(partner):
    own = partner["own"]
    etag = etag_of(own)
    response = send("PATCH", f"/api/v1/initiatives/{own.pk}", {"summary": "Résumé modifié par le réseau.",
                    "address": "5 place de la Gare"}, partner["value"], If_Match=etag)  # fmt: skip
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert own.summary == "Résumé modifié par le réseau." and own.version == 2
    assert own.locations.get().address == "5 place de la Gare"
    assert response["ETag"] != etag and response["ETag"] == etag_of(own)
    assert response.json()["version"] == 2
    revision = Revision.objects.get(initiative=own, kind=Revision.Kind.DIRECT_EDIT)
    assert revision.status == Revision.Status.APPLIED  # kept in the history, as a curator's edit on the site
    again = send("PATCH", f"/api/v1/initiatives/{own.pk}", {"summary": "Encore."}, partner["value"], If_Match=etag)
    assert again.status_code == 412


def test_put_replaces_the_sheet_and_needs_required_fields(partner):
    own = partner["own"]
    etag = etag_of(own)
    partial = send("PUT", f"/api/v1/initiatives/{own.pk}", {"summary": "Seul."}, partner["value"], If_Match=etag)
    assert partial.status_code == 400
    body = new_sheet(contact_channel="website", contact_email="", website="https://gare.example.fr")
    del body["source_id"]
    full = send("PUT", f"/api/v1/initiatives/{own.pk}", body, partner["value"], If_Match=etag)
    assert full.status_code == 200, full.content
    own.refresh_from_db()
    assert own.name == "Atelier vélo solidaire de Brest" and own.locations.get().commune_id == "29019"


def test_another_sources_record_is_forbidden(partner):
    other = factories.make_initiative("Fiche d'un autre réseau")
    response = send("PATCH", f"/api/v1/initiatives/{other.pk}", {"summary": "Piratage."}, partner["value"],
                    If_Match=etag_of(other))  # fmt: skip
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.summary != "Piratage."
    hidden = factories.make_initiative("Brouillon d'un autre", status=Initiative.Status.DRAFT)
    assert send("PATCH", f"/api/v1/initiatives/{hidden.pk}", {}, partner["value"], If_Match='"1"').status_code == 404


def test_an_organisation_token_updates_the_records_of_its_organisation(partner):
    organisation = partner["own"].stakeholders.get().organisation
    _token, value = factories.make_api_token(organisation=organisation)
    own = partner["own"]
    response = send("PATCH", f"/api/v1/initiatives/{own.slug}", {"start_year": 2015}, value, If_Match=etag_of(own))
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.start_year == 2015


def test_update_refuses_moderation_fields(partner):
    own = partner["own"]
    response = send("PATCH", f"/api/v1/initiatives/{own.pk}", {"status": "archived", "version": 9},
                    partner["value"], If_Match=etag_of(own))  # fmt: skip
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.status == Initiative.Status.PUBLISHED and own.version == 1


def test_write_responses_carry_no_cors_header(partner):
    response = send("POST", "/api/v1/initiatives", new_sheet(), partner["value"], Origin="https://ailleurs.example")
    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response
