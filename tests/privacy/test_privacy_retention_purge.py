"""R-GDPR-06: `carrefour purge_personal_data` applies every retention period. Time-travel tests: rows just past each
boundary are purged, rows just inside it are kept."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command

from carrefour.contacts.models import DirectoryListing
from carrefour.core.audit import record_event
from carrefour.core.models import AuditEvent, EventType
from carrefour.messaging.models import OutgoingMail, RateCounter
from carrefour.messaging.purge import purge_all
from carrefour.privacy.models import InactivityWarning, RightsRequest
from carrefour.privacy.retention import months_before
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def account(email: str, last_login: datetime, **fields):
    user = factories.make_user(email, **fields)
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=last_login, date_joined=last_login - timedelta(days=9)
    )
    return user


def exists(user) -> bool:
    return get_user_model().objects.filter(pk=user.pk).exists()


def test_months_before_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 23) == datetime(2024, 2, 15, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), -1) == datetime(2026, 2, 15, tzinfo=UTC)


def test_inactive_accounts_are_warned_at_23_months(django_capture_on_commit_callbacks):
    warn_at = months_before(NOW, 23)
    due = account("yann.inactif@exemple.fr", warn_at)
    recent = account("nolwenn.active@exemple.fr", warn_at + SECOND)
    staff = account("equipe@exemple.fr", warn_at - timedelta(days=400), is_staff=True)
    never_logged_in = factories.make_user("jamais.connecte@exemple.fr")
    get_user_model().objects.filter(pk=never_logged_in.pk).update(last_login=None, date_joined=warn_at - SECOND)

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_all(NOW)

    assert counts["inactive_accounts_warned"] == 2
    assert set(InactivityWarning.objects.values_list("user_id", flat=True)) == {due.pk, never_logged_in.pk}
    mail = OutgoingMail.objects.get(to=["yann.inactif@exemple.fr"])
    assert "supprimé" in mail.subject and "/compte/login/" in mail.body_text
    assert exists(due) and exists(recent) and exists(staff)
    assert counts["inactive_accounts_erased"] == 0


def test_inactive_accounts_are_erased_at_24_months_a_month_after_the_warning(django_capture_on_commit_callbacks):
    erase_at = months_before(NOW, 24)
    gone = account("gone@exemple.fr", erase_at)
    InactivityWarning.objects.create(user=gone, warned_at=NOW - timedelta(days=30))
    just_warned = account("late.warning@exemple.fr", erase_at - timedelta(days=60))
    InactivityWarning.objects.create(user=just_warned, warned_at=NOW - timedelta(days=30) + SECOND)
    not_yet = account("not.yet@exemple.fr", erase_at + SECOND)
    InactivityWarning.objects.create(user=not_yet, warned_at=NOW - timedelta(days=40))
    came_back = account("came.back@exemple.fr", NOW - timedelta(days=2))
    InactivityWarning.objects.create(user=came_back, warned_at=NOW - timedelta(days=35))

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_all(NOW)

    assert counts["inactive_accounts_erased"] == 1
    assert not exists(gone)
    assert exists(just_warned) and exists(not_yet) and exists(came_back)
    assert not InactivityWarning.objects.filter(user=came_back).exists()  # logging in again cancels the warning
    assert AuditEvent.objects.filter(event_type=EventType.PERSONAL_DATA_ERASED).count() == 1


def aged_event(event_type, when: datetime, obj=None) -> AuditEvent:
    event = record_event(event_type, obj, None)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


def test_audit_events_are_kept_12_months_and_consent_proofs_5_years_after_withdrawal():
    cutoff = months_before(NOW, 12)
    old = aged_event(EventType.FOLLOW_ADDED, cutoff)
    young = aged_event(EventType.FOLLOW_ADDED, cutoff + SECOND)
    standing = DirectoryListing.objects.create(user=factories.make_user(), visible=True, shown_name="Loïc Guéguen")
    withdrawn = DirectoryListing.objects.create(user=factories.make_user(), visible=False, shown_name="Maëlle Riou")
    consent_standing = aged_event(EventType.DIRECTORY_LISTING_UPDATED, months_before(NOW, 80), standing)
    consent_recent = aged_event(EventType.DIRECTORY_LISTING_UPDATED, months_before(NOW, 59), withdrawn)
    consent_expired = aged_event(EventType.DIRECTORY_LISTING_UPDATED, months_before(NOW, 60), withdrawn)

    purge_all(NOW)

    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and consent_expired.pk not in remaining
    assert {young.pk, consent_standing.pk, consent_recent.pk} <= remaining


def test_a_withdrawn_directory_listing_goes_5_years_after_its_withdrawal():
    withdrawn = DirectoryListing.objects.create(user=factories.make_user(), visible=False, shown_name="Maëlle Riou")
    recent = DirectoryListing.objects.create(user=factories.make_user(), visible=False, shown_name="Tugdual Le Roux")
    DirectoryListing.objects.filter(pk=withdrawn.pk).update(updated_at=months_before(NOW, 60))
    DirectoryListing.objects.filter(pk=recent.pk).update(updated_at=months_before(NOW, 60) + SECOND)
    purge_all(NOW)
    assert list(DirectoryListing.objects.values_list("pk", flat=True)) == [recent.pk]


def test_rate_limit_counters_expire_with_their_window():
    RateCounter.objects.create(key="contact:ip:aa", window_start=NOW - timedelta(hours=1), expires_at=NOW, count=3)
    kept = RateCounter.objects.create(
        key="contact:ip:bb", window_start=NOW - timedelta(hours=1), expires_at=NOW + SECOND, count=3
    )
    purge_all(NOW)
    assert list(RateCounter.objects.values_list("pk", flat=True)) == [kept.pk]


def test_expired_sessions_are_deleted():
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=NOW)
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=NOW + SECOND)
    purge_all(NOW)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_rights_requests_unconfirmed_after_7_days_and_identities_12_months_after_the_answer():
    unconfirmed = factories.make_rights_request(confirmed=False)
    fresh = factories.make_rights_request(confirmed=False, email="fresh@exemple.fr")
    RightsRequest.objects.filter(pk=unconfirmed.pk).update(created_at=NOW - timedelta(days=7))
    RightsRequest.objects.filter(pk=fresh.pk).update(created_at=NOW - timedelta(days=7) + SECOND)
    answered = factories.make_rights_request(email="answered@exemple.fr")
    recent = factories.make_rights_request(email="recent@exemple.fr")
    RightsRequest.objects.filter(pk=answered.pk).update(status="done", closed_at=months_before(NOW, 12))
    RightsRequest.objects.filter(pk=recent.pk).update(status="done", closed_at=months_before(NOW, 12) + SECOND)

    purge_all(NOW)

    assert not RightsRequest.objects.filter(pk=unconfirmed.pk).exists()
    assert RightsRequest.objects.get(pk=fresh.pk).email == "fresh@exemple.fr"
    answered.refresh_from_db()
    assert answered.email == "" and answered.name == "" and answered.kind == "erasure" and answered.status == "done"
    assert RightsRequest.objects.get(pk=recent.pk).email == "recent@exemple.fr"


def test_the_one_command_runs_every_registered_purge(capsys):
    call_command("purge_personal_data")
    output = capsys.readouterr().out
    for category in ("inactive_accounts_warned", "audit_events_deleted", "unconfirmed_rights_requests_deleted",
                     "rate_counters_deleted", "contact_bodies_erased"):  # fmt: skip
        assert f"{category}: " in output, category
