"""Sync conflicts reach the moderation queue; a moderator keeps the local value or takes the partner's."""

import pytest
from django.urls import reverse

from carrefour.core.models import AuditEvent
from carrefour.moderation.queue import QueueFilters, collect
from carrefour.sources import actions
from carrefour.sources.models import ConflictStatus, SourceRecord, SyncConflict
from carrefour.sources.sync import run_import
from carrefour.territories.models import Region
from tests.factories import (
    login_with_second_factor,
    make_curator,
    make_import_run,
    make_moderator,
    make_source,
    make_sync_conflict,
    make_user,
    source_csv_rows,
    write_source_csv,
)

pytestmark = pytest.mark.django_db


def test_an_open_conflict_is_listed_in_the_moderation_queue_with_both_values():
    conflict = make_sync_conflict()
    items = [item for item in collect(QueueFilters(kind="source_conflict")) if item.pk == conflict.pk]
    assert len(items) == 1
    item = items[0]
    assert item.url == reverse("sources:conflict", kwargs={"pk": conflict.pk})
    assert item.initiative == conflict.record.initiative and item.author == conflict.record.source.name
    assert "Nom corrigé ici" in item.detail and "Nom venu de la source" in item.detail
    actions.keep_local_value(conflict, make_moderator())
    assert not [item for item in collect(QueueFilters(kind="source_conflict")) if item.pk == conflict.pk]


def test_the_queue_shows_a_conflict_only_to_moderators_whose_scope_covers_it():
    conflict = make_sync_conflict()
    here = Region.objects.filter(communes__locations__initiative=conflict.initiative).first()
    elsewhere = Region.objects.exclude(pk=here.pk).first()
    in_scope, out_of_scope = make_moderator(regions=[here]), make_moderator(regions=[elsewhere])
    assert conflict.pk in [item.pk for item in collect(QueueFilters(kind="source_conflict"), in_scope)]
    assert conflict.pk not in [item.pk for item in collect(QueueFilters(kind="source_conflict"), out_of_scope)]


def test_the_conflict_page_shows_the_field_the_local_and_the_incoming_value(client):
    conflict = make_sync_conflict()
    login_with_second_factor(client, make_moderator())
    page = client.get(reverse("sources:conflict", kwargs={"pk": conflict.pk})).content.decode()
    for text in ("Conflit de synchronisation : nom", "Nom corrigé ici", "Nom venu de la source",
                 "Garder la valeur locale", "Prendre la valeur de la source", "Réseau test"):  # fmt: skip
        assert text in page


def test_keeping_the_local_value_leaves_the_sheet_and_writes_an_audit_event(client):
    conflict = make_sync_conflict()
    moderator = make_moderator()
    login_with_second_factor(client, moderator)
    response = client.post(reverse("sources:decide_conflict", kwargs={"pk": conflict.pk}), {"decision": "keep_local"})
    assert response.status_code == 302 and response["Location"] == reverse("moderation:queue")
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.KEPT_LOCAL and conflict.decided_by == moderator
    assert conflict.initiative.name == "Nom corrigé ici"
    event = AuditEvent.objects.get(event_type="sync_conflict_kept_local")
    assert event.actor == moderator and event.data["field"] == "name"


def test_taking_the_incoming_value_updates_the_sheet_and_bumps_its_version(client):
    conflict = make_sync_conflict()
    before = conflict.initiative.version
    login_with_second_factor(client, make_moderator())
    client.post(reverse("sources:decide_conflict", kwargs={"pk": conflict.pk}), {"decision": "take_incoming"})
    conflict.refresh_from_db()
    initiative = conflict.initiative
    assert conflict.status == ConflictStatus.TOOK_INCOMING
    assert initiative.name == "Nom venu de la source" and initiative.version == before + 1
    event = AuditEvent.objects.get(event_type="sync_conflict_took_incoming")
    assert event.data["replaced"] == "Nom corrigé ici" and event.data["applied"] == "Nom venu de la source"


def test_a_decided_conflict_cannot_be_decided_again(client):
    conflict = make_sync_conflict()
    actions.keep_local_value(conflict, make_moderator())
    with pytest.raises(actions.ConflictDecisionError):
        actions.take_incoming_value(conflict, make_moderator())
    login_with_second_factor(client, make_moderator())
    response = client.post(reverse("sources:decide_conflict", kwargs={"pk": conflict.pk}), {"decision": "keep_local"})
    assert response.status_code == 400 and "déjà été tranché" in response.content.decode()


def test_a_decision_without_a_choice_is_refused_with_a_french_message(client):
    conflict = make_sync_conflict()
    login_with_second_factor(client, make_moderator())
    response = client.post(reverse("sources:decide_conflict", kwargs={"pk": conflict.pk}), {"decision": "supprimer"})
    assert response.status_code == 400
    assert "Choisissez « Garder la valeur locale »" in response.content.decode()
    assert SyncConflict.objects.get(pk=conflict.pk).status == ConflictStatus.OPEN


def test_a_contributor_cannot_decide_a_conflict(client):
    conflict = make_sync_conflict()
    client.force_login(make_user())
    response = client.post(reverse("sources:decide_conflict", kwargs={"pk": conflict.pk}), {"decision": "keep_local"})
    assert response.status_code == 403
    assert SyncConflict.objects.get(pk=conflict.pk).status == ConflictStatus.OPEN


def test_taking_incoming_terms_and_places_replaces_them_and_the_next_import_is_quiet(tmp_path):
    rows = source_csv_rows(3)
    source = make_source()
    run_import(source, write_source_csv(tmp_path / "v1.csv", rows))
    record = SourceRecord.objects.get(source=source, external_id="TL-002")
    initiative = record.initiative
    initiative.themes.clear()  # a moderator removed the themes here
    initiative.locations.update(address="Place de la Mairie")  # and wrote an address
    rows[1]["thematique"] = "Réemploi"  # the partner now says « Réemploi » only…
    rows[1]["code_insee"], rows[1]["latitude"], rows[1]["longitude"] = "29232", "47.996", "-4.102"  # …in Quimper
    report = run_import(source, write_source_csv(tmp_path / "v2.csv", rows))
    assert report.counts["conflicts"] == 2
    moderator = make_moderator()
    for conflict in SyncConflict.objects.filter(record=record):
        actions.take_incoming_value(conflict, moderator)
    initiative.refresh_from_db()
    assert list(initiative.themes.values_list("code", flat=True)) == ["CON-REE"]
    assert list(initiative.locations.values_list("commune_id", "address")) == [("29232", "")]
    again = run_import(source, write_source_csv(tmp_path / "v3.csv", rows))
    assert (again.counts["conflicts"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, 3)


def test_a_curator_of_the_source_reaches_its_back_office_pages_and_no_other(client):
    source = make_source()
    other = make_source(slug="autre-reseau", name="Autre réseau")
    run = make_import_run(source)
    client.force_login(make_curator(source=source))
    assert client.get(reverse("sources:run_list", kwargs={"slug": source.slug})).status_code == 200
    assert client.get(reverse("sources:run_detail", kwargs={"slug": source.slug, "run_id": run.pk})).status_code == 200
    assert client.get(reverse("sources:config_yaml", kwargs={"slug": source.slug})).status_code == 200
    assert client.get(reverse("sources:run_list", kwargs={"slug": other.slug})).status_code == 403
    assert client.get(reverse("sources:config_yaml", kwargs={"slug": other.slug})).status_code == 403
