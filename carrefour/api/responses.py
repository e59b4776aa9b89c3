"""JSON responses of the API: the licence envelope, French errors, ETags with 304, cache headers."""

import hashlib
import json
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LICENCE = "etalab-2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PRODUCER = gettext_lazy("Carrefour des innovations sociales et ses sources partenaires")
READ_CACHE = "public, max-age=60"
READ_METHODS = ("GET", "HEAD")


def dumps(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def envelope(data: dict, updated=None) -> dict:
    """Licence and attribution (R-DATA-15), added to every successful read response."""
    from carrefour.api.serializers import last_update

    moment = updated or last_update()
    attribution = str(PRODUCER)
    if moment:
        attribution += _(", données mises à jour le %(date)s") % {"date": moment.date().isoformat()}
    return {**data, "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": attribution}


def json_response(data: dict, status: int = 200, **headers) -> HttpResponse:
    response = HttpResponse(dumps(data), status=status, content_type="application/json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error(message: str, status: int = 400, errors: list | None = None, **headers) -> HttpResponse:
    data: dict = {"error": str(message)}
    if errors:
        data["errors"] = errors
    response = json_response(data, status, **headers)
    response["Cache-Control"] = "no-store"
    return response


def not_found() -> HttpResponse:
    return error(_("Aucune ressource publique à cette adresse."), 404)


def body_etag(body: bytes, weak: bool = True) -> str:
    digest = hashlib.sha256(body).hexdigest()[:32]
    return f'W/"{digest}"' if weak else f'"{digest}"'


def parse_etags(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def weak_match(etag: str, header: str) -> bool:
    """If-None-Match uses the weak comparison: W/ prefixes are ignored."""
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def conditional(request, data: dict, etag: str | None = None, cache: str = READ_CACHE) -> HttpResponse:
    """A 200 with an ETag (the body's hash unless given), or a 304 when the client already has it."""
    body = dumps(data)
    etag = etag or body_etag(body)
    if weak_match(etag, request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response


def read_only(view):
    """GET and HEAD only, with a French JSON 405 otherwise."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return method_not_allowed(READ_METHODS)
        return view(request, *args, **kwargs)

    return wrapper


def method_not_allowed(allowed) -> HttpResponse:
    message = _("Méthode non autorisée : cette adresse répond à %(methods)s.") % {"methods": ", ".join(allowed)}
    return error(message, 405, Allow=", ".join(allowed))
