"""Merging two sheets: sources and provenance kept, values by the trust rule, old address redirecting, audited."""

import pytest

from carrefour.catalog.models import Initiative, InitiativeLink, Location
from carrefour.core.models import AuditEvent, EventType
from carrefour.dedup.actions import MergeRefused, mark_distinct, merge
from carrefour.dedup.detection import record, run
from carrefour.dedup.models import CandidateStatus, DuplicateCandidate, Merge
from carrefour.dedup.scoring import Comparison
from carrefour.search.models import IndexOutbox
from tests.factories import make_initiative, make_moderator, make_partner_record, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    first = make_initiative("Repair Café du Steir", website="https://repair-steir.fr")
    second = make_initiative("Le Repair Café du Steir", description="")
    make_partner_record(first, "annuaire-breton", "A1", licence="odbl-1.0")
    make_partner_record(second, "reseau-repair", "R9", licence="etalab-2.0")
    return first, second


def test_merge_keeps_both_sources_and_records_provenance(pair):
    survivor, merged = pair
    record_ = merge(survivor, merged)
    assert sorted(survivor.source_records.values_list("source__slug", flat=True)) == [
        "annuaire-breton",
        "reseau-repair",
    ]
    assert not merged.source_records.exists()
    name = record_.field_choices["name"]
    # Same value quality everywhere else: the Etalab source ranks before the ODbL one.
    assert name == {
        "value": "Le Repair Café du Steir",
        "from_initiative": merged.pk,
        "from_source": "reseau-repair",
        "reason": "source la plus fiable",
    }
    assert record_.field_choices["website"]["reason"] == "seule valeur renseignée"
    survivor.refresh_from_db()
    assert survivor.name == "Le Repair Café du Steir" and survivor.website == "https://repair-steir.fr"


def test_merge_archives_the_merged_sheet_and_its_address_redirects(client, pair):
    survivor, merged = pair
    old_url = merged.get_absolute_url()
    merge(survivor, merged)
    merged.refresh_from_db()
    assert merged.merged_into_id == survivor.pk and merged.status == Initiative.Status.ARCHIVED
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()
    page = client.get(survivor.get_absolute_url())
    assert "Annuaire-Breton" in page.content.decode() and "Reseau-Repair" in page.content.decode()


def test_merge_unites_places_terms_links_without_duplicates(pair):
    survivor, merged = pair
    merged.themes.add(term("theme", 3))
    InitiativeLink.objects.create(initiative=survivor, url="https://exemple.fr/steir")
    InitiativeLink.objects.create(initiative=merged, url="https://exemple.fr/steir/")
    InitiativeLink.objects.create(initiative=merged, url="https://mastodon.exemple/@steir")
    Location.objects.create(
        initiative=merged, commune_id="29019", address="8 rue de Siam", latitude=48.39, longitude=-4.49
    )
    merge(survivor, merged)
    assert survivor.locations.count() == 2  # same place in Quimper kept once, Brest added
    assert survivor.themes.filter(pk=term("theme", 3).pk).exists()
    assert survivor.links.count() == 2
    assert survivor.stakeholders.count() == 2


def test_merge_is_audited_and_reindexed(pair):
    survivor, merged = pair
    moderator = make_moderator("modo-fusion@exemple.fr")
    IndexOutbox.objects.all().delete()
    merge(survivor, merged, actor=moderator)
    event = AuditEvent.objects.get(event_type=EventType.DUPLICATES_MERGED)
    assert event.actor == moderator and event.object_id == str(survivor.pk) and event.data["merged"] == merged.pk
    status = AuditEvent.objects.filter(event_type=EventType.INITIATIVE_STATUS_CHANGED, object_id=str(merged.pk))
    assert status.get().data == {"old": "published", "new": "archived"}
    assert {survivor.pk, merged.pk} <= set(IndexOutbox.objects.values_list("initiative_id", flat=True))
    assert Merge.objects.get().actor == moderator


def test_local_edit_by_a_person_wins_over_a_source(pair):
    survivor, merged = pair
    moderator = make_moderator("modo-edit@exemple.fr")
    from carrefour.catalog.actions import save_initiative

    survivor.summary = "Résumé revu par une bénévole."
    save_initiative(survivor, moderator, changed_fields=["summary"])
    choices = merge(merged, survivor).field_choices  # even when the edited sheet is the one merged away
    assert choices["summary"]["value"] == "Résumé revu par une bénévole."
    assert choices["summary"]["reason"] == "saisie sur le Carrefour"


def test_moderator_choice_overrides_the_trust_rule(pair):
    survivor, merged = pair
    choices = merge(survivor, merged, choices={"name": survivor.pk}).field_choices
    assert choices["name"]["value"] == "Repair Café du Steir" and choices["name"]["reason"] == "choix du modérateur"


def test_merging_twice_or_with_itself_is_refused(pair):
    survivor, merged = pair
    with pytest.raises(MergeRefused):
        merge(survivor, survivor)
    merge(survivor, merged)
    with pytest.raises(MergeRefused):
        merge(survivor, merged)


def test_distinct_decision_is_remembered_and_never_proposed_again(pair):
    first, second = pair
    comparison = Comparison(first.pk, second.pk, name=1.0, score=0.8, reasons=["Noms proches (90 %)"])
    assert record([comparison], auto_merge=False)["pending"] == 1
    candidate = DuplicateCandidate.objects.get()
    mark_distinct(candidate, actor=make_moderator("modo-distinct@exemple.fr"))
    assert AuditEvent.objects.filter(event_type=EventType.DUPLICATE_MARKED_DISTINCT).exists()
    again = record([comparison], auto_merge=True)
    assert again == {"auto_merged": 0, "pending": 0, "already_decided": 1, "new": 0}
    assert DuplicateCandidate.objects.get().status == CandidateStatus.DISTINCT


def test_run_merges_near_certain_pairs_and_queues_the_others():
    same_a = make_initiative("Ressourcerie de l'Odet")
    same_b = make_initiative("La Ressourcerie de l'Odet")
    make_partner_record(same_a, "annuaire-breton", "O1")
    make_partner_record(same_b, "reseau-ressourceries", "O2")
    Location.objects.filter(initiative__in=[same_a, same_b]).update(precision=Location.Precision.ADDRESS)
    generic_a = make_initiative("Bibliothèque", commune_code="29019")
    generic_b = make_initiative("Bibliothèque", commune_code="29019")
    Location.objects.filter(initiative__in=[generic_a, generic_b]).update(precision=Location.Precision.ADDRESS)
    report = run(auto_merge=True)
    assert report["auto_merged"] == 1
    same_b.refresh_from_db()
    same_a.refresh_from_db()
    assert {same_a.merged_into_id, same_b.merged_into_id} - {None} in ({same_a.pk}, {same_b.pk})
    pending = DuplicateCandidate.objects.get(status=CandidateStatus.PENDING)
    assert {pending.first_id, pending.second_id} == {generic_a.pk, generic_b.pk}
    # Incremental: the next run compares only the survivor (changed by the merge), the one after nothing.
    assert run()["compared_sheets"] == 1
    assert run()["compared_sheets"] == 0
