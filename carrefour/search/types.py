"""The one search interface's request and response types, shared by the page, the API, the widget and alerts."""

from dataclasses import dataclass, field

# Facet names, in display order. Values are taxonomy codes, INSEE codes, or source slugs.
FACETS = (
    "theme",  # N1 theme codes (Term.code, vocabulary theme, parent is null)
    "subtheme",  # N2 theme codes
    "public",
    "type",  # place_type codes
    "stage",
    "scale",
    "region",  # INSEE région code
    "departement",  # INSEE département code
    "epci",  # SIREN of the EPCI
    "commune",  # INSEE commune code
    "source",  # Source.slug
    "org_type",  # structure_type code of the carrying organisations
)
SORTS = ("relevance", "distance", "freshness")
MAX_QUERY_LENGTH = 200
MAX_FILTER_VALUES = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name → selected values (OR)
    near: tuple[float, float] | None = None  # (lat, lon) of a point, an address or a commune
    radius_km: float | None = None  # with `near`: keep only initiatives within this distance
    bbox: tuple[float, float, float, float] | None = None  # (west, south, east, north)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = FACETS  # which facets to count
    explain: bool = False


@dataclass
class Hit:
    id: int
    slug: str
    name: str
    summary: str
    commune: str  # name of the first location's commune
    commune_code: str
    departement: str  # code
    region: str  # code
    lat: float | None
    lon: float | None
    themes: list[str]  # theme codes
    score: float
    distance_km: float | None = None
    snippet: str = ""  # summary with <mark> around matched words, HTML-escaped otherwise
    explanation: dict | None = None  # with SearchRequest.explain: the parts of the blended score


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResponse:
    request: SearchRequest
    count: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    understood: dict  # the query as understood: terms, phrases, corrections, place…
    suggestions: list[str] = field(default_factory=list)  # spelling suggestions when nothing matched
