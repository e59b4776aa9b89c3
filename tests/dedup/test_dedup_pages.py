"""Moderators' duplicate pages and the `dedup` command."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from carrefour.catalog.models import Initiative
from carrefour.dedup.detection import record
from carrefour.dedup.models import CandidateStatus, DuplicateCandidate
from carrefour.dedup.scoring import Comparison
from tests.factories import login_with_second_factor, make_initiative, make_moderator, make_partner_record, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate():
    first = make_initiative("Épicerie solidaire du Steir")
    second = make_initiative("Epicerie Solidaire du Steir", summary="Une épicerie solidaire au bord du Steir.")
    make_partner_record(second, "annuaire-breton", "E1")
    record([Comparison(first.pk, second.pk, name=1.0, score=0.9, reasons=["Noms identiques", "Même commune"])], False)
    return DuplicateCandidate.objects.get()


@pytest.fixture
def moderator_client():
    client = Client()
    login_with_second_factor(client, make_moderator("modo-doublons@exemple.fr"))
    return client


def test_list_and_comparison_need_a_moderator(client, candidate):
    assert client.get(reverse("dedup:list")).status_code == 302  # to the login page
    member = Client()
    member.force_login(make_user("membre@exemple.fr"))
    assert member.get(reverse("dedup:candidate", args=[candidate.pk])).status_code == 403


def test_list_shows_pending_pairs(moderator_client, candidate):
    page = moderator_client.get(reverse("dedup:list")).content.decode()
    assert "Épicerie solidaire du Steir" in page and reverse("dedup:candidate", args=[candidate.pk]) in page


def test_comparison_page_shows_both_sheets_with_proposed_values(moderator_client, candidate):
    page = moderator_client.get(reverse("dedup:candidate", args=[candidate.pk])).content.decode()
    assert "Fusionner" in page and "Ce ne sont pas des doublons" in page
    assert 'name="field_summary"' in page and "Une épicerie solidaire au bord du Steir." in page
    assert "Annuaire-Breton" in page


def test_moderator_merges_with_field_choices(moderator_client, candidate):
    url = reverse("dedup:candidate", args=[candidate.pk])
    data = {"survivor": candidate.first_id, "field_name": candidate.first_id, "field_summary": candidate.second_id}
    response = moderator_client.post(url, data)
    assert response.status_code == 302
    survivor = Initiative.objects.get(pk=candidate.first_id)
    assert survivor.name == "Épicerie solidaire du Steir"
    assert survivor.summary == "Une épicerie solidaire au bord du Steir."
    assert survivor.source_records.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED and candidate.decided_by is not None


def test_bad_choice_gives_a_french_error_and_merges_nothing(moderator_client, candidate):
    url = reverse("dedup:candidate", args=[candidate.pk])
    response = moderator_client.post(url, {"survivor": "999999", "field_name": "abc"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Initiative.objects.filter(merged_into__isnull=False).exists()


def test_moderator_marks_pair_distinct(moderator_client, candidate):
    response = moderator_client.post(reverse("dedup:distinct", args=[candidate.pk]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISTINCT


def test_duplicates_appear_in_the_moderation_queue(moderator_client, candidate):
    page = moderator_client.get(reverse("moderation:queue")).content.decode()
    assert "Doublons possibles" in page and reverse("dedup:candidate", args=[candidate.pk]) in page


def test_command_prints_a_json_report_last(capsys):
    make_initiative("Atelier vélo de Penhars")
    make_initiative("L'Atelier vélo de Penhars")
    call_command("dedup", "--dry-run", "--full")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    report = json.loads(last)
    assert report["candidates"] >= 1 and report["dry_run"] is True and report["auto_merged"] == 0
    assert not DuplicateCandidate.objects.exists()


def test_command_refuses_an_unknown_source():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Source inconnue"):
        call_command("dedup", "--source", "nulle-part")
