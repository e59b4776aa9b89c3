"""The DCAT catalogue (DCAT 2 / DCAT-AP, R-DATA-17): one dataset per licence, one distribution per generated file.

Built once as JSON-LD with an inline context (no remote context to fetch); Turtle is the same graph serialised by
rdflib. Dates are those of the data (`dct:modified`: last update of a record) and of the first export
(`dct:issued`, kept in the manifest).
"""

import json
import warnings

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from rdflib import Graph

from carrefour.catalog.models import Term, Vocabulary
from carrefour.opendata.licences import Distribution, distributions
from carrefour.opendata.manifest import export_files, read_manifest

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
KEYWORDS = ("innovation sociale", "économie sociale et solidaire", "initiatives locales", "solidarité", "territoires")


def _date(value: str | None) -> dict | None:
    return {"@value": value, "@type": "xsd:dateTime"} if value else None


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _publisher() -> dict:
    return {"@id": _url("/#editeur"), "@type": "foaf:Organization", "foaf:name": settings.OPENDATA_PUBLISHER}


def _contact() -> dict:
    return {
        "@type": "vcard:Organization",
        "vcard:fn": settings.OPENDATA_PUBLISHER,
        "vcard:hasEmail": {"@id": f"mailto:{settings.OPENDATA_CONTACT_EMAIL}"},
    }


def _distribution(export) -> dict:
    url = _url(reverse("opendata:download", args=[export.name]))
    conforms = export.format.conforms_to
    if conforms and "://" not in conforms:
        conforms = _url(reverse("opendata:download", args=[conforms]))
    node = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": f"{export.format.label} – {export.distribution.name}",
        "dct:description": str(export.format.description),
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{export.format.media_type}"},
        "dct:format": str(export.format.label),
        "dct:license": {"@id": export.distribution.url},
        "dcat:byteSize": {"@value": str(export.size), "@type": "xsd:nonNegativeInteger"},
        "dct:modified": _date(export.modified.isoformat(timespec="seconds")),
    }
    if conforms:
        node["dct:conformsTo"] = {"@id": conforms}
    return node


def _dataset(dist: Distribution, manifest: dict, themes: list[str]) -> dict:
    files = [export for export in export_files() if export.distribution == dist and export.exists]
    entries = manifest.get("files", {})
    modified = max((entries.get(f.name, {}).get("data_modified") or "" for f in files), default="") or None
    identifier = _url(reverse("opendata:catalog")) + f"#initiatives-{dist.key}"
    return {
        "@id": identifier,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": _("Initiatives d'innovation sociale en France (%(licence)s)") % {"licence": dist.name},
        "dct:description": _(
            "Les initiatives d'innovation sociale publiées sur le Carrefour des innovations sociales, leurs lieux, "
            "thématiques et publics, et les organisations qui les portent. Sans donnée personnelle."
        ),
        "dcat:keyword": [*KEYWORDS, *themes],
        "dct:language": {"@id": f"{EU}language/FRA"},
        "dct:license": {"@id": dist.url},
        "dct:rights": _("Attribution : %(publisher)s et ses sources partenaires, avec la date de mise à jour.")
        % {"publisher": settings.OPENDATA_PUBLISHER},
        "dct:issued": _date(manifest.get("first_issued")),
        "dct:modified": _date(modified),
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/{settings.OPENDATA_FREQUENCY}"},
        "dct:spatial": {"@id": f"{EU}country/FRA"},
        "dct:publisher": {"@id": _publisher()["@id"]},
        "dcat:contactPoint": _contact(),
        "dcat:landingPage": {"@id": _url(reverse("opendata:page"))},
        "dcat:distribution": [_distribution(export) for export in files],
    }


def catalogue() -> dict:
    """The catalogue as a JSON-LD document (nodes with a null value are dropped)."""
    manifest = read_manifest()
    themes = list(
        Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, is_active=True)
        .order_by("position", "label")
        .values_list("label", flat=True)
    )
    datasets = [_dataset(dist, manifest, themes) for dist in distributions()]
    catalog = {
        "@id": _url(reverse("opendata:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _("Catalogue des données ouvertes du %(publisher)s") % {"publisher": settings.OPENDATA_PUBLISHER},
        "dct:description": _("Les jeux de données publiés par le Carrefour des innovations sociales."),
        "dct:language": {"@id": f"{EU}language/FRA"},
        "dct:publisher": _publisher(),
        "dct:modified": _date(manifest.get("generated_at")),
        "foaf:homepage": {"@id": _url("/")},
        "dcat:dataset": datasets,
    }
    return {"@context": CONTEXT, **_without_nulls(catalog)}


def _without_nulls(value):
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def parse_jsonld(text: str) -> Graph:
    """rdflib's JSON-LD parser builds a ConjunctiveGraph internally, which rdflib itself deprecates: not ours."""
    graph = Graph()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=text, format="json-ld")
    return graph


def turtle(document: dict) -> str:
    graph = parse_jsonld(json.dumps(document))
    for prefix in ("dcat", "dct", "foaf", "vcard"):
        graph.bind(prefix, CONTEXT[prefix])
    return graph.serialize(format="turtle")
