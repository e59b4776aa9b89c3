"""Retention of replication threads (R-GDPR-06), run by `carrefour purge_personal_data`.

Like relayed contact messages, the bodies are erased 30 days after they stop being needed: once the request is closed
(accompagnée, déclinée, sans réponse), its message and its thread are erased 30 days later (30 days after the last
message, when the conversation went on); the request itself (where, which needs, which outcome) stays, as the model's
history of replications.
"""

from datetime import datetime, timedelta

from django.db import transaction

from carrefour.contacts.models import ReplicationMessage, ReplicationRequest

BODIES_KEPT_AFTER_CLOSING = timedelta(days=30)


def purge_replication_bodies(now: datetime) -> dict[str, int]:
    with transaction.atomic():
        cutoff = now - BODIES_KEPT_AFTER_CLOSING
        recent = ReplicationMessage.objects.filter(created_at__gt=cutoff).values("request_id")
        closed = ReplicationRequest.objects.filter(closed_at__lte=cutoff, purged_at__isnull=True).exclude(pk__in=recent)
        ids = list(closed.values_list("pk", flat=True))
        erased = ReplicationMessage.objects.filter(request_id__in=ids, purged_at__isnull=True).update(
            body="", purged_at=now
        )
        requests = ReplicationRequest.objects.filter(pk__in=ids).update(message="", purged_at=now)
    return {"replication_messages_erased": erased, "replication_requests_erased": requests}
