"""The quality score: one definition, its advice, and the same figure in the search index."""

from datetime import timedelta

import pytest
from django.utils import timezone
from factories import make_initiative, make_organisation

from carrefour.catalog.models import Location
from carrefour.catalog.quality import Facts, evaluate, quality_report

EMPTY = Facts(
    description_length=0,
    has_themes=False,
    has_publics=False,
    precisions=(),
    has_website=False,
    has_image=False,
    has_carrier=False,
    confirmed_at=None,
)


def test_an_empty_sheet_scores_zero_and_gets_every_advice_most_rewarding_first():
    report = evaluate(EMPTY)
    assert report.score == 0.0
    assert len(report.missing) == 8
    assert report.missing[0].startswith("Décrivez")


def test_a_complete_recent_sheet_scores_one_and_needs_nothing():
    now = timezone.now()
    facts = Facts(800, True, True, ("address",), True, True, True, now - timedelta(days=10))
    report = evaluate(facts, now)
    assert report.score == 1.0
    assert report.missing == []
    assert report.percent == 100


def test_partial_criteria_earn_partial_points():
    now = timezone.now()
    facts = Facts(400, False, False, ("commune",), False, False, False, now - timedelta(days=800))
    # 0.20 * 0.5 + 0.10 (commune) + 0.05 (confirmed long ago)
    assert evaluate(facts, now).score == pytest.approx(0.25)
    assert "Précisez l'adresse du lieu." in evaluate(facts, now).missing


@pytest.mark.django_db
def test_report_on_a_saved_sheet_matches_what_the_search_index_uses():
    from carrefour.search.documents import quality
    from carrefour.search.sheets import Reader

    initiative = make_initiative(website="https://exemple.fr", organisation=make_organisation())
    initiative.locations.update(precision=Location.Precision.ADDRESS)
    report = quality_report(initiative)
    reader = Reader()
    (sheet,) = reader.read([initiative.pk])
    assert quality(sheet, timezone.now()) == report.score
    assert "Ajoutez une image." in report.missing
    assert "Ajoutez le site web de l'initiative." not in report.missing
