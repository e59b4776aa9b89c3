"""JSON-LD export: each initiative as on its page (`carrefour.catalog.jsonld`, schema.org `Project`), in one graph.

The context is written inline (schema.org's vocabulary, the same IRIs as the pages' `https://schema.org` context),
so the file reads offline. The first node is the `Dataset` itself, with its licence, attribution and date.
"""

import json
from typing import TextIO

from django.conf import settings
from django.urls import reverse

from carrefour.catalog.jsonld import initiative_jsonld
from carrefour.opendata.records import ExportContext, initiatives, page_url

CONTEXT = {
    "@vocab": "http://schema.org/",
    "url": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
    "license": {"@type": "@id"},
}


def dataset_node(context: ExportContext, filename: str) -> dict:
    dist = context.distribution
    return {
        "@id": settings.SITE_URL + reverse("opendata:download", args=[filename]),
        "@type": "Dataset",
        "name": "Initiatives d'innovation sociale – Carrefour des innovations sociales",
        "license": dist.url,
        "creditText": context.attribution,
        "dateModified": context.last_update.isoformat() if context.last_update else None,
        "publisher": {"@type": "Organization", "name": settings.OPENDATA_PUBLISHER, "url": settings.SITE_URL + "/"},
    }


def item(initiative) -> dict:
    data = initiative_jsonld(initiative, initiative.public_locations, initiative.carrier_stakes)
    del data["@context"]
    return {"@id": page_url(initiative), **data}


def write(handle: TextIO, context: ExportContext, filename: str = "") -> dict:
    from carrefour.opendata.exports import FORMATS

    filename = filename or FORMATS["jsonld"].filename(context.distribution)
    handle.write('{"@context":' + json.dumps(CONTEXT) + ',"@graph":[\n')
    handle.write(json.dumps(dataset_node(context, filename), ensure_ascii=False))
    count = 0
    for initiative in initiatives(context):
        handle.write(",\n" + json.dumps(item(initiative), ensure_ascii=False))
        count += 1
    handle.write("\n]}\n")
    return {"items": count}
