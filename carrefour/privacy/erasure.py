"""Complete erasure (R-GDPR-05, R-REL-04): an account, or a person named in the catalogue without an account.

Erasure reaches the database rows (every field of the registry), the revisions (authors pseudonymised, personal values
removed from the sheet snapshots), relay messages and the outbox, alerts, follows, essaimage requests, the search index
(affected sheets re-indexed), the caches, and the open-data exports (regenerated). A tombstone per erased object tells
re-users what to forget (`/api/v1/tombstones`). Backups age out on their own (14 daily, 6 monthly).
"""

import logging
import uuid

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.privacy.models import ErasureTombstone
from carrefour.privacy.scrub import ScrubReport, needles_for, scrub

logger = logging.getLogger(__name__)


def erase_person(email: str, names=(), *, actor=None) -> ScrubReport:
    """Erase someone without an account: every value holding their address, or a name they gave (their own, or one
    found beside their address in a relay message or a rights request)."""
    with transaction.atomic():
        names = [*names, *_names_given_with(email)]
        report = scrub(needles_for([email], names))
        _tombstones(report, "person", uuid.uuid4().hex)
        record_event(EventType.PERSONAL_DATA_ERASED, None, actor, subject="person", counts=report.counts)
        schedule_propagation(report.initiative_ids)
    return report


def erase_user(user, *, actor=None) -> ScrubReport:
    """Erase an account and everything that names it. The account deletion (`accounts.actions.delete_account`) sends
    `account_deleting`, whose receiver here (`forget_account`) does the privacy part: both paths erase the same."""
    from carrefour.accounts.actions import delete_account

    with transaction.atomic():
        delete_account(user)
    return getattr(user, "_privacy_erasure", ScrubReport())


def forget_account(sender, user, **kwargs) -> None:
    """`account_deleting` receiver: pseudonymise the account's revisions and remove its values everywhere."""
    from carrefour.contributions.models import Revision

    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    report = ScrubReport()
    authored = Revision.objects.filter(author=user)
    report.initiative_ids.update(pk for pk in authored.values_list("initiative_id", flat=True) if pk)
    report.add("contributions.Revision:pseudonymised", authored.update(author=None))
    Revision.objects.filter(decided_by=user).update(decided_by=None)
    scrub(needles_for(emails, _names_of(user)), report)
    _tombstones(report, "account", str(user.pk))
    user._privacy_erasure = report
    record_event(EventType.PERSONAL_DATA_ERASED, None, None, subject="account", counts=report.counts)
    schedule_propagation(report.initiative_ids)


def _names_of(user) -> list[str]:
    from carrefour.accounts.models import Profile
    from carrefour.contacts.models import DirectoryListing, ReplicationRequest

    names = [user.get_full_name()]
    names += Profile.objects.filter(user=user).values_list("display_name", flat=True)
    names += DirectoryListing.objects.filter(user=user).values_list("shown_name", flat=True)
    names += ReplicationRequest.objects.filter(requester=user).values_list("requester_name", flat=True)
    return [name for name in names if name]


def _names_given_with(email: str) -> list[str]:
    from carrefour.messaging.models import ContactMessage
    from carrefour.privacy.models import RightsRequest

    names = list(ContactMessage.objects.filter(sender_email__iexact=email).values_list("sender_name", flat=True))
    names += RightsRequest.objects.filter(email__iexact=email).values_list("name", flat=True)
    return [name for name in names if name]


def _tombstones(report: ScrubReport, subject_type: str, subject_id: str) -> None:
    now = timezone.now()
    rows = [ErasureTombstone(object_type=subject_type, object_id=subject_id, fields=[], erased_at=now)]
    rows += [
        ErasureTombstone(object_type="initiative", object_id=str(pk), fields=sorted(fields), erased_at=now)
        for pk, fields in sorted(report.erased_fields.items())
    ]
    ErasureTombstone.objects.bulk_create(rows)


_pending: set[int] = set()


def schedule_propagation(initiative_ids) -> None:
    """Propagate once the transaction commits: several erasures in one transaction (the daily purge) share one
    re-index and one regeneration of the exports."""
    _pending.update(pk for pk in initiative_ids if pk)
    if not any(func is _propagate_pending for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_propagate_pending)


def _propagate_pending() -> None:
    ids = set(_pending)
    _pending.clear()
    propagate(ids)


def propagate(initiative_ids) -> None:
    """After the erasure commits: re-index the sheets it touched, drop the caches, regenerate the exports."""
    from carrefour.search.signals import enqueue

    with transaction.atomic():
        enqueue(initiative_ids)
    cache.clear()
    if initiative_ids:  # the exports hold sheets only: an erasure that touched none changes none of them
        regenerate_exports()


def regenerate_exports() -> bool:
    """Rewrite the open-data files that exist (an erasure must not survive in yesterday's files)."""
    from carrefour.opendata.actions import export_open_data
    from carrefour.opendata.manifest import read_manifest

    formats = sorted({entry["format"] for entry in read_manifest().get("files", {}).values()})
    if not formats:
        return False
    try:
        export_open_data(formats)
    except Exception:
        # The data is erased from the database already; `export_open_data` (cron) rewrites the files next time.
        logger.exception("Regenerating the open-data exports after an erasure failed.")
        return False
    return True
