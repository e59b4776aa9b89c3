"""The fixed query mix of the search benchmarks (in process and over HTTP), grouped by kind of query.

Standard library only: `scripts/load_site.py` imports it without Django. Facet values are taxonomy codes and
INSEE codes of the demo data (`carrefour demo`).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

# The six facets counted with every query of the mix.
BENCH_FACETS = ("theme", "public", "type", "stage", "region", "departement")

LYON = (45.7640, 4.8357)
PARIS = (48.8566, 2.3522)
RHONE_BBOX = (4.24, 45.45, 5.16, 46.31)  # west, south, east, north
GIRONDE_BBOX = (-1.27, 44.19, 0.32, 45.58)

# Group key → French label, in display order.
GROUPS = {
    "single": "terme simple",
    "frequent": "terme très fréquent",
    "several": "plusieurs termes",
    "unaccented": "sans accents",
    "typo": "fautes de frappe",
    "prefix": "préfixes",
    "phrase": "expressions",
    "plural": "pluriel / trait d'union",
    "radius": "rayon",
    "bbox": "rectangle",
    "combined": "texte + filtre + rayon",
}


@dataclass(frozen=True)
class BenchQuery:
    group: str
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def label(self) -> str:
        parts = [f"« {self.text} »"] if self.text else []
        parts += [f"{facet}={','.join(values)}" for facet, values in self.filters.items()]
        if self.near:
            radius = f"{self.radius_km:g} km " if self.radius_km is not None else ""
            parts.append(f"{radius}autour de {self.near[0]:g},{self.near[1]:g}")
        if self.bbox:
            parts.append("bbox " + ",".join(f"{value:g}" for value in self.bbox))
        return " ".join(parts)

    def api_query_string(self) -> str:
        """The query string of `/api/v1/search` asking the same question."""
        params: list[tuple[str, str]] = [("q", self.text)] if self.text else []
        params += [(facet, value) for facet, values in self.filters.items() for value in values]
        if self.near:
            params.append(("near", f"{self.near[0]},{self.near[1]}"))
        if self.near and self.radius_km is not None:
            params.append(("radius_km", f"{self.radius_km:g}"))
        if self.bbox:
            params.append(("bbox", ",".join(f"{value:g}" for value in self.bbox)))
        return urlencode(params)


def _texts(group: str, *texts: str) -> list[BenchQuery]:
    return [BenchQuery(group, text) for text in texts]


QUERIES: tuple[BenchQuery, ...] = (
    *_texts("single", "jardin", "ressourcerie", "fablab"),
    *_texts("frequent", "solidaire", "habitants"),
    *_texts("several", "atelier réparation vélo", "épicerie solidaire produits locaux", "insertion professionnelle"),
    *_texts("unaccented", "epicerie solidaire", "velo", "economie sociale", "reemploi"),
    *_texts("typo", "ressourcrie", "jardn partage", "insertion professionelle"),
    *_texts("prefix", "fabl", "ressour", "jardin part"),
    *_texts("phrase", '"jardin partagé"', '"repair café"'),
    *_texts("plural", "tiers-lieux", "tiers lieu", "Tiers-Lieu"),
    BenchQuery("radius", near=LYON, radius_km=10),
    BenchQuery("radius", near=PARIS, radius_km=50),
    BenchQuery("bbox", bbox=RHONE_BBOX),
    BenchQuery("bbox", bbox=GIRONDE_BBOX),
    BenchQuery("combined", "jardin", filters={"theme": ("ENV",)}, near=LYON, radius_km=50),
    BenchQuery("combined", "solidaire", filters={"public": ("JEU",)}, near=PARIS, radius_km=10),
    BenchQuery("combined", "atelier vélo", filters={"type": ("VEL",), "region": ("84",)}, near=LYON, radius_km=50),
)
