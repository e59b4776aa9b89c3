"""Import speed: rows per second end to end, against the baseline of merely parsing the same file.

    .venv/bin/python scripts/bench_import.py [--rows 100000] [--realdata ../shared/realdata] [--profile DIR]

Runs in a throw-away data folder (its own SQLite database, gazetteer and taxonomy), never the developer's. Measures
`france-services-2022` (when the real files are present) and a generated CSV: first import (all created), then a
re-import (all unchanged), both through the `carrefour import` command. End to end means read, map, clean, locate,
write every row and its search-outbox row, in one transaction. Applying the outbox to the search index is the index
worker's job (`SEARCH_APPLY_ON_COMMIT` off, as in production imports): it is timed separately, after the imports.

The machine may be shared: each figure comes with the process CPU time and rows per CPU-second, and the last line
is every figure as one JSON object.
"""

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--realdata", default=str(ROOT.parent / "shared" / "realdata"))
    parser.add_argument("--profile", metavar="DIR", help="write a cProfile of each first import to DIR")
    parser.add_argument("--database", metavar="FILE", help="start from a copy of this prepared SQLite database "
                        "(migrated, gazetteer and taxonomy loaded) instead of building one")  # fmt: skip
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="carrefour-bench-import-"))
    if args.database:
        shutil.copyfile(args.database, workdir / "carrefour.sqlite3")
    os.environ["CARREFOUR_DATA_DIR"] = str(workdir)
    os.environ["CARREFOUR_REALDATA_DIR"] = args.realdata
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.SEARCH_APPLY_ON_COMMIT = False
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not args.database:
        call_command("load_gazetteer", verbosity=0)
        call_command("load_taxonomy", verbosity=0)
    print(f"set-up (database, gazetteer, taxonomy): {time.perf_counter() - started:.1f} s in {workdir}")
    results = {"machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}}
    france_services = Path(args.realdata) / "france-services-2022" / "liste-fs-20221201.csv"
    if france_services.exists():
        results["france-services-2022"] = bench("france-services-2022", france_services, france_services_source(),
                                                args.profile)  # fmt: skip
    else:
        print(f"france-services-2022: skipped ({france_services} not found)")
    generated = workdir / "generated.csv"
    write_generated(generated, args.rows)
    results[f"generated-{args.rows}"] = bench(f"generated {args.rows} rows", generated, generated_source(),
                                              args.profile)  # fmt: skip
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, ensure_ascii=False))


def france_services_source():
    from carrefour.sources.config import CONFIG_DIR, load_file, register_source

    return register_source(load_file(CONFIG_DIR / "france-services-2022.yaml"))


def generated_source():
    from carrefour.sources.config import register_source, validate

    config = {
        "name": "Fichier généré pour la mesure",
        "slug": "bench-generated",
        "licence": "etalab-2.0",
        "connector": {"type": "csv", "options": {"encoding": "utf-8", "delimiter": ";"}},
        "id": "id",
        "fields": {
            "name": "nom",
            "description": "description",
            "address": "adresse",
            "postal_code": "code_postal",
            "insee_code": "code_insee",
            "commune": "commune",
            "latitude": "latitude",
            "longitude": "longitude",
            "website": "site",
            "email": "courriel",
            "phone": "telephone",
            "tags": {"column": "thematiques", "split": "\\|"},
        },  # fmt: skip
        "recode": {"crosswalk": "carrefour-2019"},
    }
    return register_source(validate(config, "bench"))


def write_generated(path: Path, count: int) -> None:
    from carrefour.territories.models import Commune

    rng = random.Random(2026)
    communes = list(
        Commune.objects.exclude(latitude=None)
        .filter(postal_codes__isnull=False)
        .values_list("code", "name", "latitude", "longitude", "postal_codes__code")[:5000]
    )
    tags = ["EDU", "EMP", "ENV", "SAN", "SOL", "TER", "ART", "NUM", "ACE", "GRA", "LUT", "Autre chose"]
    words = ["Atelier", "Maison", "Jardin", "Café", "Recyclerie", "Tiers-lieu", "Épicerie", "Repair café"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "nom", "description", "adresse", "code_postal", "code_insee", "commune", "latitude",
                         "longitude", "site", "courriel", "telephone", "thematiques"])  # fmt: skip
        for index in range(count):
            code, name, latitude, longitude, postal = rng.choice(communes)
            writer.writerow([
                f"G{index:07d}", f"{rng.choice(words)} solidaire n° {index} de {name}",
                "Un lieu ouvert à toutes et à tous, animé par des bénévoles, pour apprendre et faire ensemble.",
                f"{rng.randint(1, 120)} rue de la République", postal, code, name,
                f"{latitude + rng.uniform(-0.01, 0.01):.6f}", f"{longitude + rng.uniform(-0.01, 0.01):.6f}",
                f"www.lieu-{index}.fr", "contact@exemple.fr", f"0{rng.randint(1, 5)} {rng.randint(10, 99)} 00 00 00",
                "|".join(rng.sample(tags, 2)),
            ])  # fmt: skip


def parse_baseline(path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        reader = csv.DictReader(handle, dialect=csv.Sniffer().sniff(sample, delimiters=",;"))
        rows = sum(1 for _row in reader)
    return rows, time.perf_counter() - started


def bench(label: str, path: Path, source, profile_dir: str | None) -> dict:
    rows, parse_seconds = parse_baseline(path)
    figures = {"rows": rows, "parse_rows_per_second": round(rows / parse_seconds)}
    rate = rows / parse_seconds
    print(f"{label}: baseline, parsing only (csv.DictReader): {rate:,.0f} rows/s ({parse_seconds:.2f} s)")
    for phase in ("first import", "re-import"):
        profile = cProfile.Profile() if profile_dir and phase == "first import" else None
        seconds, cpu, report = timed(lambda: import_command(source.slug, path), profile)
        counts = report["counts"]
        figures[phase] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                          "rows_per_second": round(rows / seconds), "rows_per_cpu_second": round(rows / cpu),
                          "status": report["status"], "counts": counts}  # fmt: skip
        print(
            f"{label}: {phase}, end to end: {rows / seconds:,.0f} rows/s ({seconds:.2f} s; CPU {cpu:.2f} s, "
            f"{rows / cpu:,.0f} rows per CPU-second) — {report['status']}, created {counts.get('created')}, "
            f"unchanged {counts.get('unchanged')}, located {counts.get('located')}"
        )
        if profile is not None:
            target = Path(profile_dir) / f"{source.slug}.prof"
            profile.dump_stats(target)
            print(f"{label}: profile written to {target}; top functions by own time:")
            pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(12)
    from carrefour.search.indexer import apply_outbox

    seconds, cpu, applied = timed(apply_outbox)
    figures["index_apply"] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "outbox_rows": applied}
    print(f"{label}: applying the search outbox afterwards (index worker's job, not counted): {applied} rows in "
          f"{seconds:.2f} s (CPU {cpu:.2f} s)")  # fmt: skip
    return figures


def import_command(slug: str, path: Path) -> dict:
    """`carrefour import <slug> --file <path>`, in this process; its last line of output is the JSON report."""
    from django.core.management import call_command

    output = io.StringIO()
    try:
        call_command("import", slug, file=str(path), stdout=output)
    except SystemExit:
        pass  # a failed run exits with status 1; its report is still printed
    return json.loads(output.getvalue().strip().splitlines()[-1])


def timed(function, profile=None):
    started, cpu = time.perf_counter(), time.process_time()
    result = profile.runcall(function) if profile is not None else function()
    return time.perf_counter() - started, time.process_time() - cpu, result


if __name__ == "__main__":
    main()
