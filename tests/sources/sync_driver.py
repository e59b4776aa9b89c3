"""Helper process for tests/sources/test_source_concurrency.py (not a test): works on the file database named by
CARREFOUR_DATA_DIR, as another process would while `carrefour import` runs.

    python tests/sources/sync_driver.py prepare COUNT       → the test source and COUNT published sheets (JSON ids)
    python tests/sources/sync_driver.py edit IDS STOP_FILE  → one thread per sheet (a person) saves an edit through
                                                              catalog.actions.save_initiative every PAUSE seconds
                                                              until STOP_FILE exists; prints the outcomes as JSON
"""

import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAUSE = 0.25  # seconds between two edits of one person: 20 people make about 80 edits a second


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.SEARCH_APPLY_ON_COMMIT = False  # indexing is the index worker's job; this is about the database
    command, *args = sys.argv[1:]
    result = prepare(int(args[0])) if command == "prepare" else edit(json.loads(args[0]), Path(args[1]))
    print(json.dumps(result))


def prepare(count: int) -> list[int]:
    from carrefour.catalog.actions import save_initiative
    from carrefour.catalog.models import Initiative
    from carrefour.sources.config import register_source, validate
    from tests.factories import SOURCE_TEST_CONFIG

    register_source(validate(SOURCE_TEST_CONFIG, "test"))
    sheets = [
        save_initiative(Initiative(name=f"Fiche éditée pendant l'import n° {index}", status="published"))
        for index in range(count)
    ]
    return [sheet.pk for sheet in sheets]


def edit(ids: list[int], stop: Path) -> dict:
    outcomes = {str(pk): {"saved": 0, "last": None, "errors": [], "times": [], "slowest": 0.0} for pk in ids}
    threads = [threading.Thread(target=_editor, args=(pk, stop, outcomes[str(pk)])) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _editor(pk: int, stop: Path, outcome: dict) -> None:
    from django.db import connection

    from carrefour.catalog.actions import save_initiative
    from carrefour.catalog.models import Initiative

    number = 0
    try:
        while not stop.exists():
            number += 1
            text = f"Édition n° {number} de la fiche {pk}, pendant l'import."
            started = time.time()
            try:
                initiative = Initiative.objects.get(pk=pk)
                initiative.description = text
                save_initiative(initiative, None, ["description"])
            except Exception:
                outcome["errors"].append(traceback.format_exc(limit=3))
                continue
            outcome["saved"] += 1
            outcome["last"] = text
            outcome["times"].append(time.time())
            outcome["slowest"] = max(outcome["slowest"], time.time() - started)
            time.sleep(PAUSE)
    finally:
        connection.close()


if __name__ == "__main__":
    main()
