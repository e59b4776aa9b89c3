"""`carrefour remind_replications`: reminders to the holders after 7 and 21 days, « sans réponse » at 30 days.

Run daily from cron. Each step is a conditional UPDATE on the request (its status and reminder count as seen), with
its mail queued in the same transaction under an idempotency key: two runs, one after the other or at the same time,
never send a reminder twice. A run that was skipped for days catches up with one reminder, not several.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from carrefour.contacts import mails, workflow
from carrefour.contacts.models import ReplicationRequest
from carrefour.core.audit import record_event
from carrefour.core.models import EventType


def _remind(replication: ReplicationRequest, due: int, now: datetime) -> bool:
    with transaction.atomic():
        claimed = ReplicationRequest.objects.filter(
            pk=replication.pk, status__in=workflow.AWAITING, reminders_sent=replication.reminders_sent
        ).update(reminders_sent=due, reminded_at=now)
        if not claimed:
            return False
        record_event(EventType.REPLICATION_REMINDER_SENT, replication, None, number=due)
        mails.reminder(replication, due, now)
    return True


def _expire(replication: ReplicationRequest, now: datetime) -> bool:
    with transaction.atomic():
        claimed = ReplicationRequest.objects.filter(pk=replication.pk, status=replication.status).update(
            status=workflow.EXPIRE.target, closed_at=now, updated_at=now
        )
        if not claimed:
            return False
        record_event(
            EventType.REPLICATION_STATUS_CHANGED,
            replication,
            None,
            old=replication.status,
            new=workflow.EXPIRE.target,
            move=workflow.EXPIRE.name,
        )
        replication.status = workflow.EXPIRE.target
        mails.unanswered(replication, now)
    return True


def remind_replications(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    summary = {"reminders": 0, "unanswered": 0}
    waiting = ReplicationRequest.objects.filter(
        status__in=workflow.AWAITING, created_at__lte=now - workflow.REMINDER_AGES[0]
    ).select_related("model_initiative")
    for replication in waiting.order_by("pk"):
        age = now - replication.created_at
        if age >= workflow.UNANSWERED_AGE:
            summary["unanswered"] += _expire(replication, now)
            continue
        due = workflow.reminders_due(age)
        if due > replication.reminders_sent:
            summary["reminders"] += _remind(replication, due, now)
    return summary
