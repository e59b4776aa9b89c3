"""Retention periods this app applies (R-GDPR-06), registered with `carrefour purge_personal_data` (messaging.purge).

- inactive accounts: warned by e-mail after 23 months without login, erased at 24 months (and at least a month after
  the warning); logging in again cancels the warning;
- audit events and the admin's log: 12 months; the proof of a consent (directory listing events) is kept while the
  consent stands and 5 years after it was withdrawn, like the withdrawn listing itself;
- expired sessions;
- rights requests: unconfirmed ones after 7 days, the identity in answered ones 12 months after the answer.
(Relay messages, outgoing mails and rate-limit counters are purged by messaging; essaimage threads by contacts;
images uploaded for an edit that was never sent, after 7 days, by contributions.uploads, registered in apps.py.)
"""

import calendar
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import AuditEvent, EventType
from carrefour.messaging.outbox import queue_mail
from carrefour.privacy.models import InactivityWarning, RequestStatus, RightsRequest

MIN_NOTICE = timedelta(days=30)  # between the warning and the erasure, whatever happened before
CONSENT_EVENTS = (EventType.DIRECTORY_LISTING_UPDATED,)
UNCONFIRMED_REQUEST_AGE = timedelta(days=7)
ANSWERED_REQUEST_MONTHS = 12


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _accounts():
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
    )


def warn_inactive_accounts(now: datetime) -> int:
    InactivityWarning.objects.filter(user__last_login__gt=F("warned_at")).delete()  # they came back
    cutoff = months_before(now, settings.INACTIVE_ACCOUNT_WARNING_MONTHS)
    warned = 0
    for user in _accounts().filter(last_seen__lte=cutoff, inactivity_warning__isnull=True):
        address = _address_of(user)
        if address:
            queue_mail(
                to=[address],
                subject=_("[Carrefour] Votre compte sera supprimé faute de connexion"),
                body_text=render_to_string("privacy/mail/inactive_warning.txt", _warning_context(user, now)),
                idempotency_key=f"inactive-account-{user.pk}-{now:%Y%m%d}",
                now=now,
            )
        InactivityWarning.objects.create(user=user, warned_at=now)
        record_event(EventType.INACTIVE_ACCOUNT_WARNED, None, None, user=user.pk)
        warned += 1
    return warned


def _address_of(user) -> str:
    row = EmailAddress.objects.filter(user=user).order_by("-primary", "-verified", "pk").first()
    return row.email if row else user.email


def _warning_context(user, now: datetime) -> dict:
    months = settings.INACTIVE_ACCOUNT_DELETION_MONTHS - settings.INACTIVE_ACCOUNT_WARNING_MONTHS
    return {
        "login_url": f"{settings.SITE_URL}{reverse('account_login')}",
        "privacy_url": f"{settings.SITE_URL}{reverse('privacy:privacy')}",
        "deletion_date": max(now + MIN_NOTICE, now + timedelta(days=30 * months)),
    }


def erase_inactive_accounts(now: datetime) -> int:
    from carrefour.privacy.erasure import erase_user

    cutoff = months_before(now, settings.INACTIVE_ACCOUNT_DELETION_MONTHS)
    due = _accounts().filter(last_seen__lte=cutoff, inactivity_warning__warned_at__lte=now - MIN_NOTICE)
    erased = 0
    for user in list(due):
        erase_user(user)
        erased += 1
    return erased


def purge_logs(now: datetime) -> dict[str, int]:
    cutoff = months_before(now, settings.AUDIT_RETENTION_MONTHS)
    consent_cutoff = months_before(now, 12 * settings.CONSENT_PROOF_RETENTION_YEARS)
    from carrefour.contacts.models import DirectoryListing

    standing = [str(pk) for pk in DirectoryListing.objects.filter(visible=True).values_list("pk", flat=True)]
    old = AuditEvent.objects.filter(created_at__lte=cutoff)
    consent = Q(event_type__in=CONSENT_EVENTS)
    expired_proofs = Q(created_at__lte=consent_cutoff) & ~Q(object_id__in=standing)
    withdrawn = DirectoryListing.objects.filter(visible=False, updated_at__lte=consent_cutoff)
    return {
        "audit_events_deleted": old.filter(~consent | expired_proofs).delete()[0],
        "admin_log_entries_deleted": LogEntry.objects.filter(action_time__lte=cutoff).delete()[0],
        "withdrawn_listings_deleted": withdrawn.delete()[0],
        "expired_sessions_deleted": Session.objects.filter(expire_date__lte=now).delete()[0],
    }


def purge_rights_requests(now: datetime) -> dict[str, int]:
    unconfirmed = RightsRequest.objects.filter(
        status=RequestStatus.UNCONFIRMED, created_at__lte=now - UNCONFIRMED_REQUEST_AGE
    )
    answered = RightsRequest.objects.filter(
        closed_at__lte=months_before(now, ANSWERED_REQUEST_MONTHS),
        status__in=[RequestStatus.DONE, RequestStatus.REFUSED],
    ).exclude(email="")
    return {
        "unconfirmed_rights_requests_deleted": unconfirmed.delete()[0],
        "answered_rights_requests_erased": answered.update(name="", email="", details="", concerned="", answer=""),
    }


def purge_privacy(now: datetime) -> dict[str, int]:
    return {
        "inactive_accounts_warned": warn_inactive_accounts(now),
        "inactive_accounts_erased": erase_inactive_accounts(now),
        **purge_logs(now),
        **purge_rights_requests(now),
    }
