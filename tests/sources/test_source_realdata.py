"""Every real partner file imports with a clear report; a re-import is a no-op (skipped without ../shared)."""

import csv

import pytest

from carrefour.sources.config import CONFIG_DIR, config_files, load_file, register_source
from carrefour.sources.models import SourceRecord
from carrefour.sources.sync import run_import

pytestmark = pytest.mark.django_db

# slug: (rows read, records, rejected rows, located records, a rule expected among warnings or errors)
EXPECTED = {
    "apriles-openscraper-export": (258, 258, 11, 0, "ragged_row"),
    "carrefour-cis-ffe": (303, 150, 0, 149, "coordinates_outside_france"),
    "carrefour-cis-members": (160, 61, 2, 0, "name_required"),
    "carrefour-cis-recompenses": (4, 4, 0, 0, "unlocatable"),
    "france-services-2022": (2683, 2683, 0, 2653, "personal_email"),
    "gogocarto-demo-elements": (12, 12, 0, 12, "personal_phone"),
    "grandlyon-maisons-metropole": (61, 61, 0, 61, "insee_unknown"),
    "mednum-paca-hub-du-sud-2023": (646, 646, 0, 644, "date_placeholder"),
    "mednum-paca-regionsud-2022": (1245, 1228, 0, 1224, "postal_code_repaired"),
    "tierslieux-occitanie-2016": (73, 73, 0, 69, "postal_code_repaired"),
    "tierslieux-occitanie-2017": (104, 101, 0, 101, "personal_email"),
}


@pytest.fixture
def data_root(realdata, settings):
    settings.SOURCES_DATA_DIR = str(realdata)
    settings.SEARCH_APPLY_ON_COMMIT = False
    return realdata


def test_every_real_dataset_has_a_configuration():
    assert sorted(path.stem for path in config_files()) == sorted(EXPECTED)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_real_file_imports_with_expected_counts_and_reimports_as_a_no_op(data_root, slug):
    source = register_source(load_file(CONFIG_DIR / f"{slug}.yaml"))
    rows, records, rejected, located, rule = EXPECTED[slug]
    report = run_import(source)
    assert report.status == "succeeded", report.message
    counts = report.counts
    assert (counts["rows"], counts["records"], counts["rejected"], counts["located"]) == (
        rows, records, rejected, located)  # fmt: skip
    assert counts["created"] == records
    assert rule in {issue["rule"] for issue in report.errors + report.warnings}
    assert all(issue["line"] for issue in report.errors)
    again = run_import(source)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, records)


def test_france_services_changed_field_and_removed_record(data_root, tmp_path):
    source = register_source(load_file(CONFIG_DIR / "france-services-2022.yaml"))
    run_import(source)
    with open(data_root / "france-services-2022" / "liste-fs-20221201.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[10]["lib_fs"] = rows[10]["lib_fs"] + " (nouveau nom)"
    removed = rows.pop(20)["id_fs"]
    path = tmp_path / "france-services.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = run_import(source, path)
    assert (report.counts["created"], report.counts["updated"], report.counts["absent"]) == (0, 1, 1)
    assert SourceRecord.objects.get(source=source, external_id=removed).absent_since is not None
    assert SourceRecord.objects.get(source=source, external_id=rows[10]["id_fs"]).initiative.name.endswith(
        "(nouveau nom)"
    )


def test_damaged_mednum_file_imports_with_a_report(data_root):
    source = register_source(load_file(CONFIG_DIR / "mednum-paca-regionsud-2022.yaml"))
    report = run_import(source)
    assert report.status == "succeeded"
    assert any("U+FFFD" in warning for warning in report.file_warnings)
    assert report.unmapped_tags  # its free-text services are listed for the crosswalk
