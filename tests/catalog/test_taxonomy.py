"""The common taxonomy: its data files, its crosswalks and its loader."""

import csv
import shutil
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from carrefour.catalog.models import Crosswalk, Term, Vocabulary
from carrefour.catalog.taxonomy_loader import (
    DATA_DIR,
    NO_EQUIVALENT,
    TaxonomyError,
    load_taxonomy,
    outbound_mapping,
    read_taxonomy,
    terms_for,
)
from carrefour.core.models import AuditEvent, EventType
from carrefour.core.text import fold

CODES_2018 = (
    "AGR AME AUT BIO CIT CLI COH COM COO COP COR CUL DEC DRO EAU ECO EDU EMP ENE EVA "
    "FIN FOR GOU HAB HAN INS JEU LOI MEC MED MOB NUM PAR REC SAN SEN SER SPO TOU URB"
).split()
THEMES_2019 = "EDU EMP ENV SAN SOL TER ART COM CON DEM GOU NUM SPO TOU FIN PAT".split()
SUB_THEMES_2019 = (
    "EDC EGA ENF INN ACE FOR ORG ADA AGR ALI GES ENE PRN ACS AID BIE PRV EFH GRA HAN LIE LUT SEN AMH COO INI MOB"
).split()
METHODS_2018 = "COO EVA GOU MEC MED PAR REC".split()


def vocabulary_file(vocabulary: str) -> dict:
    return yaml.safe_load((DATA_DIR / f"{vocabulary}.yaml").read_text(encoding="utf-8"))


def raw_terms(vocabulary: str) -> list[dict]:
    """Every term of a vocabulary file, sub-terms included, each with the code of its parent (or None)."""
    terms = []
    for term in vocabulary_file(vocabulary)["terms"]:
        terms.append({**term, "parent": None})
        terms += [{**child, "parent": term["code"]} for child in term.get("children", [])]
    return terms


def codes(vocabulary: str) -> set[str]:
    return {term["code"] for term in raw_terms(vocabulary)}


def crosswalk_rows(name: str) -> list[dict]:
    with (DATA_DIR / "crosswalks" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def targets(name: str, source_code: str) -> set[tuple[str, str]]:
    return {
        (row["vocabulary"], row["target_code"]) for row in crosswalk_rows(name) if row["source_code"] == source_code
    }


def pinned_data_inclusion_values() -> dict:
    return yaml.safe_load((DATA_DIR / "data-inclusion-values.yaml").read_text(encoding="utf-8"))


def copy_of_the_data(tmp_path):
    return shutil.copytree(DATA_DIR, tmp_path / "taxonomy")


def rewrite_vocabulary(folder, vocabulary: str, change) -> None:
    path = folder / f"{vocabulary}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document["terms"])
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


# The data files.


def test_every_vocabulary_has_one_file_named_after_it():
    for vocabulary in Vocabulary.values:
        assert vocabulary_file(vocabulary)["vocabulary"] == vocabulary
    expected = {f"{vocabulary}.yaml" for vocabulary in Vocabulary.values} | {"data-inclusion-values.yaml"}
    assert {path.name for path in DATA_DIR.glob("*.yaml")} == expected


def test_the_taxonomy_has_a_version():
    assert read_taxonomy().version == (DATA_DIR / "VERSION").read_text().strip() == "2026.1"


@pytest.mark.parametrize("vocabulary", Vocabulary.values)
def test_every_code_is_unique_within_its_vocabulary(vocabulary):
    all_codes = [term["code"] for term in raw_terms(vocabulary)]
    assert all_codes and len(all_codes) == len(set(all_codes))


@pytest.mark.parametrize("vocabulary", Vocabulary.values)
def test_every_slug_is_unique_within_its_vocabulary(vocabulary):
    slugs = [term.get("slug") or slugify(fold(term["label"])) for term in raw_terms(vocabulary)]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("vocabulary", Vocabulary.values)
def test_every_code_is_short_uppercase_ascii(vocabulary):
    for term in raw_terms(vocabulary):
        assert term["code"].isascii() and term["code"] == term["code"].upper(), term["code"]
        assert len(term["code"]) <= 8, term["code"]


@pytest.mark.parametrize("vocabulary", Vocabulary.values)
def test_every_term_has_a_capitalised_label_and_a_one_line_definition(vocabulary):
    for term in raw_terms(vocabulary):
        assert term["label"][0].isupper() or term["label"][0].isdigit(), term["code"]
        assert term["description"].strip() and "\n" not in term["description"].strip(), term["code"]
        assert term["description"].rstrip().endswith("."), term["code"]


def test_themes_form_a_two_level_tree_of_sixteen_themes():
    themes = raw_terms(Vocabulary.THEME)
    assert len([term for term in themes if term["parent"] is None]) == 16
    for term in themes:
        assert "children" not in term or term["parent"] is None, term["code"]
        if term["parent"]:
            assert term["code"].startswith(term["parent"] + "-"), term["code"]


def test_publics_and_methods_mixed_into_the_2018_domains_have_their_own_vocabularies():
    theme_labels = {fold(term["label"]) for term in raw_terms(Vocabulary.THEME)}
    assert not theme_labels & {"handicap", "jeunesse", "seniors", "evaluation", "mecenat", "mediation"}
    public_labels = {term["label"] for term in raw_terms(Vocabulary.PUBLIC)}
    assert {"Personnes en situation de handicap", "Jeunes", "Seniors", "Tous publics"} <= public_labels


def test_stages_run_from_ideation_to_replication():
    assert [term["code"] for term in raw_terms(Vocabulary.STAGE)] == ["IDE", "AMO", "DEV", "ESS"]


# Crosswalks from the original nomenclatures.


@pytest.mark.parametrize("name", ["carrefour-2018", "carrefour-2019"])
def test_every_crosswalk_target_exists(name):
    for row in crosswalk_rows(name):
        if row["target_code"] != NO_EQUIVALENT:
            assert row["target_code"] in codes(row["vocabulary"]), row


def test_every_2018_code_is_covered_by_its_crosswalk():
    assert len(CODES_2018) == 40
    assert {row["source_code"] for row in crosswalk_rows("carrefour-2018")} == set(CODES_2018)


def test_every_2019_code_is_covered_by_its_crosswalk():
    assert {row["source_code"] for row in crosswalk_rows("carrefour-2019")} == set(THEMES_2019) | set(SUB_THEMES_2019)


def test_2019_sub_theme_codes_need_no_parent_to_be_unambiguous():
    # Partner files carry them bare (`ACE--GRA--LUT--`), so the crosswalk keys them bare too.
    assert len(set(SUB_THEMES_2019)) == len(SUB_THEMES_2019)
    assert not set(SUB_THEMES_2019) & set(THEMES_2019)


def test_coh_maps_to_social_cohesion_not_energy():
    assert targets("carrefour-2018", "COH") == {("theme", "SOL-LIE")}
    label = next(term["label"] for term in raw_terms(Vocabulary.THEME) if term["code"] == "SOL-LIE")
    assert "Lien social" in label


def test_2018_publics_map_to_publics_and_methods_to_innovation_forms():
    for code in ("HAN", "JEU", "SEN"):
        assert any(vocabulary == "public" for vocabulary, _ in targets("carrefour-2018", code)), code
    for code in METHODS_2018:
        assert any(vocabulary == "innovation_form" for vocabulary, _ in targets("carrefour-2018", code)), code


def test_2018_codes_unreachable_from_any_facet_now_have_a_theme():
    for code in ("COP", "COR", "TOU"):
        assert any(vocabulary == "theme" for vocabulary, _ in targets("carrefour-2018", code)), code
    assert targets("carrefour-2018", "AUT") == {("", NO_EQUIVALENT)}


# Mapping to data·inclusion (ours → theirs, never loaded into the database).


def test_every_data_inclusion_target_is_a_pinned_value_or_no_equivalent():
    pinned = pinned_data_inclusion_values()
    allowed = {
        "theme": {entry["value"] for entry in pinned["thematiques"]},
        "public": {entry["value"] for entry in pinned["publics"]},
    }
    for row in crosswalk_rows("data-inclusion"):
        assert row["target_value"] == NO_EQUIVALENT or row["target_value"] in allowed[row["vocabulary"]], row


def test_every_theme_and_public_appears_in_the_data_inclusion_mapping():
    mapping = outbound_mapping("data-inclusion")
    for vocabulary in (Vocabulary.THEME, Vocabulary.PUBLIC):
        assert {code for voc, code in mapping if voc == vocabulary} == codes(vocabulary)
    labels = {(v, term["code"]): term["label"] for v in ("theme", "public") for term in raw_terms(v)}
    for row in crosswalk_rows("data-inclusion"):
        assert labels[(row["vocabulary"], row["code"])] == row["label"], row


def test_handicap_and_urgence_are_mapped_by_label():
    # Upstream once swapped these two values (data-inclusion-schema commit 0fd5f4e6): check value against label.
    labels = {entry["value"]: entry["label"] for entry in pinned_data_inclusion_values()["publics"]}
    mapping = outbound_mapping("data-inclusion")
    assert [labels[value] for value in mapping[("public", "HAN")]] == ["Personnes en situation de handicap"]
    assert [labels[value] for value in mapping[("public", "SDF")]] == ["Personnes en situation d’urgence"]
    assert mapping[("public", "HAN")] == ["personnes-en-situation-de-handicap"]


def test_pinned_data_inclusion_values_are_unique():
    pinned = pinned_data_inclusion_values()
    for key in ("thematiques", "publics"):
        values = [entry["value"] for entry in pinned[key]]
        assert values and len(values) == len(set(values))


# Loading into the database.


@pytest.mark.django_db
def test_loaded_taxonomy_matches_the_files():
    for vocabulary in Vocabulary.values:
        loaded = set(Term.objects.filter(vocabulary=vocabulary, is_active=True).values_list("code", flat=True))
        assert loaded == codes(vocabulary)
    sub_theme = Term.objects.get(vocabulary=Vocabulary.THEME, code="SOL-LIE")
    assert (sub_theme.parent.code, sub_theme.slug, sub_theme.since_version) == (
        "SOL",
        "lien-social-et-lutte-contre-l-isolement",
        "2026.1",
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_taxonomy()
    terms_before = list(Term.objects.order_by("pk").values())
    crosswalks_before = list(Crosswalk.objects.order_by("pk").values())
    counts = load_taxonomy()
    assert (counts["created"], counts["updated"], counts["deactivated"]) == (0, 0, 0)
    assert list(Term.objects.order_by("pk").values()) == terms_before
    assert list(Crosswalk.objects.order_by("pk").values()) == crosswalks_before


@pytest.mark.django_db
def test_a_term_removed_from_the_files_is_kept_but_marked_inactive(tmp_path):
    folder = copy_of_the_data(tmp_path)
    rewrite_vocabulary(folder, "place_type", lambda terms: terms.remove(next(t for t in terms if t["code"] == "VEL")))
    before = Term.objects.get(vocabulary=Vocabulary.PLACE_TYPE, code="VEL")

    counts = load_taxonomy(folder)

    after = Term.objects.get(pk=before.pk)
    assert (after.is_active, after.label, counts["deactivated"]) == (False, before.label, 1)
    load_taxonomy()
    assert Term.objects.get(pk=before.pk).is_active


@pytest.mark.django_db
def test_a_duplicate_code_is_refused_with_a_french_message_naming_it(tmp_path):
    folder = copy_of_the_data(tmp_path)
    twin = {"code": "FAB", "label": "Atelier de fabrication", "description": "Un doublon."}
    rewrite_vocabulary(folder, "place_type", lambda terms: terms.append(twin))
    terms_before = Term.objects.count()

    with pytest.raises(TaxonomyError, match=r"place_type\.yaml : code « FAB » en double"):
        load_taxonomy(folder)
    assert Term.objects.count() == terms_before


@pytest.mark.django_db
def test_an_unknown_crosswalk_target_is_refused_with_a_french_message_naming_it(tmp_path):
    folder = copy_of_the_data(tmp_path)
    with (folder / "crosswalks" / "carrefour-2018.csv").open("a", encoding="utf-8") as handle:
        handle.write("ZZZ,Inconnu,theme,SOL-NRJ\n")

    with pytest.raises(TaxonomyError, match=r"carrefour-2018\.csv, ligne 49 : « ZZZ » renvoie à « SOL-NRJ »"):
        load_taxonomy(folder)


@pytest.mark.django_db
def test_a_removed_crosswalk_row_is_deleted_and_other_schemes_are_left_alone(tmp_path):
    partner_row = Crosswalk.objects.create(scheme="apriles", source_code="Autonomie", term=Term.objects.first())
    folder = copy_of_the_data(tmp_path)
    path = folder / "crosswalks" / "carrefour-2018.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("AGR,Agriculture,theme,ENV-ALI\n", ""), encoding="utf-8")

    load_taxonomy(folder)

    assert [term.code for term in terms_for("carrefour-2018", "AGR")] == ["ENV-AGR"]
    assert Crosswalk.objects.filter(pk=partner_row.pk).exists()


@pytest.mark.django_db
def test_terms_for_returns_the_terms_a_code_maps_to():
    assert [term.code for term in terms_for("carrefour-2018", "AGR")] == ["ENV-AGR", "ENV-ALI"]
    assert [(term.vocabulary, term.code) for term in terms_for("carrefour-2019", " HAN ")] == [
        ("public", "HAN"),
        ("theme", "SOL"),
    ]
    assert not terms_for("carrefour-2018", "AUT").exists()
    assert not terms_for("carrefour-2018", "XYZ").exists()


@pytest.mark.django_db
def test_loading_records_an_audit_event_with_the_counts():
    counts = load_taxonomy()
    event = AuditEvent.objects.filter(event_type=EventType.TAXONOMY_LOADED).latest("pk")
    assert event.data["counts"] == counts
    assert counts["terms"]["theme"] == len(codes("theme")) and counts["top_level_themes"] == 16
    assert counts["crosswalks"] == {"carrefour-2018": 46, "carrefour-2019": 50}


@pytest.mark.django_db
def test_load_taxonomy_command_prints_the_counts_in_french():
    out = StringIO()
    call_command("load_taxonomy", stdout=out)
    assert out.getvalue().startswith(
        "Taxonomie 2026.1 chargée : 69 thématiques (dont 16 de premier niveau), 18 publics"
    )
    assert "carrefour-2018 : 46" in out.getvalue()


@pytest.mark.django_db
def test_load_taxonomy_command_reports_a_bad_file_as_an_error(tmp_path):
    folder = copy_of_the_data(tmp_path)
    (folder / "VERSION").write_text("bientôt\n", encoding="utf-8")
    with pytest.raises(CommandError, match="VERSION : version absente ou invalide"):
        call_command("load_taxonomy", data_dir=str(folder), stdout=StringIO())
