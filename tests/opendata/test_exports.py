"""The open-data files: CSV round-trip, GeoJSON order and structure, JSON-LD graph, data·inclusion schema,
no personal data anywhere, the share-alike rule, and an idempotent command."""

import csv
import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from rdflib import RDF, Literal, Namespace, URIRef

from carrefour.core.models import AuditEvent, EventType
from carrefour.opendata.actions import export_open_data
from carrefour.opendata.catalogue import parse_jsonld
from carrefour.opendata.exports import FORMATS
from carrefour.opendata.exports.csvfile import columns
from carrefour.opendata.exports.datainclusion import plain_text
from carrefour.opendata.licences import distributions
from carrefour.sources.models import Licence
from tests.factories import make_initiative, make_organisation
from tests.opendata.conftest import LONG_DESCRIPTION, PERSON_NAME, PERSONAL_EMAIL, PERSONAL_PHONE, PERSONAL_PHONE_E164

SCHEMA_ORG = Namespace("http://schema.org/")
DI_SCHEMA = Path(__file__).resolve().parents[2] / "carrefour/opendata/data/data-inclusion-structure-v1.json"


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def csv_rows(folder: Path, name: str = "carrefour-initiatives.csv") -> list[dict]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(catalogue, exports_folder):
    export_open_data()
    return exports_folder


def test_csv_round_trips_accents_commas_quotes_and_newlines(exported, catalogue):
    raw = (exported / "carrefour-initiatives.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without a byte-order mark, as documented"
    assert raw.split(b"\n", 1)[0].endswith(b"\r"), "CRLF line ends (RFC 4180)"
    rows = {row["id"]: row for row in csv_rows(exported)}
    tricky = catalogue["tricky"]
    row = rows[tricky.slug]
    assert row["nom"] == tricky.name == "Repair Café « L'Établi », Quimper, dit \"le Rep'\""
    assert row["description"] == tricky.description
    assert "\n" in row["description"] and "," in row["description"]
    assert row["porteurs"] == "Les Ateliers du Steir, « réparer » ensemble"
    assert row["code_insee"] == "29232" and row["commune"] == "Quimper"
    assert row["source"] == "atlas-local" and row["source_id"] == "A-1"
    assert row["lien_source"] == "https://atlas-local.example.org/fiches/A-1"
    assert row["url"] == f"https://carrefour.example.org/initiatives/{tricky.slug}/"
    assert row["licence"] == "etalab-2.0"
    assert float(row["longitude"]) == pytest.approx(tricky.locations.get().longitude)


def test_csv_header_is_the_table_schema_and_multiple_values_use_a_bar(exported, catalogue):
    with (exported / "carrefour-initiatives.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    schema = json.loads(read(exported, "schema-initiatives.json"))
    assert header == [field["name"] for field in schema["fields"]] == list(columns())
    mixed = {row["id"]: row for row in csv_rows(exported, "carrefour-initiatives-odbl.csv")}[catalogue["mixed"].slug]
    assert mixed["source"] == "carto-libre|atlas-local"
    assert mixed["source_id"] == "osm-43|A-2"


def test_geojson_is_rfc7946_with_longitude_first(exported, catalogue):
    data = json.loads(read(exported, "carrefour-lieux.geojson"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert data["license"] == "etalab-2.0" and "Carrefour des innovations sociales" in data["attribution"]
    assert data["features"]
    for feature in data["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert "latitude" not in feature["properties"] and "longitude" not in feature["properties"]
    quimper = next(f for f in data["features"] if f["properties"]["id"] == catalogue["tricky"].slug)
    lon, lat = quimper["geometry"]["coordinates"]
    assert lon == pytest.approx(-4.1, abs=0.1) and lat == pytest.approx(48.0, abs=0.1), "[longitude, latitude]"
    assert quimper["properties"]["code_insee"] == "29232"
    assert quimper["properties"]["licence"] == "etalab-2.0"


def test_jsonld_parses_with_rdflib_and_describes_projects(exported, catalogue):
    graph = parse_jsonld(read(exported, "carrefour-initiatives.jsonld"))
    projects = set(graph.subjects(RDF.type, SCHEMA_ORG.Project))
    published_etalab = {catalogue[key] for key in ("tricky", "mixed", "native")}
    assert {URIRef(f"https://carrefour.example.org/initiatives/{i.slug}/") for i in published_etalab} == projects
    tricky = URIRef(f"https://carrefour.example.org/initiatives/{catalogue['tricky'].slug}/")
    assert (tricky, SCHEMA_ORG.name, Literal(catalogue["tricky"].name)) in graph
    datasets = list(graph.subjects(RDF.type, SCHEMA_ORG.Dataset))
    assert len(datasets) == 1
    licence = graph.value(datasets[0], SCHEMA_ORG.license)
    assert licence == URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    assert "Carrefour des innovations sociales" in str(graph.value(datasets[0], SCHEMA_ORG.creditText))


def test_no_personal_data_in_any_file(exported):
    files = [path for path in exported.iterdir() if path.is_file()]
    assert len(files) == 2 * len(FORMATS) + 3  # both licences, plus README, schema and manifest
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in (PERSONAL_EMAIL, PERSONAL_PHONE, PERSONAL_PHONE_E164, PERSON_NAME, "brouillon@exemple.fr"):
            assert secret not in text, f"{secret!r} found in {path.name}"
        assert "contact_email" not in text and "contact_nom_prenom" not in text


def test_each_export_holds_only_its_public_allowlist(exported):
    rows = csv_rows(exported)
    assert set(rows[0]) == set(columns())
    features = json.loads(read(exported, "carrefour-lieux.geojson"))["features"]
    allowed = (set(columns()) - {"description", "latitude", "longitude", "autres_codes_insee"}) | {"lieu", "precision"}
    assert {key for feature in features for key in feature["properties"]} == allowed


def test_share_alike_records_only_in_odbl_files_and_unknown_licences_nowhere(exported, catalogue):
    by_dist = {dist.key: dist for dist in distributions()}
    assert [dist.licence for dist in by_dist.values()] == [Licence.ETALAB, Licence.ODBL]
    for export in FORMATS.values():
        if export.key == "datainclusion":
            continue
        etalab = read(exported, export.filename(by_dist["etalab"]))
        odbl = read(exported, export.filename(by_dist["odbl"]))
        for key in ("tricky", "mixed", "native"):
            assert catalogue[key].slug in etalab and catalogue[key].slug in odbl, (export.key, key)
        for key in ("odbl_only", "sa_only"):
            assert catalogue[key].slug not in etalab, (export.key, key)
            assert catalogue[key].slug in odbl, (export.key, key)
        for key in ("other_only", "draft"):
            assert catalogue[key].slug not in etalab + odbl, (export.key, key)
    odbl_rows = csv_rows(exported, "carrefour-initiatives-odbl.csv")
    assert {row["licence"] for row in odbl_rows} == {"odbl-1.0"}
    manifest = json.loads(read(exported, "metadata.json"))
    assert manifest["excluded_unknown_licence"] == 1


def test_data_inclusion_structures_validate_against_the_pinned_schema(exported, catalogue):
    validator = jsonschema.Draft202012Validator(
        json.loads(DI_SCHEMA.read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
    )
    structures = json.loads(read(exported, "carrefour-structures-data-inclusion.json"))
    assert [item["nom"] for item in structures] == ["Les Ateliers du Steir, « réparer » ensemble"]
    for item in structures:
        assert not list(validator.iter_errors(item))
    assert structures[0]["description"] == LONG_DESCRIPTION
    assert structures[0]["courriel"] is None and structures[0]["telephone"] is None
    manifest = json.loads(read(exported, "metadata.json"))
    counts = manifest["files"]["carrefour-structures-data-inclusion.json"]["counts"]
    assert counts["excluded"] == {"description_trop_courte": 2}  # the factory's organisations have no description


def test_data_inclusion_export_of_a_hundred_sheets_has_no_validation_error(db, exports_folder):
    for index in range(100):
        organisation = make_organisation(
            f"Association n°{index} pour l'entraide.", description=f"**Présentation** {index}. {LONG_DESCRIPTION}"
        )
        make_initiative(f"Initiative numéro {index}", organisation=organisation)
    short = make_organisation("Collectif bref", description="Trop court.")
    make_initiative("Initiative au porteur trop bref", organisation=short)
    export_open_data(["datainclusion"])
    validator = jsonschema.Draft202012Validator(json.loads(DI_SCHEMA.read_text(encoding="utf-8")))
    structures = json.loads(read(exports_folder, "carrefour-structures-data-inclusion.json"))
    assert len(structures) == 100
    assert sum(len(list(validator.iter_errors(item))) for item in structures) == 0
    assert all(not item["nom"].endswith(".") for item in structures)
    assert "**" not in structures[0]["description"]


def test_markdown_becomes_plain_text_for_data_inclusion():
    assert (
        plain_text("## Titre\n\nDu **gras** et un [lien](https://exemple.fr) & co.")
        == "Titre\nDu gras et un lien & co."
    )


def test_command_is_idempotent_and_ends_with_one_json_line(catalogue, exports_folder, capsys):
    call_command("export_open_data")
    first = {path.name: path.read_bytes() for path in exports_folder.iterdir() if path.name != "metadata.json"}
    call_command("export_open_data")
    out = capsys.readouterr().out.strip().splitlines()
    second = {path.name: path.read_bytes() for path in exports_folder.iterdir() if path.name != "metadata.json"}
    assert first == second
    assert not [name for name in second if name.endswith(".tmp")]
    summary = json.loads(out[-1])
    assert summary["files"]["carrefour-initiatives.csv"]["rows"] == 3
    assert summary["files"]["carrefour-initiatives-odbl.csv"]["rows"] == 5
    assert summary["files"]["carrefour-lieux.geojson"]["bytes"] == len(second["carrefour-lieux.geojson"])
    assert summary["excluded_unknown_licence"] == 1
    events = AuditEvent.objects.filter(event_type=EventType.OPEN_DATA_EXPORTED)
    assert events.count() == 2
    assert events.first().data["files"]["carrefour-initiatives-odbl.csv"] == {"rows": 5}


def test_command_regenerates_one_format_and_keeps_the_others(catalogue, exports_folder, capsys):
    call_command("export_open_data", "--format", "csv")
    assert sorted(path.name for path in exports_folder.iterdir() if path.suffix == ".csv") == [
        "carrefour-initiatives-odbl.csv",
        "carrefour-initiatives.csv",
    ]
    assert not (exports_folder / "carrefour-lieux.geojson").exists()
    call_command("export_open_data", "--format", "geojson")
    manifest = json.loads(read(exports_folder, "metadata.json"))
    assert {"carrefour-initiatives.csv", "carrefour-lieux.geojson"} <= set(manifest["files"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(summary["files"]) == {"carrefour-lieux.geojson", "carrefour-lieux-odbl.geojson"}


def test_a_failed_export_leaves_the_previous_file_in_place(catalogue, exports_folder, monkeypatch):
    export_open_data(["csv"])
    before = (exports_folder / "carrefour-initiatives.csv").read_bytes()

    def broken(handle, context):
        handle.write("half a file")
        raise RuntimeError("disk full")

    monkeypatch.setitem(FORMATS, "csv", dataclasses.replace(FORMATS["csv"], write=broken))
    with pytest.raises(RuntimeError):
        export_open_data(["csv"])
    assert (exports_folder / "carrefour-initiatives.csv").read_bytes() == before
    assert not list(exports_folder.glob(".*.tmp"))


def test_readme_states_licences_attribution_and_sources(exported):
    text = read(exported, "LISEZMOI.txt")
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in text
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in text
    assert "Réseau carto-libre (carto-libre)" in text and "ODbL" in text
    assert "mise à jour du" in text
    assert "sans BOM" in text
