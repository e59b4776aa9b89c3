"""Error pages that must render whatever broke: no database, no session, no request context.

The 400 page may answer a request whose Host header is refused (`DisallowedHost`), and the 500 page an exception
anywhere, the database included: both render their template with no request and no context processors. If even
the 500 template cannot be rendered (say, static files were not collected), a plain French page is sent.
"""

import logging

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def server_error(request):
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the last resort: never let the error page itself fail
        logger.exception("The 500 page could not be rendered")
        body = "<!DOCTYPE html><html lang='fr'><title>{title}</title><h1>{title}</h1><p>{text}</p></html>".format(
            title=_("Une erreur est survenue"), text=_("Réessayez dans quelques instants.")
        )
    return HttpResponseServerError(body)
