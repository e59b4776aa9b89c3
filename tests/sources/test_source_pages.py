"""Automatic mapping, the import command, and the source pages (back office and partner-facing)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from carrefour.sources.automap import propose
from carrefour.sources.models import Source, SourceRecord
from carrefour.sources.sync import run_import
from tests.factories import make_source, source_csv_rows, write_source_csv

pytestmark = pytest.mark.django_db

HEADERLESS = (
    "Espace Coworking du Port,12 rue du Port,29200,Brest,www.port-cowork.fr,contact@port.fr,02 98 00 00 00\n" * 3
)


def test_automap_guesses_french_headers(tmp_path):
    path = write_source_csv(tmp_path / "lieux.csv", source_csv_rows(5), delimiter=";")
    proposal = propose(path)
    assert proposal["connector"] == {"type": "csv", "options": {"delimiter": ";", "encoding": "utf-8"}}
    assert proposal["id"] == "id"
    fields = proposal["fields"]
    assert (fields["name"], fields["insee_code"], fields["latitude"], fields["longitude"]) == (
        "nom", "code_insee", "latitude", "longitude")  # fmt: skip
    assert (fields["email"], fields["phone"], fields["description"], fields["tags"]) == (
        "courriel", "telephone", "description", "thematique")  # fmt: skip


def test_automap_recognises_headerless_columns_by_their_values(tmp_path):
    path = tmp_path / "sans-entete.csv"
    path.write_text(HEADERLESS.replace("Port,", "Port A,", 1), encoding="utf-8")
    proposal = propose(path)
    assert proposal["connector"]["options"]["header"] is False
    fields = proposal["fields"]
    assert fields["email"] == "colonne_6" and fields["website"] == "colonne_5" and fields["postal_code"] == "colonne_3"
    assert fields["name"] == "colonne_1" and fields["commune"] == "colonne_4"


def test_import_command_ends_with_the_json_report(tmp_path, capsys):
    path = write_source_csv(tmp_path / "lieux.csv", source_csv_rows(4))
    call_command("import", "--file", str(path), "--name", "Réseau des lieux de test")
    lines = capsys.readouterr().out.strip().splitlines()
    report = json.loads(lines[-1])
    assert report["status"] == "succeeded" and report["counts"]["created"] == 4
    assert Source.objects.get(slug="reseau-des-lieux-de-test").config["fields"]["name"] == "nom"


def test_sync_sources_registers_every_configuration():
    call_command("sync_sources")
    assert Source.objects.filter(slug="france-services-2022", licence="etalab-2.0").exists()
    assert Source.objects.get(slug="apriles-openscraper-export").config_file.endswith("apriles-openscraper-export.yaml")


def test_partner_page_lists_records_and_their_status(client, tmp_path):
    rows = source_csv_rows(6)
    source = make_source()
    run_import(source, write_source_csv(tmp_path / "a.csv", rows))
    run_import(source, write_source_csv(tmp_path / "b.csv", rows[1:]))
    response = client.get(reverse("sources:records", args=[source.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "absente depuis le" in content and content.count("présente") == 5
    assert SourceRecord.objects.get(external_id="TL-002").initiative.get_absolute_url() in content


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("curatrice", "curatrice@exemple.fr", "mot-de-passe-solide-42")
    client.force_login(user)
    return client


def test_back_office_is_closed_to_anonymous_visitors(client):
    response = client.get(reverse("sources:import_upload"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_upload_propose_adjust_save_then_run(admin_client, tmp_path):
    path = write_source_csv(tmp_path / "lieux.csv", source_csv_rows(3))
    upload = SimpleUploadedFile("lieux.csv", path.read_bytes(), content_type="text/csv")
    response = admin_client.post(reverse("sources:import_upload"), {"name": "Lieux envoyés", "file": upload})
    assert response.status_code == 302
    page = admin_client.get(reverse("sources:import_mapping"))
    assert page.status_code == 200 and "Tiers-lieu de test numéro 3" in page.content.decode()
    form = {"name": "Lieux envoyés", "map_name": "nom", "map_insee_code": "code_insee", "map_description": ""}
    response = admin_client.post(reverse("sources:import_mapping"), form)
    assert response.status_code == 302
    source = Source.objects.get(slug="lieux-envoyes")
    assert "description" not in source.config["fields"]
    response = admin_client.post(reverse("sources:run_now", args=[source.slug]), {"dry_run": "0"})
    assert source.records.count() == 3
    detail = admin_client.get(response["Location"])
    assert detail.status_code == 200
    yaml_response = admin_client.get(reverse("sources:config_yaml", args=[source.slug]))
    assert "slug: lieux-envoyes" in yaml_response.content.decode() and "upload" not in yaml_response.content.decode()


def test_mapping_without_a_name_column_shows_the_error_next_to_the_field(admin_client, tmp_path):
    path = write_source_csv(tmp_path / "lieux.csv", source_csv_rows(2))
    upload = SimpleUploadedFile("lieux.csv", path.read_bytes(), content_type="text/csv")
    admin_client.post(reverse("sources:import_upload"), {"name": "Lieux", "file": upload})
    response = admin_client.post(reverse("sources:import_mapping"), {"name": "Lieux", "map_name": ""})
    content = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in content
    assert "Choisissez la colonne qui donne le nom" in content and not Source.objects.filter(slug="lieux").exists()


def test_unsupported_upload_is_refused_in_french(admin_client):
    upload = SimpleUploadedFile("lieux.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = admin_client.post(reverse("sources:import_upload"), {"name": "Lieux", "file": upload})
    assert response.status_code == 200 and "Format non pris en charge" in response.content.decode()


def test_run_history_shows_errors_with_line_numbers(admin_client, tmp_path):
    rows = source_csv_rows(4)
    rows[2]["nom"] = ""
    source = make_source()
    report = run_import(source, write_source_csv(tmp_path / "a.csv", rows))
    page = admin_client.get(reverse("sources:run_detail", args=[source.slug, report.run_id]))
    content = page.content.decode()
    assert "name_required" in content and "<td>4</td>" in content and "Cuisine" in content
    assert admin_client.get(reverse("sources:run_list", args=[source.slug])).status_code == 200
    assert admin_client.get(reverse("sources:list")).status_code == 200
