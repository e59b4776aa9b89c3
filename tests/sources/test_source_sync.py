"""Sync rules: idempotent upsert, local edits kept as conflicts, absences, rollback, dry run, one run at a time."""

import datetime as dt

import pytest
from django.utils import timezone

from carrefour.catalog.models import Initiative, Location
from carrefour.core.models import AuditEvent
from carrefour.search.models import IndexOutbox
from carrefour.sources import writer as writer_module
from carrefour.sources.models import ImportLock, ImportRun, SourceRecord, SyncConflict
from carrefour.sources.sync import run_import
from carrefour.sources.writer import archive_absent
from tests.factories import make_source, source_csv_rows, write_source_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(tmp_path):
    rows = source_csv_rows(10)
    return rows, write_source_csv(tmp_path / "feed.csv", rows)


def test_first_import_creates_published_located_initiatives_with_provenance(feed):
    rows, path = feed
    source = make_source()
    report = run_import(source, path)
    assert report.status == "succeeded", report.message
    assert report.counts["created"] == 10 and report.counts["located"] == 10 and report.counts["rejected"] == 0
    record = SourceRecord.objects.get(source=source, external_id="TL-002")
    initiative = record.initiative
    assert initiative.status == Initiative.Status.PUBLISHED and initiative.published_at is not None
    assert initiative.locations.get().commune_id == "75056"
    assert set(initiative.themes.values_list("code", flat=True)) == {"CON-REE", "SOL-LIE"}
    assert initiative.contact_email == "contact@tiers-lieu-test.fr"
    assert record.imported_values["phone"] == "+33123456789"
    assert report.unmapped_tags == {"Cuisine": 5}
    assert IndexOutbox.objects.filter(initiative_id=initiative.pk).exists()
    events = AuditEvent.objects.filter(event_type="import_run_finished")
    assert events.count() == 1 and events.get().data["counts"]["created"] == 10


def test_reimporting_the_same_file_changes_nothing(feed):
    _rows, path = feed
    source = make_source()
    run_import(source, path)
    second = run_import(source, path)
    assert (second.counts["created"], second.counts["updated"], second.counts["unchanged"]) == (0, 0, 10)


def test_a_changed_field_updates_exactly_one_record(feed, tmp_path):
    rows, path = feed
    source = make_source()
    run_import(source, path)
    rows[3]["nom"] = "Tiers-lieu renommé par la source"
    report = run_import(source, write_source_csv(tmp_path / "v2.csv", rows))
    assert (report.counts["created"], report.counts["updated"], report.counts["unchanged"]) == (0, 1, 9)
    assert SourceRecord.objects.get(external_id="TL-004").initiative.name == "Tiers-lieu renommé par la source"


def test_a_local_edit_is_kept_and_the_incoming_change_becomes_a_conflict(feed, tmp_path):
    rows, path = feed
    source = make_source()
    run_import(source, path)
    initiative = SourceRecord.objects.get(external_id="TL-001").initiative
    Initiative.objects.filter(pk=initiative.pk).update(name="Nom corrigé par une modératrice")
    rows[0]["nom"] = "Nouveau nom venu de la source"
    report = run_import(source, write_source_csv(tmp_path / "v2.csv", rows))
    initiative.refresh_from_db()
    assert initiative.name == "Nom corrigé par une modératrice"
    conflict = SyncConflict.objects.get()
    assert (conflict.field, conflict.local_value, conflict.incoming_value) == (
        "name", "Nom corrigé par une modératrice", "Nouveau nom venu de la source")  # fmt: skip
    assert report.counts["conflicts"] == 1
    assert AuditEvent.objects.filter(event_type="sync_conflict_created").count() == 1
    # The same incoming value is not queued again on the next run.
    assert run_import(source, write_source_csv(tmp_path / "v3.csv", rows)).counts["conflicts"] == 0


def test_a_removed_record_is_marked_absent_then_archived_after_seven_days(feed, tmp_path):
    rows, path = feed
    source = make_source()
    run_import(source, path)
    report = run_import(source, write_source_csv(tmp_path / "v2.csv", rows[1:]))
    record = SourceRecord.objects.get(external_id="TL-001")
    assert report.counts["absent"] == 1 and record.absent_since is not None
    assert record.initiative.status == Initiative.Status.PUBLISHED  # still public before day 7
    assert archive_absent(source, timezone.now() + dt.timedelta(days=6)) == []
    assert archive_absent(source, timezone.now() + dt.timedelta(days=8)) == [record.initiative_id]
    record.refresh_from_db()
    assert record.initiative.status == Initiative.Status.ARCHIVED and SourceRecord.objects.filter(pk=record.pk).exists()
    back = run_import(source, path)
    record.refresh_from_db()
    assert back.counts["returned"] == 1 and record.absent_since is None
    assert record.initiative.status == Initiative.Status.PUBLISHED


def test_a_run_that_would_remove_more_than_a_fifth_of_a_source_aborts(feed, tmp_path):
    rows, path = feed
    source = make_source()
    run_import(source, path)
    report = run_import(source, write_source_csv(tmp_path / "v2.csv", rows[3:]))
    assert report.status == "failed" and "30 %" in report.message
    assert not SourceRecord.objects.exclude(absent_since=None).exists()
    assert ImportRun.objects.filter(status="failed").count() == 1


def test_strict_policy_rejects_the_run_on_one_invalid_row(feed, tmp_path):
    rows, _path = feed
    rows[4]["nom"] = "AB"
    source = make_source(row_policy="strict")
    report = run_import(source, write_source_csv(tmp_path / "bad.csv", rows))
    assert report.status == "failed" and Initiative.objects.count() == 0
    assert [(error["line"], error["rule"]) for error in report.errors] == [(6, "name_length")]


def test_lenient_policy_skips_and_reports_exactly_the_bad_rows(feed, tmp_path):
    rows, _path = feed
    for index in (1, 4, 7):
        rows[index]["nom"] = ""
    report = run_import(make_source(), write_source_csv(tmp_path / "bad.csv", rows))
    assert report.counts["created"] == 7 and report.counts["rejected"] == 3
    assert sorted(error["line"] for error in report.errors) == [3, 6, 9]


def test_a_fatal_error_during_writing_rolls_everything_back(feed, monkeypatch):
    _rows, path = feed
    source = make_source()

    def broken(self, items):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(writer_module.Writer, "_add_terms", broken)
    report = run_import(source, path)
    assert report.status == "failed" and "disque plein" in report.message
    assert Initiative.objects.count() == 0 and Location.objects.count() == 0 and SourceRecord.objects.count() == 0
    assert ImportRun.objects.get().status == "failed"


def test_dry_run_reports_but_writes_nothing(feed):
    _rows, path = feed
    report = run_import(make_source(), path, dry_run=True)
    assert report.counts["created"] == 10
    assert Initiative.objects.count() == 0 and SourceRecord.objects.count() == 0


def test_a_second_simultaneous_run_of_the_same_source_is_refused(feed):
    _rows, path = feed
    source = make_source()
    ImportLock.objects.create(source=source, holder="autre-processus", acquired_at=timezone.now())
    report = run_import(source, path)
    assert report.status == "refused" and Initiative.objects.count() == 0
    assert ImportLock.objects.get(source=source).holder == "autre-processus"


def test_a_record_merged_by_deduplication_updates_the_survivor(feed, tmp_path):
    rows, path = feed
    source = make_source()
    run_import(source, path)
    record = SourceRecord.objects.get(external_id="TL-005")
    survivor = SourceRecord.objects.get(external_id="TL-006").initiative
    Initiative.objects.filter(pk=record.initiative_id).update(merged_into=survivor, status=Initiative.Status.ARCHIVED)
    rows[4]["description"] = "Une description entièrement nouvelle, envoyée par la source partenaire cette semaine."
    run_import(source, write_source_csv(tmp_path / "v2.csv", rows))
    survivor.refresh_from_db()
    assert survivor.description.startswith("Une description entièrement nouvelle")
    assert Initiative.objects.get(pk=record.initiative_id).merged_into_id == survivor.pk


def test_personal_emails_and_mobiles_are_never_stored(feed, tmp_path):
    rows, _path = feed
    rows[0]["courriel"] = "jeanne.martin@exemple.fr"
    rows[0]["telephone"] = "06 12 34 56 78"
    run_import(make_source(), write_source_csv(tmp_path / "perso.csv", rows))
    record = SourceRecord.objects.get(external_id="TL-001")
    stored = str(record.payload) + str(record.imported_values) + record.initiative.contact_email
    assert "jeanne" not in stored and "612345678" not in stored and "06 12" not in stored


def test_a_lock_left_by_a_killed_process_on_this_host_is_taken_over_and_its_run_marked_failed(feed):
    import socket
    import subprocess
    import sys

    _rows, path = feed
    source = make_source()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed_run = ImportRun.objects.create(source=source, started_at=timezone.now())
    holder = f"{socket.gethostname()}:{int(dead.stdout)}:{killed_run.pk}:deadbeef"
    ImportLock.objects.create(source=source, holder=holder, acquired_at=timezone.now())

    report = run_import(source, path)

    assert report.status == "succeeded" and Initiative.objects.count() == 10
    killed_run.refresh_from_db()
    assert killed_run.status == "failed" and "interrompu" in killed_run.message


def test_a_lock_held_by_a_live_process_is_not_taken_over(feed):
    import os
    import socket

    _rows, path = feed
    source = make_source()
    ImportLock.objects.create(
        source=source, holder=f"{socket.gethostname()}:{os.getppid()}:1:x", acquired_at=timezone.now()
    )
    assert run_import(source, path).status == "refused"
