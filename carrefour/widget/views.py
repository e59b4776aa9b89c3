"""The embeddable widget (a compact list and map of a pre-filtered search) and its configurator.

Framing: the whole site answers `X-Frame-Options: DENY` (settings.X_FRAME_OPTIONS) and a Content-Security-Policy
with `frame-ancestors 'none'`; only `widget` is exempted (`xframe_options_exempt`, which the CSP middleware in
carrefour.core.middleware also reads: `frame-ancestors` from settings.WIDGET_FRAME_ANCESTORS, `*` by default), so
that any partner site can show it in an iframe. The widget page
has no form and never touches the session, so it sets no cookie. Its filters are those of the search page, parsed
by the same function and answered by the same engine.
"""

import dataclasses
from pathlib import Path
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from carrefour import search
from carrefour.core.maps import map_config
from carrefour.search.describe import describe
from carrefour.search.params import ParamError, SearchParamsError, parse_search
from carrefour.search.store import OutdatedIndex
from carrefour.search.views import UNAVAILABLE, result_rows
from carrefour.widget.forms import DEFAULT_HEIGHT, MAX_TITLE, WidgetForm

PAGE_SIZE, MAX_PAGE_SIZE = 8, 20
# Parameters of the widget itself, not search filters.
OWN_PARAMS = ("titre", "hauteur")
EMBED_SCRIPT = Path(__file__).resolve().parent / "static" / "widget" / "embed.js"


def search_params(query: QueryDict) -> QueryDict:
    params = query.copy()
    for name in OWN_PARAMS:
        params.pop(name, None)
    return params


@xframe_options_exempt
@require_safe
def widget(request):
    params = search_params(request.GET)
    title = " ".join((request.GET.get("titre") or "").split())[:MAX_TITLE] or _("Initiatives d'innovation sociale")
    context = {"title": title, "search_query": params.urlencode()}
    try:
        parsed = parse_search(params, default_page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
        response = search.query(dataclasses.replace(parsed.request, facets=()))
    except SearchParamsError as error:
        return render(request, "widget/widget.html", {**context, "errors": error.errors}, status=400)
    except search.SearchError as error:
        return render(request, "widget/widget.html", {**context, "errors": [ParamError("", str(error))]}, status=400)
    except OutdatedIndex:
        return render(request, "widget/widget.html", {**context, "errors": [ParamError("", str(UNAVAILABLE))]}, 503)
    points = params.copy()
    points.pop("page", None)
    points.pop("page_size", None)
    context |= {
        "response": response,
        "results": result_rows(response.hits),
        "filters": [chip.label for chip in describe(parsed, params, response)],
        "points_query": points.urlencode(),
        "map_config": map_config(),
    }
    return render(request, "widget/widget.html", context)


@require_safe
def configure(request):
    """A GET form: without JavaScript, submitting it reloads the page with the preview and the snippet."""
    form = WidgetForm(request.GET or None, initial={"hauteur": DEFAULT_HEIGHT})
    context = {"form": form}
    if form.is_bound and form.is_valid():
        query = urlencode(form.widget_params())
        path = reverse("widget:widget") + (f"?{query}" if query else "")
        context |= {
            "preview_url": path,
            "widget_url": request.build_absolute_uri(path),
            "script_url": request.build_absolute_uri(reverse("widget:embed")),
            "height": form.cleaned_data["hauteur"],
        }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "widget/configure.html", context, status=status)


@require_safe
def embed_script(request):
    """The `<script>` variant, at a stable address (static files may get hashed names)."""
    response = HttpResponse(EMBED_SCRIPT.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    return response
