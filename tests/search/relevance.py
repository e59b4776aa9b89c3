"""The judged relevance set: a corpus of fictional French initiatives, graded queries, and the metrics over them.

Used by tests/search/test_relevance.py (floors and rules) and scripts/relevance.py (printed figures).

- `fixtures/relevance_corpus.yaml`: initiatives with a stable `key`, a commune (INSEE code) and taxonomy codes.
- `fixtures/relevance_judgements.yaml`: queries with graded keys (2 = exactly what was asked, 1 = relevant).

Metrics, at a cut-off of k = 10:
- precision@k: judged-relevant results (grade ≥ 1) among the first k, divided by k. A query with fewer than k
  relevant initiatives cannot reach 1; `ideal_precision` gives that ceiling.
- nDCG@k: DCG = Σ (2^grade − 1) / log2(rank + 1) over the first k results, divided by the DCG of the judged
  grades in their best order.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from carrefour import search
from carrefour.catalog import actions
from carrefour.catalog.models import Initiative, Location, Organisation, Role, Stakeholder, Term, Vocabulary
from carrefour.search.types import SearchRequest
from carrefour.territories.models import Commune

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
CORPUS_FILE = FIXTURES_DIR / "relevance_corpus.yaml"
JUDGEMENTS_FILE = FIXTURES_DIR / "relevance_judgements.yaml"
CUTOFF = 10
# Corpus field → (vocabulary, many-to-many attribute of Initiative).
TERM_FIELDS = {
    "themes": (Vocabulary.THEME, "themes"),
    "publics": (Vocabulary.PUBLIC, "publics"),
    "types": (Vocabulary.PLACE_TYPE, "place_types"),
}
DEFAULT_STRUCTURE_TYPE = "ASS"  # association
SUMMARY_MAX_LENGTH = 280


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str
    grades: dict[str, int]  # corpus key → grade, in the expected order


@dataclass(frozen=True)
class QueryScore:
    judgement: Judgement
    ranked: list[str]  # corpus keys of the first results, best first
    precision: float
    ndcg: float

    @property
    def missed(self) -> list[str]:
        """Judged keys absent from the first results, best grade first."""
        grades = self.judgement.grades
        return [key for key in sorted(grades, key=lambda key: -grades[key]) if key not in self.ranked]


def read_corpus(path: Path = CORPUS_FILE) -> list[dict]:
    items = yaml.safe_load(path.read_text("utf-8"))
    seen = set()
    for number, item in enumerate(items, 1):
        key = item.get("key")
        if not key or key in seen:
            raise CorpusError(f"{path.name}, item {number}: missing or duplicate key {key!r}")
        seen.add(key)
        if len(item["summary"]) > SUMMARY_MAX_LENGTH:
            raise CorpusError(f"{path.name}, {key}: summary longer than {SUMMARY_MAX_LENGTH} characters")
    return items


def read_judgements(path: Path = JUDGEMENTS_FILE, corpus_keys: set[str] | None = None) -> list[Judgement]:
    judgements = []
    for entry in yaml.safe_load(path.read_text("utf-8")):
        grades = {str(key): int(grade) for key, grade in entry["relevant"].items()}
        unknown = set(grades) - corpus_keys if corpus_keys is not None else set()
        if unknown or any(grade not in (1, 2) for grade in grades.values()):
            raise CorpusError(f"{path.name}, query {entry['query']!r}: unknown keys {sorted(unknown)} or bad grade")
        judgements.append(Judgement(query=entry["query"], kind=entry.get("kind", ""), grades=grades))
    return judgements


def _terms(items: list[dict]) -> dict[tuple[str, str], Term]:
    vocabularies = [vocabulary for vocabulary, _ in TERM_FIELDS.values()] + [Vocabulary.STRUCTURE_TYPE]
    terms = {(term.vocabulary, term.code): term for term in Term.objects.filter(vocabulary__in=vocabularies)}
    for item in items:
        wanted = [(Vocabulary.STRUCTURE_TYPE, item.get("structure_type", DEFAULT_STRUCTURE_TYPE))]
        wanted += [(vocabulary, code) for field, (vocabulary, _) in TERM_FIELDS.items() for code in item.get(field, [])]
        for vocabulary, code in wanted:
            if (vocabulary, code) not in terms:
                raise CorpusError(f"{item['key']}: no {vocabulary} term with code {code!r}")
    return terms


def _organisation(item: dict, terms: dict, organisations: dict[str, Organisation]) -> Organisation:
    """The carrying organisation; items naming the same organisation share it."""
    name = item["organisation"]
    if name not in organisations:
        structure_type = terms[Vocabulary.STRUCTURE_TYPE, item.get("structure_type", DEFAULT_STRUCTURE_TYPE)]
        organisations[name] = actions.save_organisation(Organisation(name=name, structure_type=structure_type))
    return organisations[name]


def _create(item: dict, terms: dict, organisations: dict, communes: dict[str, Commune]) -> Initiative:
    initiative = Initiative(
        name=item["name"],
        summary=item["summary"],
        description=item.get("description", ""),
        website=item.get("website", ""),
        status=Initiative.Status.PUBLISHED,
    )
    actions.save_initiative(initiative)
    commune = communes[item["commune"]]
    Location.objects.create(
        initiative=initiative,
        commune=commune,
        postal_code=commune.postal_codes.values_list("code", flat=True).first() or "",
        latitude=commune.latitude,
        longitude=commune.longitude,
    )
    for field, (vocabulary, attribute) in TERM_FIELDS.items():
        getattr(initiative, attribute).set([terms[vocabulary, code] for code in item.get(field, [])])
    organisation = _organisation(item, terms, organisations)
    Stakeholder.objects.create(initiative=initiative, organisation=organisation, role=Role.CARRIER)
    return initiative


def load_corpus(items: list[dict] | None = None) -> dict[int, str]:
    """Create the corpus as published initiatives (gazetteer and taxonomy must be loaded); returns id → key."""
    items = read_corpus() if items is None else items
    communes = Commune.objects.in_bulk([item["commune"] for item in items], field_name="code")
    if missing := sorted({item["commune"] for item in items} - set(communes)):
        raise CorpusError(f"communes absent from the gazetteer: {missing}")
    with transaction.atomic():
        terms, organisations = _terms(items), {}
        return {_create(item, terms, organisations, communes).pk: item["key"] for item in items}


def build_relevance_index() -> dict[int, str]:
    """Load the corpus and rebuild the search index from scratch; returns initiative id → corpus key."""
    keys_by_id = load_corpus()
    search.reindex()
    return keys_by_id


def ranked_keys(text: str, keys_by_id: dict[int, str], limit: int = CUTOFF) -> list[str]:
    response = search.query(SearchRequest(text=text, page_size=limit, facets=()))
    return [keys_by_id.get(hit.id, f"?{hit.id}") for hit in response.hits]


def precision_at(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    return sum(1 for key in ranked[:k] if grades.get(key, 0) > 0) / k


def ideal_precision(grades: dict[str, int], k: int = CUTOFF) -> float:
    return min(len(grades), k) / k


def _dcg(gains: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(gains, 1))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    ideal = _dcg(sorted(grades.values(), reverse=True)[:k])
    return _dcg([grades.get(key, 0) for key in ranked[:k]]) / ideal if ideal else 0.0


def evaluate(judgements: list[Judgement], keys_by_id: dict[int, str], k: int = CUTOFF) -> list[QueryScore]:
    scores = []
    for judgement in judgements:
        ranked, grades = ranked_keys(judgement.query, keys_by_id, k), judgement.grades
        scores.append(QueryScore(judgement, ranked, precision_at(ranked, grades, k), ndcg_at(ranked, grades, k)))
    return scores


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
