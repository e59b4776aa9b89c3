"""The « Données ouvertes » page, the downloads of the generated files and the DCAT catalogue."""

import json

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from carrefour.opendata.catalogue import catalogue, turtle
from carrefour.opendata.exports import FORMATS
from carrefour.opendata.exports.files import exports_dir
from carrefour.opendata.licences import distributions
from carrefour.opendata.manifest import README, SCHEMA, export_files, media_type, read_manifest
from carrefour.sources.models import Source

JSONLD = "application/ld+json"
TURTLE = "text/turtle"


@require_safe
def page(request):
    files = export_files()
    manifest = read_manifest()
    context = {
        "datasets": [
            {"distribution": dist, "files": [item for item in files if item.distribution == dist]}
            for dist in distributions()
        ],
        "manifest": manifest,
        "counts": {name: info.get("counts", {}) for name, info in manifest.get("files", {}).items()},
        "formats": FORMATS.values(),
        "readme": README if (exports_dir() / README).exists() else "",
        "schema": SCHEMA if (exports_dir() / SCHEMA).exists() else "",
        "sources": Source.objects.order_by("name"),
    }
    return render(request, "opendata/page.html", context)


@require_safe
def download(request, name: str):
    content_type = media_type(name)
    path = exports_dir() / name
    if content_type is None or not path.is_file():
        context = {"name": name, "known": content_type is not None}
        return render(request, "opendata/missing.html", context, status=404)
    response = FileResponse(path.open("rb"), content_type=content_type, filename=name)
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    response["Access-Control-Allow-Origin"] = "*"  # open data, read without credentials: any site may fetch it
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def catalog(request):
    """DCAT in JSON-LD by default; Turtle with `?format=ttl` or when `Accept` prefers text/turtle."""
    wanted = request.GET.get("format", "")
    if wanted not in ("", "ttl", "turtle", "jsonld", "json-ld"):
        message = _("Format inconnu : « %(format)s ». Formats possibles : jsonld (par défaut) ou ttl.") % {
            "format": wanted[:20]
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if wanted:
        as_turtle = wanted in ("ttl", "turtle")
    else:
        as_turtle = request.get_preferred_type([JSONLD, TURTLE]) == TURTLE
    document = catalogue()
    if as_turtle:
        response = HttpResponse(turtle(document), content_type=f"{TURTLE}; charset=utf-8")
    else:
        body = json.dumps(document, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type=f"{JSONLD}; charset=utf-8")
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response
