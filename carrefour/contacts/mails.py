"""Mails of a replication request, queued in the outbox (`carrefour send_outbox` delivers them).

Who answers a request: the model's holders; without holders (with a verified address), the moderators whose scope
covers it (see `carrefour.messaging.recipients`). The requester's address is never given to the holders: they answer
on the platform, in the request's thread.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from carrefour.contacts.models import ReplicationRequest
from carrefour.messaging.outbox import queue_mail
from carrefour.messaging.recipients import holder_addresses, moderator_addresses, verified_addresses


def responder_addresses(replication: ReplicationRequest) -> list[str]:
    return holder_addresses(replication.model_initiative) or moderator_addresses(replication.model_initiative)


def requester_addresses(replication: ReplicationRequest) -> list[str]:
    return verified_addresses([replication.requester_id]) if replication.requester_id else []


def _name(replication: ReplicationRequest) -> str:
    return " ".join(replication.model_initiative.name.split())


def _context(replication: ReplicationRequest, **extra) -> dict:
    return {
        "replication": replication,
        "initiative_name": _name(replication),
        "request_url": f"{settings.SITE_URL}{replication.get_absolute_url()}",
        "sheet_url": f"{settings.SITE_URL}{replication.model_initiative.get_absolute_url()}",
        **extra,
    }


def _queue(addresses: list[str], subject: str, template: str, context: dict, key: str, now) -> None:
    if addresses:
        queue_mail(
            to=addresses,
            subject=subject,
            body_text=render_to_string(f"contacts/mail/{template}.txt", context),
            idempotency_key=key,
            now=now,
        )


def new_request(replication: ReplicationRequest, now) -> None:
    context = _context(replication)
    _queue(
        responder_addresses(replication),
        _("[Carrefour] Demande d'essaimage de « %(name)s »") % {"name": _name(replication)},
        "new_request",
        context,
        f"replication-{replication.pk}-new",
        now,
    )
    _queue(
        requester_addresses(replication),
        _("[Carrefour] Votre demande d'essaimage de « %(name)s » est envoyée") % {"name": _name(replication)},
        "request_copy",
        context,
        f"replication-{replication.pk}-copy",
        now,
    )


def status_changed(replication: ReplicationRequest, event_id: int, now) -> None:
    _queue(
        requester_addresses(replication),
        _("[Carrefour] Votre demande d'essaimage de « %(name)s » : %(status)s")
        % {"name": _name(replication), "status": replication.get_status_display().lower()},
        "status_changed",
        _context(replication),
        f"replication-{replication.pk}-status-{event_id}",
        now,
    )


def new_message(replication: ReplicationRequest, message, now) -> None:
    to_requester = not message.from_requester
    addresses = requester_addresses(replication) if to_requester else responder_addresses(replication)
    _queue(
        addresses,
        _("[Carrefour] Nouveau message sur la demande d'essaimage de « %(name)s »") % {"name": _name(replication)},
        "new_message",
        _context(replication, to_requester=to_requester),
        f"replication-message-{message.pk}",
        now,
    )


def reminder(replication: ReplicationRequest, number: int, now) -> None:
    _queue(
        responder_addresses(replication),
        _("[Carrefour] Relance : une demande d'essaimage de « %(name)s » attend votre réponse")
        % {"name": _name(replication)},
        "reminder",
        _context(replication, number=number),
        f"replication-{replication.pk}-reminder-{number}",
        now,
    )


def unanswered(replication: ReplicationRequest, now) -> None:
    _queue(
        requester_addresses(replication),
        _("[Carrefour] Votre demande d'essaimage de « %(name)s » est restée sans réponse")
        % {"name": _name(replication)},
        "unanswered",
        _context(replication),
        f"replication-{replication.pk}-unanswered",
        now,
    )
