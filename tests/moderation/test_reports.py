"""« Signaler un problème »: distinct reporters hide a sheet until a moderator restores or archives it."""

import pytest
from django.test import Client
from django.urls import reverse

from carrefour import search
from carrefour.catalog.models import Initiative
from carrefour.contributions.models import Report
from carrefour.core.models import AuditEvent
from carrefour.search.types import SearchRequest
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db


def report_as(user, initiative, reason="closed"):
    client = Client()
    client.force_login(user)
    url = reverse("contributions:report", kwargs={"slug": initiative.slug})
    return client.post(url, {"reason": reason, "message": "Le lieu a fermé en juin."})


def found(initiative) -> bool:
    search.apply_outbox()
    return initiative.pk in [hit.id for hit in search.query(SearchRequest(text="repair cafe quimper")).hits]


def test_three_distinct_reports_hide_the_sheet_and_a_repeat_does_not_count_twice():
    initiative = make_initiative()
    assert found(initiative)
    first, second, third = make_user(), make_user(), make_user()
    assert report_as(first, initiative).status_code == 302
    assert report_as(first, initiative, "wrong_information").status_code == 302
    report_as(second, initiative)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED  # 3 reports, 2 people
    report_as(third, initiative)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.HIDDEN
    assert Client().get(initiative.get_absolute_url()).status_code == 404
    assert not found(initiative)
    assert AuditEvent.objects.filter(event_type="initiative_hidden_by_reports").count() == 1
    assert AuditEvent.objects.filter(event_type="initiative_reported").count() == 4


def test_the_threshold_is_a_setting(settings):
    settings.CARREFOUR_REPORTS_TO_HIDE = 1
    initiative = make_initiative()
    report_as(make_user(), initiative)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.HIDDEN


def test_a_report_needs_a_reason_and_a_message_in_french(alice):
    initiative = make_initiative()
    response = alice.post(
        reverse("contributions:report", kwargs={"slug": initiative.slug}), {"reason": "", "message": ""}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Report.objects.exists()


def test_moderator_restores_a_hidden_sheet_and_reporters_are_told(moderator_client, settings):
    from django.core import mail

    initiative = make_initiative()
    reporters = [make_user(f"temoin{n}@exemple.fr") for n in range(3)]
    for user in reporters:
        report_as(user, initiative)
    page = moderator_client.get(reverse("moderation:queue") + "?kind=report")
    assert initiative.name in page.content.decode()
    detail = moderator_client.get(reverse("moderation:reports", kwargs={"slug": initiative.slug}))
    assert "Le lieu a fermé en juin." in detail.content.decode()
    url = reverse("moderation:decide_reports", kwargs={"slug": initiative.slug})
    moderator_client.post(url, {"decision": "restore", "message": "Vérifié auprès de la mairie : toujours ouvert."})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.RESTORED}
    assert {message.to[0] for message in mail.outbox} == {user.email for user in reporters}
    assert found(initiative)


def test_moderator_archives_a_reported_sheet(moderator_client):
    initiative = make_initiative()
    report_as(make_user(), initiative)
    url = reverse("moderation:decide_reports", kwargs={"slug": initiative.slug})
    moderator_client.post(url, {"decision": "archive"})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.ARCHIVED
    assert AuditEvent.objects.filter(event_type="reports_resolved", object_id=str(initiative.pk)).count() == 1
