"""Two people edit the same sheet (R-REL-01): the conflict form keeps both people's changes, loses neither."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from carrefour.catalog.models import Initiative
from carrefour.contributions.conflicts import BASE_SALT
from carrefour.contributions.models import Revision
from tests.contributions.html_forms import form_values
from tests.factories import make_holder, make_initiative, make_user

pytestmark = pytest.mark.django_db

A_DESCRIPTION = "Description réécrite par la première porteuse, qui ne doit pas être défaite."
B_SUMMARY = "Résumé changé par le second porteur pendant ce temps."


@pytest.fixture
def sheet():
    return make_initiative()


def holder_client(initiative, email):
    user = make_user(email)
    make_holder(initiative, user)
    client = Client()
    client.force_login(user)
    return client


def edit_url(initiative):
    return reverse("contributions:edit", kwargs={"slug": initiative.slug})


def opened_form(client, initiative) -> dict:
    """The edit form as loaded in a browser (version 1 and its signed starting point)."""
    response = client.get(edit_url(initiative))
    assert response.status_code == 200
    return form_values(response.content.decode())


def test_conflict_form_takes_the_current_values_for_fields_the_second_person_did_not_touch(sheet):
    a, b = holder_client(sheet, "anne@exemple.fr"), holder_client(sheet, "bertrand@exemple.fr")
    form_a, form_b = opened_form(a, sheet), opened_form(b, sheet)
    original_description = sheet.description
    assert a.post(edit_url(sheet), {**form_a, "description": A_DESCRIPTION}).status_code == 302

    conflict = b.post(edit_url(sheet), {**form_b, "summary": B_SUMMARY})

    assert conflict.status_code == 409
    prefilled = form_values(conflict.content.decode())
    assert prefilled["description"] == A_DESCRIPTION  # the first person's change, not B's stale copy
    assert prefilled["summary"] == B_SUMMARY  # what B typed
    assert prefilled["version"] == "2"
    sheet.refresh_from_db()
    assert sheet.summary != B_SUMMARY and sheet.description == A_DESCRIPTION  # nothing written by B yet
    assert original_description != A_DESCRIPTION

    # Sent as it is, the conflict form keeps both changes.
    assert b.post(edit_url(sheet), prefilled).status_code == 302
    sheet.refresh_from_db()
    assert sheet.description == A_DESCRIPTION and sheet.summary == B_SUMMARY and sheet.version == 3


def test_without_the_signed_starting_point_the_history_gives_the_version_the_person_opened(sheet):
    a, b = holder_client(sheet, "anne@exemple.fr"), holder_client(sheet, "bertrand@exemple.fr")
    form_a, form_b = opened_form(a, sheet), opened_form(b, sheet)
    del form_b["base"]
    a.post(edit_url(sheet), {**form_a, "description": A_DESCRIPTION})

    conflict = b.post(edit_url(sheet), {**form_b, "summary": B_SUMMARY})

    prefilled = form_values(conflict.content.decode())
    assert prefilled["description"] == A_DESCRIPTION and prefilled["summary"] == B_SUMMARY


def test_a_field_changed_on_both_sides_shows_both_values_and_keeps_the_typed_one(sheet):
    a, b = holder_client(sheet, "anne@exemple.fr"), holder_client(sheet, "bertrand@exemple.fr")
    form_a, form_b = opened_form(a, sheet), opened_form(b, sheet)
    a.post(edit_url(sheet), {**form_a, "summary": "Résumé de la première porteuse."})

    conflict = b.post(edit_url(sheet), {**form_b, "summary": B_SUMMARY})

    html = conflict.content.decode()
    assert "Modifiés des deux côtés" in html
    assert "Résumé de la première porteuse." in html  # theirs, shown
    assert form_values(html)["summary"] == B_SUMMARY  # yours, kept in the form


def test_an_altered_starting_point_is_ignored(sheet):
    """A forged `base` cannot make the other person's change look untouched: the history is used instead."""
    a, b = holder_client(sheet, "anne@exemple.fr"), holder_client(sheet, "bertrand@exemple.fr")
    form_a, form_b = opened_form(a, sheet), opened_form(b, sheet)
    a.post(edit_url(sheet), {**form_a, "description": A_DESCRIPTION})
    conflict = b.post(edit_url(sheet), {**form_b, "base": form_b["base"][:-3] + "xyz", "summary": B_SUMMARY})
    assert conflict.status_code == 409
    assert form_values(conflict.content.decode())["description"] == A_DESCRIPTION
    assert Initiative.objects.get(pk=sheet.pk).summary != B_SUMMARY


def test_the_suggestion_form_never_shows_the_private_contact_address_and_keeps_it(alice, sheet):
    sheet.contact_email = "adresse.privee@exemple.fr"
    sheet.save()
    url = reverse("contributions:suggest_edit", kwargs={"slug": sheet.slug})
    html = alice.get(url).content.decode()
    assert "adresse.privee" not in html
    form = form_values(html)
    assert "contact_email" not in signing.loads(form["base"], salt=BASE_SALT)["data"]
    assert alice.post(url, {**form, "summary": B_SUMMARY}).status_code == 302
    suggestion = Revision.objects.get(kind=Revision.Kind.SUGGESTED_EDIT)
    assert suggestion.data["contact_email"] == "adresse.privee@exemple.fr" and suggestion.data["summary"] == B_SUMMARY
