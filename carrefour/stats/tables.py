"""The statistics tables: published initiatives per month, per source, theme and région over the last months;
contributions and moderation delays; searches that found nothing. Each table is plain data (title, column heads,
rows of numbers) rendered as an HTML table with bars and as CSV."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Initiative
from carrefour.contributions.models import Revision
from carrefour.stats.models import ZeroResultQuery

MONTHS = 12
ZERO_RESULT_MONTHS = 3
MIN_SHOWN_SEARCHES = 2  # a search typed only once is not shown: it could be a name
TOP_SEARCHES = 20
MODERATED_KINDS = (Revision.Kind.PROPOSAL, Revision.Kind.SUGGESTED_EDIT)
WITHOUT_SOURCE = _("Sans source partenaire (contributions)")
WITHOUT_THEME = _("Sans thématique")
WITHOUT_REGION = _("Sans lieu")


@dataclass
class Table:
    slug: str
    title: object
    heads: list  # column heads after the first (row label) column
    rows: list[tuple[str, list]] = field(default_factory=list)  # (label, values)
    label_head: object = ""
    note: object = ""
    bar: int = -1  # the column drawn as a bar

    @property
    def lines(self) -> list[tuple[str, list, float]]:
        """(label, values, bar width in percent of the largest value)."""
        largest = max((values[self.bar] or 0 for _label, values in self.rows), default=0) or 1
        return [(label, values, round(100 * (values[self.bar] or 0) / largest, 1)) for label, values in self.rows]


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _index in range(count):
        months.append(first)
        first = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    return months[::-1]


def month_label(month: date) -> str:
    return date_format(month, "M Y")


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def per_month(months: list[date]) -> Table:
    published = Initiative.published.filter(published_at__date__gte=months[0])
    found = {
        _as_date(row["month"]): row["count"]
        for row in published.annotate(month=TruncMonth("published_at")).values("month").annotate(count=Count("pk"))
    }
    table = Table("par-mois", _("Initiatives publiées par mois"), [_("Initiatives publiées")], label_head=_("Mois"))
    table.rows = [(month_label(month), [found.get(month, 0)]) for month in months]
    return table


def per_dimension(months: list[date], slug: str, title, label_head, dimension, missing) -> Table:
    """Published initiatives per (dimension value, month of publication); an initiative counts once per value."""
    rows = (
        Initiative.published.filter(published_at__date__gte=months[0])
        .annotate(month=TruncMonth("published_at"), label=dimension)
        .values("label", "month")
        .annotate(count=Count("pk", distinct=True))
    )
    grid: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        grid[row["label"] or str(missing)][_as_date(row["month"])] = row["count"]
    table = Table(slug, title, [month_label(m) for m in months] + [_("Total")], label_head=label_head)
    lines = [(label, [by_month.get(m, 0) for m in months]) for label, by_month in grid.items()]
    table.rows = sorted(((label, values + [sum(values)]) for label, values in lines), key=lambda r: (-r[1][-1], r[0]))
    return table


def contributions(months: list[date]) -> Table:
    """Per month: contributions submitted to moderation, decisions, and the median delay of those decisions."""
    moderated = Revision.objects.filter(kind__in=MODERATED_KINDS)
    submitted = moderated.annotate(at=Coalesce("submitted_at", "created_at")).filter(at__date__gte=months[0])
    submitted_per_month = {
        _as_date(row["month"]): row["count"]
        for row in submitted.annotate(month=TruncMonth("at")).values("month").annotate(count=Count("pk"))
    }
    delays: dict[date, list[float]] = defaultdict(list)
    decided = moderated.filter(decided_at__date__gte=months[0]).annotate(at=Coalesce("submitted_at", "created_at"))
    for at, decided_at in decided.values_list("at", "decided_at"):
        month = timezone.localtime(decided_at).date().replace(day=1)
        delays[month].append(max((decided_at - at).total_seconds(), 0) / 86400)
    table = Table(
        "contributions",
        _("Contributions et délais de modération"),
        [_("Contributions soumises"), _("Décisions de modération"), _("Délai médian (jours)")],
        label_head=_("Mois"),
        note=_("Propositions d'initiatives et modifications proposées ; le délai va de la soumission à la décision."),
        bar=0,
    )
    for month in months:
        month_delays = delays.get(month, [])
        median = round(statistics.median(month_delays), 1) if month_delays else None
        decisions = len(month_delays)
        table.rows.append((month_label(month), [submitted_per_month.get(month, 0), decisions, median]))
    return table


def zero_results(today: date) -> Table:
    since = month_starts(today, ZERO_RESULT_MONTHS)[0]
    rows = (
        ZeroResultQuery.objects.filter(month__gte=since)
        .values("normalised_text")
        .annotate(total=Sum("count"))
        .filter(total__gte=MIN_SHOWN_SEARCHES)
        .order_by("-total", "normalised_text")[:TOP_SEARCHES]
    )
    table = Table(
        "recherches-sans-resultat",
        _("Recherches sans résultat (3 derniers mois)"),
        [_("Nombre de recherches")],
        label_head=_("Texte recherché (normalisé)"),
        note=_(
            "Textes mis en minuscules et sans accents, sans aucune donnée sur les personnes ; une recherche faite "
            "une seule fois n'est pas affichée."
        ),
    )
    table.rows = [(row["normalised_text"], [row["total"]]) for row in rows]
    return table


def all_tables(today: date | None = None) -> list[Table]:
    today = today or timezone.localdate()
    months = month_starts(today)
    theme = Coalesce(F("themes__parent__label"), F("themes__label"))
    source = F("source_records__source__name")
    region = F("locations__commune__region__name")
    return [
        per_month(months),
        per_dimension(months, "par-source", _("Initiatives publiées par source"), _("Source"), source, WITHOUT_SOURCE),
        per_dimension(
            months, "par-theme", _("Initiatives publiées par thématique"), _("Thématique"), theme, WITHOUT_THEME
        ),
        per_dimension(months, "par-region", _("Initiatives publiées par région"), _("Région"), region, WITHOUT_REGION),
        contributions(months),
        zero_results(today),
    ]
