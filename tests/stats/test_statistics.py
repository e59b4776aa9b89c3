"""The statistics page: publications per month, source, theme and région; moderation delays; zero-result searches."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carrefour.catalog.models import Initiative
from carrefour.contributions.models import Revision
from carrefour.search import apply_outbox
from carrefour.stats.models import ZeroResultQuery
from carrefour.stats.record import normalise, record_zero_result
from carrefour.stats.tables import all_tables, month_starts
from tests.factories import make_initiative, make_proposal

pytestmark = pytest.mark.django_db


def tables_by_slug(today=None):
    return {table.slug: table for table in all_tables(today)}


def test_month_starts_cover_the_last_twelve_months():
    months = month_starts(date(2026, 3, 15))
    assert months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1) and len(months) == 12


def test_published_initiatives_are_counted_per_month_region_and_theme():
    now = timezone.now()
    make_initiative("Repair Café de Quimper", "29232")
    make_initiative("Recyclerie de Rennes", "35238")
    old = make_initiative("Jardin de Lyon", "69123")
    Initiative.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=400))
    make_initiative("Brouillon", "29232", status=Initiative.Status.DRAFT)
    tables = tables_by_slug()
    assert tables["par-mois"].rows[-1][1] == [2]
    regions = dict(tables["par-region"].rows)
    assert regions["Bretagne"][-1] == 2 and "Auvergne-Rhône-Alpes" not in regions
    assert sum(values[-1] for _label, values in tables["par-theme"].rows) == 2
    sources = dict(tables["par-source"].rows)
    assert list(sources.values())[0][-1] == 2  # no partner source: contributions


def test_contributions_and_median_moderation_delay_per_month():
    now = timezone.now()
    make_proposal(name="Épicerie en attente")  # submitted, not decided
    for days in (1, 3, 8):
        revision = make_proposal(name=f"Épicerie décidée en {days} jours")
        Revision.objects.filter(pk=revision.pk).update(
            submitted_at=now - timedelta(days=days), decided_at=now, status=Revision.Status.APPROVED
        )
    table = tables_by_slug()["contributions"]
    _label, (submitted, decisions, median) = table.rows[-1]
    assert decisions == 3
    assert submitted == Revision.objects.filter(kind=Revision.Kind.PROPOSAL).count() - sum(
        1 for r in Revision.objects.filter(submitted_at__lt=timezone.now().replace(day=1, hour=0, minute=0))
    )
    assert median == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Épicerie   SOLIDAIRE ", "epicerie solidaire"),
        ("Repair café 29000", "repair cafe 29000"),
        ("camille.martin@exemple.fr", None),
        ("06 12 34 56 78", None),
        ("0612345678", None),
        ("13003013300016", None),
        ("12", None),
        ("", None),
        ("un texte bien trop long pour être une simple recherche de mots clés sur le site", None),
    ],
)
def test_zero_result_texts_are_folded_and_personal_looking_ones_dropped(text, expected):
    assert normalise(text) == expected


def test_search_page_records_zero_result_queries_without_personal_data(client):
    make_initiative()
    apply_outbox()
    for _ in range(2):
        client.get(reverse("search:search"), {"q": "Zéro Déchet Martien"})
    client.get(reverse("search:search"), {"q": "camille.martin@exemple.fr"})
    client.get(reverse("search:search"), {"q": "repair"})  # found something: not recorded
    rows = list(ZeroResultQuery.objects.values_list("normalised_text", "count"))
    assert rows == [("zero dechet martien", 2)]
    assert [field.name for field in ZeroResultQuery._meta.get_fields()] == ["id", "normalised_text", "month", "count"]


def test_statistics_page_shows_repeated_zero_result_searches_and_offers_csv(client):
    for _ in range(3):
        record_zero_result("ferme pédagogique lunaire")
    record_zero_result("nom de famille unique")  # once only: not shown
    html = client.get(reverse("stats:statistics")).content.decode()
    assert "ferme pedagogique lunaire" in html and "nom de famille unique" not in html
    response = client.get(reverse("stats:table_csv", args=["recherches-sans-resultat"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Texte recherché (normalisé)" and rows[1] == ["ferme pedagogique lunaire", "3"]
    assert client.get("/statistiques/inconnu.csv").status_code == 404
