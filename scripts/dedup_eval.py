"""Measure the duplicate matcher against the labelled pairs built from ../shared/realdata.

    .venv/bin/python scripts/dedup_eval.py            # throwaway database, prints precision and recall
    .venv/bin/python scripts/dedup_eval.py --propose  # also lists predicted pairs that carry no label yet

The rows of the paired files are loaded as published initiatives (one partner source per file) into a throwaway
database (a temporary CARREFOUR_DATA_DIR with the gazetteer and taxonomy), the matcher runs exactly as the `dedup`
command does, and each predicted pair is checked against `carrefour/dedup/data/labelled_pairs.csv`. Files are read
here with csv/json/zipfile, independently of the partner connectors. No personal data is read into the sheets:
names, addresses, postal codes, communes, coordinates and websites only.
"""

import csv
import json
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
LABELS = ROOT / "carrefour" / "dedup" / "data" / "labelled_pairs.csv"
MEDNUM_CSV = "mednum-paca/regionsud-lieux-dinclusion-numerique-2022_v2 (2).csv"
MEDNUM_JSON = "mednum-paca/20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json"
FRANCE_SERVICES = "france-services-2022/liste-fs-20221201.csv"
TL_CSV = "tierslieux-occitanie/database.csv"
TL_XLSX = "tierslieux-occitanie/tierslieuxoccitanie.xlsx"
PACA_DEPARTEMENTS = {"04", "05", "06", "13", "83", "84"}


def _float(value):
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def _row(file, key, name, address="", postal_code="", commune="", insee="", lat=None, lon=None, website=""):
    return {
        "file": file,
        "key": str(key),
        "name": (name or "").strip(),
        "address": (address or "").strip(),
        "postal_code": str(postal_code or "").strip(),
        "commune": (commune or "").strip(),
        "insee": str(insee or "").strip(),
        "lat": _float(lat),
        "lon": _float(lon),
        "website": (website or "").strip(),
    }


def read_mednum_csv(base: Path) -> list[dict]:
    with open(base / MEDNUM_CSV, encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [
        _row(
            "mednum-csv",
            index,  # 0-based data row index, as in the national file's `mediation-numerique-cr93-<index>` ids
            r["nom"],
            f"{r['adresse_numero']} {r['adresse_rue']}",
            r["adresse_code_postal"],
            r["adresse_commune"],
            r["adresse_code_insee"],
            r["latitude"],
            r["longitude"],
            r["contact_web"],
        )
        for index, r in enumerate(rows)
    ]


def read_mednum_json(base: Path) -> list[dict]:
    data = json.loads((base / MEDNUM_JSON).read_text(encoding="utf-8"))
    return [
        _row(
            "mednum-json",
            r["id"],
            r["nom"],
            r.get("adresse"),
            r.get("code_postal"),
            r.get("commune"),
            r.get("code_insee"),
            r.get("latitude"),
            r.get("longitude"),
            r.get("site_web"),
        )
        for r in data
    ]


def read_france_services(base: Path) -> list[dict]:
    # The PACA sites, and the few sites elsewhere that the national file also lists (paired by id).
    national = json.loads((base / MEDNUM_JSON).read_text(encoding="utf-8"))
    paired = {r["id"].rsplit("-", 1)[1] for r in national if r.get("source") == "france-services"}
    with open(base / FRANCE_SERVICES, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["insee_dep"] in PACA_DEPARTEMENTS or r["id_fs"] in paired]
    return [
        _row(
            "france-services",
            r["id_fs"],
            r["lib_fs"],
            r["adresse"],
            r["code_postal"],
            r["lib_com"],
            r["insee_com"],
            r["latitude"],
            r["longitude"],
        )
        for r in rows
    ]


def read_tierslieux_csv(base: Path) -> list[dict]:
    with open(base / TL_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [_row("tl-csv", line, r[0], r[1], r[2], r[3], website=r[4]) for line, r in enumerate(rows, start=1)]


def _xlsx_rows(path: Path) -> dict[int, dict[str, str]]:
    """Sheet rows as {row number: {column letter: text}}, reading cell references (sparse rows stay aligned)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as archive:
        strings = [
            "".join(t.text or "" for t in item.iter(f"{{{ns['m']}}}t"))
            for item in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("m:si", ns)
        ]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = {}
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", ns):
            value = cell.find("m:v", ns)
            text = value.text if value is not None else ""
            if cell.get("t") == "s" and text:
                text = strings[int(text)]
            cells[re.sub(r"\d", "", cell.get("r"))] = text or ""
        rows[int(row.get("r"))] = cells
    return rows


def read_tierslieux_xlsx(base: Path) -> list[dict]:
    rows = _xlsx_rows(base / TL_XLSX)
    header = {letter: name for letter, name in rows[2].items()}
    result = []
    for number in sorted(n for n in rows if n > 2):
        r = {header.get(letter, letter): value for letter, value in rows[number].items()}
        if r.get("Nom"):
            result.append(
                _row(
                    "tl-xlsx",
                    number,
                    r["Nom"],
                    r.get("Adresse"),
                    r.get("Code postal"),
                    r.get("Ville"),
                    lat=r.get("Lat"),
                    lon=r.get("Lng"),
                    website=r.get("URL"),
                )
            )
    return result


def read_all(base: Path = REALDATA) -> list[dict]:
    readers = (read_mednum_csv, read_mednum_json, read_france_services, read_tierslieux_csv, read_tierslieux_xlsx)
    return [row for reader in readers for row in reader(base)]


def read_labels(path: Path = LABELS) -> dict[tuple, str]:
    """{frozenset of two (file, key): "duplicate" | "distinct"}."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {
            frozenset({(r["file_a"], r["key_a"]), (r["file_b"], r["key_b"])}): r["label"] for r in csv.DictReader(lines)
        }


def evaluate(comparisons, keys: dict[int, tuple], labels: dict, auto_rule) -> dict:
    """Precision and recall, overall (pairs sent to review or merged) and for the automatic merges alone.

    Predicted pairs that carry no label count as false positives (the pessimistic reading) and are listed."""
    predicted = {frozenset({keys[c.first], keys[c.second]}): c for c in comparisons}
    duplicates = {pair for pair, label in labels.items() if label == "duplicate"}
    result = {}
    for scope, pairs in (
        ("overall", set(predicted)),
        ("auto_merge", {p for p, c in predicted.items() if auto_rule(c)}),
    ):
        true = pairs & duplicates
        distinct = {p for p in pairs if labels.get(p) == "distinct"}
        unlabelled = {p for p in pairs if p not in labels}
        result[scope] = {
            "predicted": len(pairs),
            "true_positives": len(true),
            "labelled_distinct": len(distinct),
            "unlabelled": len(unlabelled),
            "precision": round(len(true) / len(pairs), 4) if pairs else 1.0,
            "recall": round(len(true) / len(duplicates), 4) if duplicates else 0.0,
        }
    result["labelled"] = {"duplicate": len(duplicates), "distinct": len(labels) - len(duplicates)}
    result["false_positives"] = sorted(
        (sorted(p), predicted[p].score, auto_rule(predicted[p]) or "") for p in predicted if p not in duplicates
    )
    result["missed"] = sorted(sorted(p) for p in duplicates - set(predicted))
    return result


def load_into_database(rows: list[dict]) -> dict[int, tuple]:
    """Create one published initiative per row (one source per file); returns {initiative id: (file, key)}."""
    from django.db import transaction
    from django.utils import timezone

    from carrefour.catalog.models import Initiative, Location
    from carrefour.sources.models import Source, SourceRecord

    keys = {}
    now = timezone.now()
    with transaction.atomic():
        sources = {}
        for row in rows:
            file = row["file"]
            if file not in sources:
                sources[file] = Source.objects.get_or_create(slug=f"eval-{file}", defaults={"name": file})[0]
            initiative = Initiative.objects.create(
                name=row["name"][:150] or "?",
                slug=f"eval-{file}-{row['key']}".lower().replace("_", "-")[:170],
                summary=row["name"][:280],
                website=row["website"][:500] if row["website"].startswith("http") else "",
                status=Initiative.Status.PUBLISHED,
                published_at=now,
            )
            commune = resolve_commune(row)
            if commune is not None:
                precise = row["lat"] is not None and row["lon"] is not None
                Location.objects.create(
                    initiative=initiative,
                    commune=commune,
                    address=row["address"][:250],
                    latitude=row["lat"] if precise else None,
                    longitude=row["lon"] if precise else None,
                    precision=Location.Precision.ADDRESS if precise else Location.Precision.COMMUNE,
                )
            SourceRecord.objects.create(
                source=sources[file], external_id=row["key"], initiative=initiative, fetched_at=now
            )
            keys[initiative.pk] = (file, row["key"])
    return keys


def resolve_commune(row: dict):
    from carrefour.core.text import fold
    from carrefour.territories import lookups

    commune = lookups.commune_by_code(row["insee"].zfill(5)) if row["insee"] else None
    if commune is None and row["postal_code"]:
        served = lookups.communes_by_postal_code(row["postal_code"])
        named = [c for c in served if fold(c.name) == fold(row["commune"])]
        commune = (named or served or [None])[0]
    if commune is None and row["lat"] is not None and row["lon"] is not None:
        commune = lookups.commune_at(row["lat"], row["lon"])
    if commune is None and row["commune"]:
        commune = next(iter(lookups.communes_by_name(row["commune"])), None)
    return commune


def run(base: Path = REALDATA, labels_path: Path = LABELS) -> dict:
    """Load, match, evaluate; inside an already configured Django (the test database, or main()'s throwaway one)."""
    from carrefour.dedup.candidates import find_candidates
    from carrefour.dedup.features import load_sheets
    from carrefour.dedup.rules import auto_merge_rule

    clock = time.monotonic()
    keys = load_into_database(read_all(base))
    loaded = time.monotonic() - clock
    sheets = load_sheets()
    sheets = {pk: sheet for pk, sheet in sheets.items() if pk in keys}
    clock = time.monotonic()
    comparisons = find_candidates(sheets=sheets)
    result = evaluate(comparisons, keys, read_labels(labels_path), auto_merge_rule)
    result["timing"] = {
        "sheets": len(keys),
        "load_seconds": round(loaded, 1),
        "match_seconds": round(time.monotonic() - clock, 2),
    }
    result["comparisons"] = [(keys[c.first], keys[c.second], c) for c in comparisons]
    return result


def _setup_throwaway_django() -> None:
    os.environ["CARREFOUR_DATA_DIR"] = tempfile.mkdtemp(prefix="dedup-eval-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0)
    call_command("load_taxonomy", verbosity=0)


def main(argv: list[str]) -> int:
    if not REALDATA.is_dir():
        print(f"Dossier des données réelles absent : {REALDATA}")
        return 1
    _setup_throwaway_django()
    result = run()
    for scope in ("overall", "auto_merge"):
        s = result[scope]
        print(
            f"{scope:10} predicted={s['predicted']:4} true={s['true_positives']:4} "
            f"distinct={s['labelled_distinct']:3} unlabelled={s['unlabelled']:3} "
            f"precision={s['precision']:.3f} recall={s['recall']:.3f}"
        )
    print(f"labelled pairs: {result['labelled']}; timing: {result['timing']}")
    if "--propose" in argv:
        labels = read_labels()
        writer = csv.writer(sys.stdout)
        for a, b, c in result["comparisons"]:
            if frozenset({a, b}) not in labels:
                writer.writerow([a[0], a[1], b[0], b[1], "?", f"{c.score:.2f}", "; ".join(c.reasons)])
    if "--errors" in argv:
        for pair, score, rule in result["false_positives"]:
            print("false positive", pair, score, rule)
    if "--missed" in argv:
        for pair in result["missed"]:
            print("missed", pair)
    summary = {scope: {k: result[scope][k] for k in ("precision", "recall")} for scope in ("overall", "auto_merge")}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
