"""Autocomplete: initiatives (name prefix, from the index), territories (folded name prefix, by population) and
taxonomy terms (folded label containing the text)."""

import re
import threading

import tantivy
from django.urls import reverse
from django.utils.translation import gettext as _

from carrefour.catalog.models import Term
from carrefour.core.text import fold
from carrefour.search import store
from carrefour.search.analysis import analyse_query
from carrefour.search.bounds import SearchError
from carrefour.search.links import initiative_url
from carrefour.search.schema import SCHEMA, read_payload
from carrefour.search.types import MAX_QUERY_LENGTH
from carrefour.territories.models import Commune, Departement, Region

Occur = tantivy.Occur
Query = tantivy.Query
MAX_LIMIT = 20
MIN_LENGTH = 2
TERM_FACETS = {"theme": "theme", "public": "public", "place_type": "type"}  # vocabulary → facet name
_PREFIX = re.compile(r"[a-z0-9]+")


def suggest(text: str, limit: int = 8) -> dict:
    if not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            _("Le texte recherché est trop long : %(max)s caractères au plus.") % {"max": MAX_QUERY_LENGTH}
        )
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SearchError(_("Nombre de suggestions invalide : entre 1 et %(max)s.") % {"max": MAX_LIMIT})
    folded = fold(text)
    if len(folded) < MIN_LENGTH:
        return {"initiatives": [], "territories": [], "themes": []}
    return {
        "initiatives": initiatives(text, limit),
        "territories": territories(folded, limit),
        "themes": themes(folded, limit),
    }


def initiatives(text: str, limit: int) -> list[dict]:
    """Initiatives whose name holds every word, the last one as a prefix while typing; the best sheets first."""
    analysis = analyse_query(text)
    words = analysis.terms_before_prefix if analysis.prefix else analysis.terms
    clauses = [Query.term_query(SCHEMA, "name", term) for term in words]
    if analysis.prefix and _PREFIX.fullmatch(analysis.prefix):
        clauses.append(Query.fuzzy_term_query(SCHEMA, "name_words", analysis.prefix, 0, True, True))  # prefix
    if not clauses:
        return []
    searcher = store.searcher()
    query = Query.boolean_query([(Occur.Must, clause) for clause in clauses])
    result = searcher.search(query, limit, count=False, order_by_field="prior")
    items = []
    for _score, address in result.hits:
        data = read_payload(searcher, address)
        url = initiative_url(data["slug"])
        items.append({"label": data["name"], "value": data["slug"], "url": url, "kind": "initiative"})
    return items


def territories(folded: str, limit: int) -> list[dict]:
    """Communes, départements and régions whose folded name starts with the text, most populated first."""
    found = []
    for model, kind in ((Region, "region"), (Departement, "departement"), (Commune, "commune")):
        rows = model.objects.filter(search_name__startswith=folded).order_by("-population")
        for row in rows[:limit]:
            found.append((row.population, _territory(row, kind)))
    found.sort(key=lambda item: -item[0])
    return [item for _, item in found[:limit]]


def _territory(row, kind: str) -> dict:
    if kind == "commune":
        return {"label": f"{row.name} ({row.departement_id})", "value": row.code, "kind": kind}
    if kind == "departement":
        return {"label": f"{row.name} ({row.code})", "value": row.code, "kind": kind}
    url = reverse("territories:region", kwargs={"code": row.code})
    return {"label": row.name, "value": row.code, "kind": kind, "url": url}


_terms: list[tuple[str, dict]] | None = None
_terms_lock = threading.Lock()


def themes(folded: str, limit: int) -> list[dict]:
    """Themes, sub-themes, publics and place types whose folded label contains the text."""
    return [item for label, item in _term_items() if folded in label][:limit]


def _term_items() -> list[tuple[str, dict]]:
    global _terms
    if _terms is None:
        rows = Term.objects.filter(vocabulary__in=TERM_FACETS, is_active=True).order_by("vocabulary", "position")
        items = []
        for term in rows.values("vocabulary", "code", "label", "parent_id"):
            kind = (
                "subtheme" if term["vocabulary"] == "theme" and term["parent_id"] else TERM_FACETS[term["vocabulary"]]
            )
            items.append((fold(term["label"]), {"label": term["label"], "code": term["code"], "kind": kind}))
        with _terms_lock:
            _terms = items
    return _terms


def clear_cache() -> None:
    global _terms
    _terms = None
