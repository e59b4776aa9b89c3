"""Relevance of the search engine on the judged set: precision@10 and nDCG@10 per query, and their means.

    .venv/bin/python scripts/relevance.py
    .venv/bin/python scripts/relevance.py --verbose      # also the first results and the missed initiatives

In a throwaway data folder (CARREFOUR_DATA_DIR, SQLite, deleted at the end) the script migrates, loads the
gazetteer and the taxonomy (~15 s), loads tests/search/fixtures/relevance_corpus.yaml as published initiatives,
rebuilds the index, then runs every query of tests/search/fixtures/relevance_judgements.yaml. Definitions of the
metrics: tests/search/relevance.py. The last line is one JSON object: {"queries", "p_at_10", "ndcg_at_10", …}.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def set_up(data_dir: Path) -> None:
    os.environ["CARREFOUR_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite database, never a configured one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from carrefour.catalog.taxonomy_loader import load_taxonomy
    from carrefour.territories.loader import load_gazetteer

    load_gazetteer()
    load_taxonomy()


def report(scores, verbose: bool) -> dict:
    from tests.search.relevance import ideal_precision, mean

    width = max(len(score.judgement.query) for score in scores)
    print(f"{'query':<{width}}  {'kind':<16} {'P@10':>5} {'max':>5} {'nDCG@10':>7}")
    for score in scores:
        judgement = score.judgement
        print(
            f"{judgement.query:<{width}}  {judgement.kind:<16} {score.precision:5.2f} "
            f"{ideal_precision(judgement.grades):5.2f} {score.ndcg:7.3f}"
        )
        if verbose:
            marks = [f"{key}({judgement.grades.get(key, 0)})" for key in score.ranked]
            print(f"    got:    {' '.join(marks) or '—'}")
            if score.missed:
                print(f"    missed: {' '.join(score.missed)}")
    summary = {
        "queries": len(scores),
        "p_at_10": round(mean(s.precision for s in scores), 4),
        "ndcg_at_10": round(mean(s.ndcg for s in scores), 4),
        "p_at_10_ideal": round(mean(ideal_precision(s.judgement.grades) for s in scores), 4),
    }
    print(
        f"mean over {summary['queries']} queries: P@10 {summary['p_at_10']:.3f} "
        f"(ceiling {summary['p_at_10_ideal']:.3f}), nDCG@10 {summary['ndcg_at_10']:.3f}"
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="print the first results of each query")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (its path is printed)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="carrefour-relevance-"))
    try:
        started = time.perf_counter()
        set_up(data_dir)
        from tests.search.relevance import build_relevance_index, evaluate, read_corpus, read_judgements

        loaded = time.perf_counter()
        keys_by_id = build_relevance_index()
        judgements = read_judgements(corpus_keys={item["key"] for item in read_corpus()})
        print(
            f"migrations, gazetteer and taxonomy {loaded - started:.1f} s; "
            f"{len(keys_by_id)} initiatives loaded and indexed {time.perf_counter() - loaded:.1f} s",
            file=sys.stderr,
        )
        summary = report(evaluate(judgements, keys_by_id), args.verbose)
    finally:
        if args.keep:
            print(f"data folder kept: {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
