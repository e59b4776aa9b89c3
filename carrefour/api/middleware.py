"""The public API's front door (paths under /api/v1/): token lookup, request budgets (429) and CORS.

CORS: anonymous read endpoints answer any origin (`Access-Control-Allow-Origin: *`, no credentials) on GET, HEAD
and their OPTIONS preflight; writes (POST, PATCH, PUT) get no CORS header, so browsers on other sites cannot send
them. OPTIONS is answered here, uncounted.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from carrefour.api import throttle, tokens
from carrefour.api.responses import error

PREFIX = "/api/v1/"
# Called by our own pages at the pace of typing and map moves: their own, larger budget per IP address.
PAGE_ENDPOINTS = (PREFIX + "suggest", PREFIX + "search/points")
READ_METHODS = ("GET", "HEAD")
CORS_READ_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


class PublicApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self.preflight(request)
        response = self.guard(request) or self.get_response(request)
        if response.status_code == 404 and not response.get("Content-Type", "").startswith("application/json"):
            response = error(_("Aucune adresse de l'API ne correspond : voir la documentation, /api/docs."), 404)
        if request.method in READ_METHODS:
            for name, value in CORS_READ_HEADERS.items():
                response[name] = value
        return response

    def guard(self, request):
        """Identify the token (if any) and count the request; a response when it must stop here."""
        request.api_token, request.api_token_invalid = None, False
        value = tokens.bearer(request)
        if value is not None:
            request.api_token = tokens.authenticate(value)
            request.api_token_invalid = request.api_token is None
        if request.api_token is not None:
            wait = throttle.over_budget(f"token:{request.api_token.pk}", throttle.token_rates())
        elif request.path in PAGE_ENDPOINTS:
            wait = throttle.over_budget(f"page-ip:{throttle.client_ip(request)}", throttle.page_rates())
        else:
            wait = throttle.over_budget(f"ip:{throttle.client_ip(request)}", throttle.anonymous_rates())
        if wait is None:
            return None
        message = _("Trop de requêtes : réessayez dans %(seconds)s s. Pour tout le catalogue, utilisez les exports.")
        return error(message % {"seconds": wait}, 429, Retry_After=str(wait))

    def preflight(self, request):
        response = HttpResponse(status=204)
        asked = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "").upper()
        if asked in ("", *READ_METHODS):
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
        return response
