"""The « Données ouvertes » page, the downloads (content types, French 404) and the DCAT catalogue."""

import json

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from carrefour.opendata.actions import export_open_data
from carrefour.opendata.catalogue import parse_jsonld
from carrefour.opendata.manifest import media_type

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
# What the data.gouv.fr DCAT harvester reads on a dataset (R-DATA-17).
DATASET_FIELDS = (
    DCT.title,
    DCT.description,
    DCAT.keyword,
    DCT.license,
    DCT.issued,
    DCT.modified,
    DCT.identifier,
    DCAT.landingPage,
    DCT.accrualPeriodicity,
)


def test_page_says_not_generated_yet_before_the_first_export(client, db):
    response = client.get("/donnees-ouvertes/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pas encore générée" in text
    assert 'href="/catalog"' in text and 'href="/api/docs"' in text
    assert "Licence Ouverte" in text and "ODbL" in text


def test_page_lists_each_file_with_size_and_date(client, catalogue):
    export_open_data()
    text = client.get("/donnees-ouvertes/").content.decode()
    assert "Pas encore générée" not in text
    for name in (
        "carrefour-initiatives.csv",
        "carrefour-lieux-odbl.geojson",
        "carrefour-structures-data-inclusion.json",
    ):
        assert f'href="/donnees-ouvertes/{name}"' in text
    assert "octets" in text or "Ko" in text
    assert 'href="/donnees-ouvertes/LISEZMOI.txt"' in text


def test_footer_links_to_the_open_data_page(client, db):
    assert 'href="/donnees-ouvertes/">Données ouvertes</a>' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("carrefour-initiatives.csv", "text/csv; charset=utf-8"),
        ("carrefour-lieux.geojson", "application/geo+json"),
        ("carrefour-initiatives-odbl.jsonld", "application/ld+json"),
        ("carrefour-structures-data-inclusion.json", "application/json"),
        ("LISEZMOI.txt", "text/plain; charset=utf-8"),
    ],
)
def test_downloads_have_their_content_type(client, catalogue, name, content_type):
    export_open_data()
    response = client.get(f"/donnees-ouvertes/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content)
    response.close()


def test_missing_file_is_a_french_404(client, db):
    response = client.get("/donnees-ouvertes/carrefour-initiatives.csv")
    assert response.status_code == 404
    assert "n'a pas encore été généré" in response.content.decode()
    unknown = client.get("/donnees-ouvertes/secret_key")
    assert unknown.status_code == 404
    assert "Aucun fichier de données ouvertes" in unknown.content.decode()


def test_only_export_files_can_be_downloaded(client, db, settings, exports_folder):
    exports_folder.mkdir(parents=True)
    (exports_folder / "notes.txt").write_text("privé")
    assert media_type("notes.txt") is None
    assert client.get("/donnees-ouvertes/notes.txt").status_code == 404
    assert client.get("/donnees-ouvertes/../secret_key").status_code == 404


def test_data_inclusion_address_of_the_requirement_serves_the_structures(client, catalogue):
    export_open_data(["datainclusion"])
    response = client.get("/export/data-inclusion/structures.json")
    assert response.status_code == 200
    structures = json.loads(b"".join(response.streaming_content))
    response.close()
    assert structures[0]["source"] == "carrefour-innovations-sociales"


def dcat_graph(client, **kwargs) -> Graph:
    response = client.get("/catalog", **kwargs)
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/turtle"):
        return Graph().parse(data=response.content.decode(), format="turtle")
    return parse_jsonld(response.content.decode())


def check_catalogue(graph: Graph) -> None:
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    datasets = list(graph.objects(catalogs[0], DCAT.dataset))
    assert len(datasets) == 2
    licences = {str(graph.value(dataset, DCT.license)) for dataset in datasets}
    assert licences == {
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    }
    for dataset in datasets:
        missing = [str(field) for field in DATASET_FIELDS if graph.value(dataset, field) is None]
        assert not missing, f"{dataset} lacks {missing}"
        assert graph.value(dataset, DCT.spatial) == URIRef(
            "http://publications.europa.eu/resource/authority/country/FRA"
        )
        contact = graph.value(dataset, DCAT.contactPoint)
        assert str(graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))).startswith("mailto:")
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 4
        for distribution in distributions:
            for field in (DCAT.downloadURL, DCAT.mediaType, DCT.license, DCAT.byteSize, DCT.modified):
                assert graph.value(distribution, field) is not None, f"{distribution} lacks {field}"
            assert graph.value(distribution, DCT.license) == graph.value(dataset, DCT.license)
            assert int(graph.value(distribution, DCAT.byteSize)) > 0


def test_dcat_catalogue_in_json_ld_by_default(client, catalogue):
    export_open_data()
    response = client.get("/catalog")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Vary"] == "Accept"
    check_catalogue(dcat_graph(client))


def test_dcat_catalogue_in_turtle_on_request(client, catalogue):
    export_open_data()
    by_accept = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert by_accept["Content-Type"] == "text/turtle; charset=utf-8"
    check_catalogue(dcat_graph(client, headers={"Accept": "text/turtle"}))
    check_catalogue(dcat_graph(client, data={"format": "ttl"}))


def test_dcat_distribution_download_urls_answer(client, catalogue):
    export_open_data()
    graph = dcat_graph(client)
    urls = [str(url) for url in graph.objects(None, DCAT.downloadURL)]
    assert len(urls) == 8
    for url in urls:
        path = url.removeprefix("https://carrefour.example.org")
        response = client.get(path)
        response.close()
        assert response.status_code == 200, path


def test_dcat_lists_no_distribution_before_the_first_export(client, db):
    graph = dcat_graph(client)
    assert list(graph.subjects(RDF.type, DCAT.Dataset))
    assert not list(graph.subjects(RDF.type, DCAT.Distribution))


def test_unknown_dcat_format_is_a_french_400(client, db):
    response = client.get("/catalog", {"format": "xml"})
    assert response.status_code == 400
    assert "Format inconnu" in response.content.decode()
