"""The peer recipe's data: the published demo initiatives read from our SQLite file, loaded into PostgreSQL.

One denormalised row per initiative, as the PostgreSQL full text recipe of the peer platforms keeps it: a French
text search configuration with `unaccent`, a weighted tsvector (A name, B summary, C description and labels) with a
GIN index, trigram, earthdistance and lat/lon indexes, and arrays of facet codes. The geography of an initiative is
its first location (peers keep one address per initiative); its région and département facets cover all locations.
"""

import sqlite3
import time
from collections import defaultdict
from pathlib import Path

TABLE = "bench_initiative"
COLUMNS = (
    "id",
    "name",
    "summary",
    "description",
    "labels",
    "themes",
    "publics",
    "types",
    "stage",
    "regions",
    "departements",
    "lat",
    "lon",
)
ARRAY_FACETS = ("themes", "publics", "types", "regions", "departements")
TERM_TABLES = {
    "themes": "catalog_initiative_themes",
    "publics": "catalog_initiative_publics",
    "types": "catalog_initiative_place_types",
    "forms": "catalog_initiative_innovation_forms",
}

SCHEMA_SQL = f"""
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE EXTENSION IF NOT EXISTS cube SCHEMA public;
CREATE EXTENSION IF NOT EXISTS earthdistance SCHEMA public;
CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TABLE {TABLE} (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    summary text NOT NULL,
    description text NOT NULL,
    labels text NOT NULL,
    themes text[] NOT NULL,
    publics text[] NOT NULL,
    types text[] NOT NULL,
    stage text,
    regions text[] NOT NULL,
    departements text[] NOT NULL,
    lat double precision,
    lon double precision,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('fr_unaccent', name), 'A')
        || setweight(to_tsvector('fr_unaccent', summary), 'B')
        || setweight(to_tsvector('fr_unaccent', description || ' ' || labels), 'C')
    ) STORED,
    short_text text GENERATED ALWAYS AS (name || ' ' || summary) STORED
);
"""

INDEX_SQL = [
    f"CREATE INDEX ON {TABLE} USING gin (document)",
    f"CREATE INDEX ON {TABLE} USING gin (short_text gin_trgm_ops)",
    f"CREATE INDEX ON {TABLE} USING gist (ll_to_earth(lat, lon))",
    f"CREATE INDEX ON {TABLE} (lat)",
    f"CREATE INDEX ON {TABLE} (lon)",
    f"CREATE INDEX ON {TABLE} (stage)",
    *(f"CREATE INDEX ON {TABLE} USING gin ({column})" for column in ARRAY_FACETS),
    f"VACUUM ANALYZE {TABLE}",
]


def load(connection, sqlite_path: Path) -> float:
    """Create the schema, COPY the published initiatives, build the indexes; return the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA_SQL)
        with cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in read_rows(sqlite_path):
                copy.write_row(row)
        for statement in INDEX_SQL:
            cursor.execute(statement)
    return time.perf_counter() - started


def read_rows(sqlite_path: Path):
    """Yield one row (in COLUMNS order) per published initiative of the SQLite demo database."""
    database = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        terms = _terms_by_initiative(database)
        places = _places_by_initiative(database)
        organisations = _organisations_by_initiative(database)
        rows = database.execute(
            "SELECT i.id, i.name, i.summary, i.description, s.code FROM catalog_initiative i "
            "LEFT JOIN catalog_term s ON s.id = i.stage_id WHERE i.status = 'published' ORDER BY i.id"
        )
        for pk, name, summary, description, stage in rows:
            own = terms[pk]
            place = places.get(pk, {"lat": None, "lon": None, "regions": [], "departements": [], "names": []})
            labels = " ".join([*own["labels"], *organisations[pk], *place["names"]])
            yield (
                pk,
                name,
                summary,
                description,
                labels,
                own["themes"],
                own["publics"],
                own["types"],
                stage,
                place["regions"],
                place["departements"],
                place["lat"],
                place["lon"],
            )
    finally:
        database.close()


def _terms_by_initiative(database) -> dict:
    terms = {
        pk: (code, label, parent is None)
        for pk, code, label, parent in database.execute("SELECT id, code, label, parent_id FROM catalog_term")
    }
    found: dict = defaultdict(lambda: {"themes": [], "publics": [], "types": [], "labels": []})
    for key, table in TERM_TABLES.items():
        for initiative, term in database.execute(f"SELECT initiative_id, term_id FROM {table} ORDER BY id"):  # nosec B608 - table names from a module constant
            code, label, top_level = terms[term]
            entry = found[initiative]
            entry["labels"].append(label)
            if key == "themes" and top_level:
                entry["themes"].append(code)
            elif key in ("publics", "types"):
                entry[key].append(code)
    return found


def _places_by_initiative(database) -> dict:
    rows = database.execute(
        "SELECT l.initiative_id, l.latitude, l.longitude, c.name, d.code, d.name, r.code, r.name "
        "FROM catalog_location l JOIN territories_commune c ON c.code = l.commune_id "
        "JOIN territories_departement d ON d.code = c.departement_id JOIN territories_region r ON r.code = c.region_id "
        "ORDER BY l.initiative_id, l.position, l.id"
    )
    places: dict = {}
    for initiative, lat, lon, commune, departement, departement_name, region, region_name in rows:
        place = places.setdefault(initiative, {"lat": lat, "lon": lon, "regions": [], "departements": [], "names": []})
        if region not in place["regions"]:
            place["regions"].append(region)
        if departement not in place["departements"]:
            place["departements"].append(departement)
        place["names"] += [commune, departement_name, region_name]
    return places


def _organisations_by_initiative(database) -> dict:
    found: dict = defaultdict(list)
    rows = database.execute(
        "SELECT s.initiative_id, o.name FROM catalog_stakeholder s "
        "JOIN catalog_organisation o ON o.id = s.organisation_id ORDER BY s.id"
    )
    for initiative, name in rows:
        found[initiative].append(name)
    return found
