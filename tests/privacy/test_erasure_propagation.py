"""R-GDPR-05 and R-REL-04: erasing an account or a person without an account leaves no trace of their e-mail address or
name in the database (every table), the search index or the regenerated open-data exports; revisions they wrote are
pseudonymised; tombstones tell re-users what to forget."""

import json

import pytest
import tantivy
from django.db import connection
from django.urls import reverse

from carrefour.contributions.models import Revision
from carrefour.core.text import fold
from carrefour.messaging.contact import relay_contact_message
from carrefour.opendata.actions import export_open_data
from carrefour.opendata.manifest import read_manifest
from carrefour.privacy.erasure import erase_person, erase_user
from carrefour.privacy.models import ErasureTombstone
from carrefour.search import store
from carrefour.search.indexer import apply_outbox, reindex
from tests import factories

pytestmark = pytest.mark.django_db

USER_EMAIL = "gwenaelle.lebihan@exemple.fr"
USER_NAME = "Gwenaëlle Le Bihan"
PERSON_EMAIL = "jean-yves.kerouac@exemple.fr"
PERSON_NAME = "Jean-Yves Kérouac"


def needles(*values: str) -> list[str]:
    """Each value as typed, as JSON escapes it, and folded (as the search index analyses it)."""
    found = []
    for value in values:
        found += [value.casefold(), json.dumps(value)[1:-1].casefold(), fold(value)]
    return sorted(set(found))


def database_hits(*values: str) -> list[str]:
    """Every table, every row, every column: where does any of the values still appear?"""
    wanted = needles(*values)
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).casefold()
                hits += [f"{table}: {needle}" for needle in wanted if needle in text]
    return hits


def index_hits(*values: str) -> list[str]:
    searcher = store.searcher()
    result = searcher.search(tantivy.Query.all_query(), limit=100_000)
    stored = [value for _score, address in result.hits for values in searcher.doc(address).to_dict().values()
              for value in values]  # fmt: skip
    text = " ".join(value.decode() if isinstance(value, bytes) else str(value) for value in stored).casefold()
    return [needle for needle in needles(*values) if needle in text]


def export_hits(folder, *values: str) -> list[str]:
    hits = []
    for path in folder.iterdir():
        if path.is_file():
            text = path.read_text(encoding="utf-8").casefold()
            hits += [f"{path.name}: {needle}" for needle in needles(*values) if needle in text]
    return hits


@pytest.fixture
def exports(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "exports"
    return settings.OPENDATA_DIR


def test_the_needles_are_found_before_the_erasure(exports):
    """The probe works: a person's values are found where they were written (a test that can fail)."""
    initiative = factories.make_initiative(contact_email=USER_EMAIL, summary=f"Un atelier animé par {USER_NAME}.")
    reindex()
    export_open_data()
    assert database_hits(USER_EMAIL)
    assert index_hits(USER_NAME)
    assert export_hits(exports, USER_NAME)
    assert initiative.pk


def test_erasing_an_account_leaves_no_trace_and_pseudonymises_its_revisions(
    exports, django_capture_on_commit_callbacks
):
    user = factories.make_user(USER_EMAIL, first_name="Gwenaëlle", last_name="Le Bihan")
    sheet = factories.make_initiative(contact_email=USER_EMAIL)
    other = factories.make_initiative("Épicerie solidaire du Guelmeur", "29019")
    edit = factories.make_suggested_edit(sheet, author=user)
    applied = factories.make_applied_revision(sheet, author=user)
    factories.make_saved_search(USER_EMAIL)  # an alert created before signing up, without the account
    factories.make_saved_search(USER_EMAIL, user=user, label="Tiers-lieux")
    factories.make_replication_request(other, requester=user)
    relay_contact_message(
        other,
        sender_name=USER_NAME,
        sender_email=USER_EMAIL,
        purpose="question",
        body="Bonjour !",
        client_ip="10.0.0.1",
    )
    factories.make_favourite_list(owner=user)
    reindex()
    export_open_data()
    first_export = read_manifest()["generated_at"]
    assert edit.data["contact_email"] == USER_EMAIL  # the snapshot holds the sheet's private contact

    user_id = user.pk
    with django_capture_on_commit_callbacks(execute=True):
        report = erase_user(user)
    apply_outbox()

    assert database_hits(USER_EMAIL, USER_NAME) == []
    assert index_hits(USER_EMAIL, USER_NAME) == []
    assert export_hits(exports, USER_EMAIL, USER_NAME) == []
    assert read_manifest()["generated_at"] >= first_export
    for revision in Revision.objects.filter(pk__in=[edit.pk, applied.pk]):
        assert revision.author_id is None
        assert revision.data["contact_email"] == ""
        assert revision.data["name"] == sheet.name  # the sheet's own content stays
    sheet.refresh_from_db()
    assert sheet.contact_email == "" and sheet.version > 1
    assert ErasureTombstone.objects.filter(object_type="account", object_id=str(user_id)).exists()
    assert ErasureTombstone.objects.get(object_type="initiative", object_id=str(sheet.pk)).fields == ["contact_email"]
    assert report.counts["contributions.Revision:pseudonymised"] == 2


def test_the_history_shows_the_deleted_author_without_a_name(client, django_capture_on_commit_callbacks):
    user = factories.make_user(USER_EMAIL, first_name="Gwenaëlle", last_name="Le Bihan")
    sheet = factories.make_initiative()
    factories.make_applied_revision(sheet, author=user)
    with django_capture_on_commit_callbacks(execute=True):
        erase_user(user)
    page = client.get(reverse("contributions:history", kwargs={"slug": sheet.slug}))
    assert page.status_code == 200
    text = page.content.decode()
    assert USER_NAME not in text and USER_EMAIL not in text
    assert "supprimé" in text


def test_erasing_a_person_without_an_account_reaches_sheets_messages_mails_alerts_and_imports(
    exports, django_capture_on_commit_callbacks
):
    sheet = factories.make_initiative(contact_email=PERSON_EMAIL)
    edit = factories.make_suggested_edit(sheet)
    other = factories.make_initiative("Ressourcerie du Pays de Morlaix", "29151", contact_email=PERSON_EMAIL)
    relay_contact_message(
        other,
        sender_name="Paul Tanguy",
        sender_email="paul.tanguy@exemple.fr",
        purpose="question",
        body="Bonjour",
        client_ip="10.0.0.2",
    )  # fmt: skip  — a message *to* the person (their address receives it)
    relay_contact_message(
        sheet, sender_name=PERSON_NAME, sender_email=PERSON_EMAIL, purpose="visite", body="Je passerai samedi.",
        client_ip="10.0.0.3",
    )  # fmt: skip
    alert = factories.make_saved_search(PERSON_EMAIL)
    untouched = factories.make_saved_search("quelqu.un.d.autre@exemple.fr")
    record = factories.make_partner_record(other)
    record.imported_values = {"contact_email": PERSON_EMAIL, "name": other.name}
    record.save(update_fields=["imported_values"])
    reindex()
    export_open_data()
    assert database_hits(PERSON_EMAIL, PERSON_NAME)

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(PERSON_EMAIL)
    apply_outbox()

    assert database_hits(PERSON_EMAIL, PERSON_NAME) == []
    assert index_hits(PERSON_EMAIL, PERSON_NAME) == []
    assert export_hits(exports, PERSON_EMAIL, PERSON_NAME) == []
    edit.refresh_from_db()
    assert edit.data["contact_email"] == "" and edit.data["summary"]
    record.refresh_from_db()
    assert record.imported_values == {"contact_email": "", "name": other.name}
    assert not type(alert).objects.filter(pk=alert.pk).exists()
    assert type(untouched).objects.filter(pk=untouched.pk).exists()
    erased = {(t.object_type, t.object_id) for t in ErasureTombstone.objects.all()}
    assert {("initiative", str(sheet.pk)), ("initiative", str(other.pk))} <= erased
    assert any(object_type == "person" for object_type, _id in erased)


def test_a_single_word_name_is_not_searched_everywhere(django_capture_on_commit_callbacks):
    """« Marie » alone would blank every text that mentions Sainte-Marie: only full names are searched."""
    sheet = factories.make_initiative("Jardin partagé de Sainte-Marie", "29232", contact_email="contact@jardin.fr")
    revision = factories.make_suggested_edit(sheet)
    revision.comment = "Précisions apportées par Marie"
    revision.save(update_fields=["comment"])
    with django_capture_on_commit_callbacks(execute=True):
        erase_person("marie@exemple.fr", ["Marie"])
    revision.refresh_from_db()
    assert revision.comment == "Précisions apportées par Marie"


def test_a_name_shared_with_an_organisation_never_empties_a_sheet_history(django_capture_on_commit_callbacks):
    sheet = factories.make_initiative("Recyclerie Yann Le Du", "29232")
    revision = factories.make_applied_revision(sheet)
    carrier = revision.data["carrier"]["name"]
    assert carrier == "Association Recyclerie Yann Le Du"
    with django_capture_on_commit_callbacks(execute=True):
        erase_person("yann.ledu@exemple.fr", ["Yann Le Du"])
    revision.refresh_from_db()
    assert revision.data["carrier"]["name"] == carrier and revision.data["name"] == "Recyclerie Yann Le Du"
