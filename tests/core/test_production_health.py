"""The health endpoint: JSON for probes, 503 only when the database is down, never cached, no secrets."""

from collections import namedtuple
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carrefour.core import health
from carrefour.messaging.models import MailStatus, OutgoingMail
from carrefour.search.models import IndexOutbox

pytestmark = pytest.mark.django_db

DiskUsage = namedtuple("DiskUsage", "total used free")


def get_health():
    response = Client().get(reverse("core:health"))
    return response, response.json()


def test_a_healthy_site_answers_ok_with_every_check():
    response, report = get_health()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "search_index", "mail_outbox", "disk_space"}
    assert all(check["status"] == "ok" for check in report["checks"].values())
    assert report["checks"]["search_index"]["backlog"] == 0


def test_the_answer_is_never_cached_and_holds_no_path():
    response, _report = get_health()
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "/" not in body  # no file path, no URL, no address


def test_a_database_that_does_not_answer_gives_503():
    with mock.patch.object(health, "database", side_effect=OperationalError("connection refused to 10.0.0.5")):
        response, report = get_health()
    assert response.status_code == 503
    assert report["status"] == "error"
    assert report["checks"]["database"] == {"status": "error"}
    assert "10.0.0.5" not in response.content.decode()


def test_a_late_search_outbox_degrades_but_still_answers_200():
    IndexOutbox.objects.create(initiative_id=1)
    IndexOutbox.objects.update(created_at=timezone.now() - timedelta(hours=1))
    IndexOutbox.objects.create(initiative_id=2)
    response, report = get_health()
    assert response.status_code == 200
    assert report["status"] == "degraded"
    assert report["checks"]["search_index"] == {"status": "degraded", "documents": 0, "backlog": 2, "late": 1}


def test_an_unreadable_search_index_degrades():
    with mock.patch("carrefour.search.store.searcher", side_effect=OSError("/srv/carrefour/index: corrupt")):
        response, report = get_health()
    assert response.status_code == 200
    assert report["checks"]["search_index"]["status"] == "degraded"
    assert report["checks"]["search_index"]["readable"] is False
    assert "/srv" not in response.content.decode()


def test_mail_waiting_too_long_degrades():
    OutgoingMail.objects.create(
        idempotency_key="essai-1",
        to=["camille@exemple.fr"],
        subject="Bonjour",
        body_text="…",
        from_email="ne-pas-repondre@carrefour.localhost",
        status=MailStatus.QUEUED,
        next_attempt_at=timezone.now() - timedelta(hours=2),
    )
    _response, report = get_health()
    assert report["checks"]["mail_outbox"] == {"status": "degraded", "backlog": 1, "late": 1}
    assert "camille" not in str(report)


def test_a_nearly_full_data_folder_degrades():
    with mock.patch.object(
        health.shutil, "disk_usage", return_value=DiskUsage(100 * 1024**3, 99 * 1024**3, 512 * 1024**2)
    ):
        _response, report = get_health()
    assert report["checks"]["disk_space"] == {"status": "degraded", "free_mb": 512, "free_percent": 0}


def test_a_broken_check_is_reported_without_hiding_the_others():
    with mock.patch.dict(health.CHECKS, {"mail_outbox": mock.Mock(side_effect=RuntimeError("boom"))}):
        response, report = get_health()
    assert response.status_code == 200
    assert report["checks"]["mail_outbox"] == {"status": "error"}
    assert report["checks"]["disk_space"]["status"] == "ok"
    assert report["status"] == "degraded"


def test_the_health_check_is_cheap(django_assert_max_num_queries):
    # One query per table checked (database, two outboxes), plus what the search reader asks to stay current.
    with django_assert_max_num_queries(6):
        health.run_checks()
