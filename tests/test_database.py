"""The suite runs on the database it was meant to run on, and SQLite runs in WAL mode."""

import os

import pytest
from django.db import connection
from django.db.utils import load_backend


@pytest.mark.django_db
def test_suite_runs_on_the_expected_database():
    # CI sets CARREFOUR_EXPECT_DB_VENDOR so that a run meant for PostgreSQL cannot pass on SQLite unnoticed.
    expected = os.environ.get("CARREFOUR_EXPECT_DB_VENDOR")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if expected:
        assert connection.vendor == expected
    else:
        assert connection.vendor in {"sqlite", "postgresql"}


def test_sqlite_database_runs_in_wal_mode(tmp_path, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip(f"journal mode is SQLite's; this run uses {connection.vendor}")
    settings_dict = dict(connection.settings_dict)
    # The test database may live in memory, where WAL does not apply: open a file with the same options.
    settings_dict["NAME"] = str(tmp_path / "wal-check.sqlite3")
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="wal-check")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0].lower() == "wal"
        finally:
            wrapper.close()
