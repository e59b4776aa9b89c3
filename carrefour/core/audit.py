"""The one way to write an audit event."""

from django.db import models

from carrefour.core.models import AuditEvent, EventType


def record_event(event_type: EventType, obj: models.Model | None = None, actor=None, **data) -> AuditEvent:
    return AuditEvent.objects.create(
        event_type=EventType(event_type).value,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
