"""Demo data: `carrefour demo --size N [--seed S]` and `generate_demo`."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify
from stdnum.fr import siren, siret

from carrefour.catalog.models import Initiative, Location, Organisation, Role, Stakeholder, Term, Vocabulary
from carrefour.core.models import AuditEvent, EventType
from carrefour.core.text import fold
from carrefour.demo.clock import REFERENCE_DATE
from carrefour.demo.french import at_place, join_and, of_place
from carrefour.demo.generator import generate_demo
from carrefour.demo.identifiers import fake_rna, fake_siren, fake_siret
from carrefour.sources.models import Source, SourceRecord
from carrefour.territories.models import Commune

SIZE = 300  # more than the number of terms of any vocabulary, so that every term can be used


@pytest.fixture
def demo(db):
    return generate_demo(SIZE, seed=0)


def demo_initiatives():
    return Initiative.objects.filter(is_demo=True)


@pytest.mark.parametrize("size", ["0", "-1", "-3", "abc", "1.5", ""])
def test_a_size_that_is_not_a_positive_integer_is_refused_in_french(size):
    with pytest.raises(CommandError, match="n'est pas une taille valide"):
        call_command("demo", f"--size={size}")


@pytest.mark.parametrize("size", [0, -1, "abc", 1.5])
def test_a_size_passed_from_code_is_checked_too(size):
    with pytest.raises(CommandError, match="nombre entier"):
        call_command("demo", size=size)


@pytest.mark.django_db
def test_the_command_generates_the_demo_prints_a_french_summary_and_audits_it():
    out = StringIO()
    call_command("demo", "--size=40", "--seed=7", stdout=out)
    assert demo_initiatives().count() == 40
    assert "40 initiatives de démonstration créées en" in out.getvalue()
    event = AuditEvent.objects.get(event_type=EventType.DEMO_GENERATED)
    assert event.data == {"size": 40, "seed": 7}


def test_the_run_creates_exactly_n_demo_initiatives_with_their_organisations_and_sources(demo):
    assert demo["initiatives"] == SIZE
    assert demo_initiatives().count() == SIZE
    assert Organisation.objects.filter(is_demo=True).count() == demo["organisations"] > 0
    assert set(Source.objects.filter(is_demo=True).values_list("licence", flat=True)) == {"etalab-2.0", "odbl-1.0"}
    assert Source.objects.filter(is_demo=True).count() == 3


@pytest.mark.parametrize(
    "vocabulary, relation",
    [
        (Vocabulary.THEME, "initiatives_by_theme"),
        (Vocabulary.PUBLIC, "initiatives_by_public"),
        (Vocabulary.PLACE_TYPE, "initiatives_by_type"),
        (Vocabulary.INNOVATION_FORM, "initiatives_by_form"),
    ],
)
def test_every_term_of_the_sheet_vocabularies_is_used_by_a_published_demo_initiative(demo, vocabulary, relation):
    terms = Term.objects.filter(vocabulary=vocabulary, is_active=True)
    unused = terms.exclude(**{f"{relation}__status": Initiative.Status.PUBLISHED, f"{relation}__is_demo": True})
    assert terms.exists()
    assert list(unused.values_list("code", flat=True)) == []


@pytest.mark.parametrize("vocabulary, field", [(Vocabulary.STAGE, "stage"), (Vocabulary.SCALE, "scale")])
def test_every_stage_and_scale_is_used(demo, vocabulary, field):
    used = set(demo_initiatives().values_list(f"{field}_id", flat=True))
    assert set(Term.objects.filter(vocabulary=vocabulary, is_active=True).values_list("pk", flat=True)) <= used


def test_a_sub_theme_always_comes_with_its_parent_theme(demo):
    for initiative in demo_initiatives().prefetch_related("themes")[:100]:
        themes = set(initiative.themes.all())
        assert themes, initiative
        assert all(term.parent is None or term.parent in themes for term in themes)


def test_summaries_fit_in_280_characters_and_descriptions_are_markdown_with_a_list(demo):
    for summary, description in demo_initiatives().values_list("summary", "description"):
        assert 20 <= len(summary) <= 280
        assert 300 <= len(description) <= 1500
        assert "\n\n- " in description
        assert "{" not in summary + description


def test_most_demo_initiatives_are_published_and_some_are_not(demo):
    statuses = Counter(demo_initiatives().values_list("status", flat=True))
    assert statuses[Initiative.Status.PUBLISHED] >= 0.9 * SIZE
    assert statuses[Initiative.Status.PUBLISHED] < SIZE


def test_every_initiative_has_one_carrier_and_some_organisations_carry_several(demo):
    carriers = Counter(
        Stakeholder.objects.filter(role=Role.CARRIER, initiative__is_demo=True).values_list("initiative")
    )
    assert len(carriers) == SIZE and set(carriers.values()) == {1}
    per_org = Counter(
        Stakeholder.objects.filter(role=Role.CARRIER, initiative__is_demo=True).values_list("organisation", flat=True)
    )
    several = sum(1 for count in per_org.values() if count > 1)
    assert 0.15 <= several / len(per_org) <= 0.45
    assert Stakeholder.objects.filter(initiative__is_demo=True, role=Role.FUNDER).exists()
    assert Stakeholder.objects.filter(initiative__is_demo=True, role=Role.PARTNER).exists()


def test_some_initiatives_have_several_locations_in_one_departement(demo):
    multi = [i for i in demo_initiatives().prefetch_related("locations__commune") if i.locations.count() > 1]
    assert multi
    for initiative in multi:
        locations = list(initiative.locations.all())
        assert 2 <= len(locations) <= 4
        assert len({location.commune.region_id for location in locations}) == 1


def test_locations_are_at_the_commune_point_with_commune_precision(demo):
    for location in Location.objects.filter(initiative__is_demo=True).select_related("commune")[:200]:
        assert location.precision == Location.Precision.COMMUNE
        assert (location.latitude, location.longitude) == (location.commune.latitude, location.commune.longitude)
    with_address = Location.objects.filter(initiative__is_demo=True).exclude(address="").count()
    assert 0 < with_address < Location.objects.filter(initiative__is_demo=True).count()


def test_big_communes_get_more_initiatives_than_small_ones(demo):
    per_commune = Counter(Location.objects.filter(initiative__is_demo=True).values_list("commune_id", flat=True))
    biggest = Commune.objects.order_by("-population").values_list("code", flat=True).first()
    assert per_commune[biggest] == max(per_commune.values())


def test_some_initiatives_are_replicated_from_a_published_demo_initiative_of_the_same_type(demo):
    replicas = demo_initiatives().exclude(replicated_from=None).select_related("replicated_from")
    assert replicas.exists()
    for replica in replicas:
        model = replica.replicated_from
        assert model.is_demo and model.status == Initiative.Status.PUBLISHED
        assert set(replica.place_types.all()) == set(model.place_types.all())


def test_demo_rows_pass_the_model_validation(demo):
    organisations = Organisation.objects.filter(is_demo=True)
    for organisation in organisations:
        organisation.full_clean()
    assert organisations.exclude(siret="").exists() and organisations.exclude(rna="").exists()
    for organisation in organisations.exclude(siret=""):
        assert siren.is_valid(organisation.siren) and siret.is_valid(organisation.siret)
        assert organisation.siret.startswith(organisation.siren)
    for initiative in demo_initiatives()[:50]:
        initiative.full_clean()
    for location in Location.objects.filter(initiative__is_demo=True)[:50]:
        location.full_clean()


def test_slugs_are_unique_and_follow_the_names(demo):
    slugs = list(demo_initiatives().values_list("name", "slug"))
    assert len({slug for _, slug in slugs}) == SIZE
    assert all(slug.startswith(slugify(fold(name))[:150]) for name, slug in slugs)


def test_demo_data_only_uses_reserved_domains(demo):
    for website, email in demo_initiatives().values_list("website", "contact_email"):
        assert website == "" or website.startswith("https://www.example.org/")
        assert email.endswith("@example.org")
    assert (
        not Organisation.objects.filter(is_demo=True)
        .exclude(website="")
        .exclude(website__startswith="https://www.example.org/")
    )
    records = SourceRecord.objects.filter(initiative__is_demo=True)
    assert 0.25 * SIZE <= records.count() <= 0.55 * SIZE
    assert all(url.startswith("https://www.example.org/") for url in records.values_list("url", flat=True))


def test_dates_come_from_the_fixed_reference_date_not_the_clock(demo):
    for created, updated in demo_initiatives().values_list("created_at", "updated_at"):
        assert created <= updated <= REFERENCE_DATE
    assert max(Organisation.objects.filter(is_demo=True).values_list("updated_at", flat=True)) <= REFERENCE_DATE


def snapshot():
    return list(
        demo_initiatives()
        .order_by("slug", "locations__position", "locations__commune_id")
        .values_list("name", "slug", "summary", "status", "created_at", "locations__commune_id")
    )


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    generate_demo(120, seed=5)
    first = snapshot()
    generate_demo(120, seed=5)
    assert snapshot() == first
    generate_demo(120, seed=6)
    assert snapshot() != first


@pytest.mark.django_db
def test_a_new_run_replaces_the_demo_data_and_leaves_other_data_untouched():
    commune = Commune.objects.order_by("code").first()
    real = Initiative.objects.create(name="Repair Café des Tests", slug="repair-cafe-des-tests", summary="Réel.")
    Location.objects.create(initiative=real, commune=commune)
    real_org = Organisation.objects.create(name="Association réelle", slug="association-reelle")
    Stakeholder.objects.create(initiative=real, organisation=real_org)
    before = Initiative.objects.values().get(pk=real.pk)

    generate_demo(80, seed=1)
    generate_demo(60, seed=2)

    assert demo_initiatives().count() == 60
    assert Initiative.objects.values().get(pk=real.pk) == before
    assert real.locations.count() == 1 and real.stakeholders.get().organisation == real_org
    assert not Stakeholder.objects.filter(organisation__is_demo=True, initiative__is_demo=False).exists()


@pytest.mark.parametrize(
    "name, of_form, at_form",
    [
        ("Lyon", "de Lyon", "à Lyon"),
        ("Angers", "d'Angers", "à Angers"),
        ("Le Havre", "du Havre", "au Havre"),
        ("Les Abymes", "des Abymes", "aux Abymes"),
        ("La Rochelle", "de La Rochelle", "à La Rochelle"),
        ("Hyères", "d'Hyères", "à Hyères"),
    ],
)
def test_commune_names_are_elided_and_contracted(name, of_form, at_form):
    assert (of_place(name), at_place(name)) == (of_form, at_form)


def test_lists_are_joined_the_french_way():
    assert join_and(["familles", "jeunes", "seniors"]) == "familles, jeunes et seniors"


def test_generated_identifiers_are_valid():
    import random

    rng = random.Random(0)
    for _ in range(500):
        number = fake_siren(rng)
        assert siren.is_valid(number) and siret.is_valid(fake_siret(rng, number))
    assert fake_rna(rng, "2A").startswith("W20") and len(fake_rna(rng, "974")) == 10
