"""The statistics page and the CSV download of each of its tables."""

import csv

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from carrefour.stats.tables import all_tables

CACHE_SECONDS = 10 * 60


def _tables():
    tables = cache.get("stats:tables:v1")
    if tables is None:
        tables = all_tables()
        cache.set("stats:tables:v1", tables, CACHE_SECONDS)
    return tables


@require_GET
def statistics_page(request):
    return render(request, "stats/statistics.html", {"tables": _tables()})


@require_GET
def table_csv(request, slug: str):
    table = next((table for table in _tables() if table.slug == slug), None)
    if table is None:
        raise Http404(_("Ce tableau de statistiques n'existe pas."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="carrefour-statistiques-{slug}.csv"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow([str(table.label_head), *(str(head) for head in table.heads)])
    for label, values in table.rows:
        writer.writerow([label, *("" if value is None else value for value in values)])
    return response
