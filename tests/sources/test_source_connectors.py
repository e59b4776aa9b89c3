"""Connectors read real-world shapes: encodings, separators, header-less and ragged CSV, XLSX, JSON, GeoJSON, HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from openpyxl import Workbook

from carrefour.sources import connectors
from carrefour.sources.connectors import ConnectorError

CP1252_TEXT = "nom;commune\nÉpicerie solidaire « Le Panier »;Orléans\nCafé des œuvres;Besançon\n"


def rows_of(reading):
    return list(reading.rows)


def test_declared_windows_1252_file_is_read_correctly(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))
    reading = connectors.read("csv", path, {"encoding": "windows-1252"})
    rows = rows_of(reading)
    assert [row.values["nom"] for row in rows] == ["Épicerie solidaire « Le Panier »", "Café des œuvres"]
    assert reading.warnings == []


def test_undeclared_non_utf8_file_is_detected_and_decoded_with_a_warning(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes((CP1252_TEXT * 20).encode("cp1252"))
    reading = connectors.read("csv", path, {})
    assert rows_of(reading)[0].values["commune"] == "Orléans"
    assert "n'est pas en UTF-8" in reading.warnings[0]


def test_undeclared_non_utf8_file_can_be_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))
    with pytest.raises(ConnectorError, match="pas en UTF-8"):
        connectors.read("csv", path, {"refuse_undeclared": True})


def test_wrongly_declared_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))
    with pytest.raises(ConnectorError, match="n'est pas en utf-8"):
        connectors.read("csv", path, {"encoding": "utf-8"})


def test_replacement_characters_are_reported(tmp_path):
    path = tmp_path / "damaged.csv"
    path.write_text("nom;ville\nBiblioth\ufffdque;Digne\n", encoding="utf-8")
    reading = connectors.read("csv", path, {})
    assert rows_of(reading)[0].values["nom"] == "Biblioth\ufffdque"
    assert "U+FFFD" in reading.warnings[0]


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_separator_is_sniffed(tmp_path, delimiter):
    path = tmp_path / "file.csv"
    path.write_text(delimiter.join(["nom", "ville", "cp"]) + "\n" + delimiter.join(["A", "Brest", "29200"]) + "\n")
    assert rows_of(connectors.read("csv", path, {}))[0].values == {"nom": "A", "ville": "Brest", "cp": "29200"}


def test_headerless_file_uses_declared_columns_and_keeps_multiline_cells(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text('"Atelier, vélo","2 rue\nde la Gare",29000\r\nAutre lieu,1 place,35000\r\n', encoding="utf-8")
    rows = rows_of(connectors.read("csv", path, {"header": False, "columns": ["nom", "adresse", "cp"]}))
    assert rows[0].values["adresse"] == "2 rue\nde la Gare" and rows[0].values["nom"] == "Atelier, vélo"
    assert [row.line for row in rows] == [1, 3]


def test_ragged_rows_are_reported_with_their_line_numbers(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("a,b,c\n1,2,3\n1,2\n1,2,3,4\n", encoding="utf-8")
    reading = connectors.read("csv", path, {})
    rows = rows_of(reading)
    assert len(rows) == 3 and rows[1].values == {"a": "1", "b": "2", "c": ""}
    assert [(issue.line, issue.rule) for issue in reading.issues] == [(3, "ragged_row"), (4, "ragged_row")]


def test_xlsx_header_is_found_under_a_stray_row(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([None, "1", "2", "3"])
    sheet.append(["ID", "Nom", "Lat", "Lng"])
    sheet.append([None, "La Cantine", "43.6", "1.44"])
    workbook.save(tmp_path / "book.xlsx")
    reading = connectors.read("xlsx", tmp_path / "book.xlsx", {})
    rows = rows_of(reading)
    assert rows[0].values == {"ID": "", "Nom": "La Cantine", "Lat": "43.6", "Lng": "1.44"} and rows[0].line == 3


def test_json_wrapped_records_and_nested_paths(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"result": {"items": [{"nom": "A", "geo": {"lat": 45.1}}]}}), encoding="utf-8")
    rows = rows_of(connectors.read("json", path, {"records_path": "result.items"}))
    assert rows[0].values == {"nom": "A", "geo.lat": 45.1}
    path.write_text(json.dumps({"ontology": "x", "data": [{"nom": "B"}]}), encoding="utf-8")
    reading = connectors.read("json", path, {})
    assert rows_of(reading)[0].values == {"nom": "B"} and "data" in reading.warnings[0]


def test_almost_geojson_with_trailing_commas_is_repaired_with_a_warning(tmp_path):
    path = tmp_path / "places.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nom": "A",},'
        ' "geometry": {"type": "Point", "coordinates": [4.83, 45.76],}},]}',
        encoding="utf-8",
    )
    reading = connectors.read("geojson", path, {})
    assert rows_of(reading)[0].values == {"nom": "A", "geometry.longitude": 4.83, "geometry.latitude": 45.76}
    assert "réparé" in reading.warnings[0]


PAGES = {
    "/liste": '<ul><li class="item"><h2>Recyclerie du Port</h2><a href="/fiche/1">voir</a></li>'
    '<li class="item"><h2>Jardin des Lilas</h2><a href="/fiche/2">voir</a></li></ul>'
    '<a rel="next" href="/liste2">suite</a>',
    "/liste2": '<ul><li class="item"><h2>Café associatif</h2><a href="/fiche/3">voir</a></li></ul>',
    "/fiche/1": '<div class="ville">Brest</div><p class="desc">Réemploi</p>',
    "/fiche/2": '<div class="ville">Lyon</div><p class="desc">Jardin</p>',
    "/fiche/3": '<div class="ville">Lille</div><p class="desc">Café</p>',
}


def _api_page(query: str) -> str:
    page = int(query.split("page=")[1].split("&")[0]) if "page=" in query else 1
    items = [{"id": n, "nom": f"Lieu {n}"} for n in range((page - 1) * 2 + 1, min(page * 2, 5) + 1)]
    return json.dumps({"results": items})


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path, _sep, query = self.path.partition("?")
        body = _api_page(query) if path == "/api" else PAGES.get(path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if path == "/api" else "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_html_listing_follows_detail_pages_and_next_page(local_server):
    options = {
        "item": "li.item",
        "fields": {"nom": {"css": "h2"}},
        "detail": {"link": {"css": "a", "attr": "href"}, "fields": {"ville": {"xpath": "//div[@class='ville']"}}},
        "next_page": {"css": "a[rel=next]", "attr": "href"},
    }
    rows = rows_of(connectors.read("html", f"{local_server}/liste", options))
    assert [(row.values["nom"], row.values["ville"]) for row in rows] == [
        ("Recyclerie du Port", "Brest"), ("Jardin des Lilas", "Lyon"), ("Café associatif", "Lille")]  # fmt: skip
    assert rows[2].values["detail_url"] == f"{local_server}/fiche/3"


def test_paginated_api_is_read_until_a_short_page(local_server):
    options = {"records_path": "results", "pagination": {"type": "page", "param": "page", "size": 2}}
    rows = rows_of(connectors.read("api", f"{local_server}/api", options))
    assert [row.values["nom"] for row in rows] == ["Lieu 1", "Lieu 2", "Lieu 3", "Lieu 4", "Lieu 5"]


def test_remote_connectors_refuse_loopback_unless_allow_listed(local_server, settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
    with pytest.raises(ConnectorError, match="refusée"):
        rows_of(connectors.read("api", f"{local_server}/api", {}))
