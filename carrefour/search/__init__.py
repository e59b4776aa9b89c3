"""The search engine: one interface (`query`) for the page, the API, the widget and alerts.

Imports are lazy: this package is loaded with the app registry, before models are ready. No submodule is named
like a function below (`suggest` lives in autocomplete.py, `similar` in similarity.py): importing a submodule sets
the package attribute of its name, which would hide the function.
"""

from carrefour.search.bounds import SearchError

__all__ = ["SearchError", "apply_outbox", "points", "query", "reindex", "similar", "suggest"]


def query(request):
    from carrefour.search.engine import query as run

    return run(request)


def points(request, limit: int) -> tuple[int, list[dict]]:
    from carrefour.search.engine import points as run

    return run(request, limit)


def suggest(text: str, limit: int = 8) -> dict:
    from carrefour.search.autocomplete import suggest as run

    return run(text, limit)


def similar(initiative, limit: int = 6):
    from carrefour.search.similarity import similar as run

    return run(initiative, limit)


def reindex(progress=None) -> dict:
    from carrefour.search.indexer import reindex as run

    return run(progress)


def apply_outbox(blocking: bool = True) -> int:
    from carrefour.search.indexer import apply_outbox as run

    return run(blocking)
