"""Rights requests from people without an account (R-GDPR-05): submitted, confirmed by e-mail (double opt-in), then
answered by a moderator within one month (Art. 12(3)). Each step is audited without personal data."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging import ratelimit
from carrefour.messaging.outbox import queue_mail
from carrefour.privacy.models import CONFIRM_SALT, RequestKind, RequestStatus, RightsRequest

CONFIRMATION_MAX_AGE = 7 * 24 * 3600
ANSWER_MONTHS = 1
LIMIT_PER_IP_PER_HOUR = 5
LIMIT_PER_ADDRESS_PER_DAY = 3


class RequestError(Exception):
    pass


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def due_date(confirmed_at: datetime) -> datetime:
    from carrefour.privacy.retention import months_before

    return months_before(confirmed_at, -ANSWER_MONTHS)


def submit_request(*, kind: str, name: str, email: str, concerned: str = "", details: str = "", client_ip: str = "",
                   now: datetime | None = None) -> RightsRequest:  # fmt: skip
    """Record the request and mail a confirmation link; nothing reaches moderators before it is followed.
    Raises `ratelimit.RateLimited`."""
    now = now or timezone.now()
    with transaction.atomic():
        ratelimit.consume(
            [
                ratelimit.Limit("rights:ip", client_ip or "unknown", LIMIT_PER_IP_PER_HOUR, timedelta(hours=1)),
                ratelimit.Limit("rights:address", email, LIMIT_PER_ADDRESS_PER_DAY, timedelta(days=1)),
            ],
            now,
        )
        request = RightsRequest.objects.create(kind=kind, name=name, email=email, concerned=concerned, details=details)
        context = {
            "request": request,
            "confirm_url": _absolute(reverse("privacy:confirm", kwargs={"token": request.confirmation_link_token})),
        }
        queue_mail(
            to=[email],
            subject=_("[Carrefour] Confirmez votre demande sur vos données personnelles"),
            body_text=render_to_string("privacy/mail/confirm_request.txt", context),
            idempotency_key=f"rights-request-{request.pk}-confirm",
            now=now,
        )
        record_event(EventType.RIGHTS_REQUEST_SUBMITTED, request, None, kind=kind)
    return request


def from_confirmation(token: str) -> RightsRequest | None:
    try:
        pk, secret = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    request = RightsRequest.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if request is None or not constant_time_compare(str(secret), request.confirmation_token):
        return None
    return request


def confirm_request(request: RightsRequest, now: datetime | None = None) -> bool:
    """The address is confirmed: the request enters the moderation queue, due one month later. False if it already
    was confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = RightsRequest.objects.filter(pk=request.pk, status=RequestStatus.UNCONFIRMED).update(
            status=RequestStatus.OPEN, confirmed_at=now, due_at=due_date(now)
        )
        if updated:
            request.refresh_from_db()
            record_event(EventType.RIGHTS_REQUEST_CONFIRMED, request, None, kind=request.kind)
    return bool(updated)


def close_request(request: RightsRequest, actor, *, outcome: str, answer: str, erase: bool = False) -> RightsRequest:
    """Answer the request (and, for an erasure, erase the person everywhere first); the answer is mailed."""
    from carrefour.privacy.erasure import erase_person

    if request.status != RequestStatus.OPEN:
        raise RequestError(_("Cette demande n'est pas en attente de réponse."))
    if erase and outcome == RequestStatus.REFUSED:
        raise RequestError(_("Une demande refusée n'efface rien."))
    address, name, kind = request.email, request.name, request.get_kind_display()
    now = timezone.now()
    with transaction.atomic():
        if erase:
            erase_person(address, [name], actor=actor)
        RightsRequest.objects.filter(pk=request.pk).update(
            status=outcome, closed_at=now, closed_by=actor, answer=answer
        )
        request.refresh_from_db()
        queue_mail(
            to=[address],
            subject=_("[Carrefour] Réponse à votre demande : %(kind)s") % {"kind": kind},
            body_text=render_to_string(
                "privacy/mail/answer.txt", {"request": request, "answer": answer, "kind": kind, "erased": erase}
            ),
            idempotency_key=f"rights-request-{request.pk}-answer",
            now=now,
        )
        record_event(
            EventType.RIGHTS_REQUEST_CLOSED, request, actor, kind=request.kind, outcome=outcome, erased=erase,
            late=bool(request.due_at and now > request.due_at),
        )  # fmt: skip
    return request


def data_found(request: RightsRequest) -> list[tuple[str, int]]:
    """(kind of record, how many) holding the person's address or full name: the start of an access answer."""
    from django.apps import apps

    from carrefour.privacy.scrub import locate, needles_for

    if not request.email:
        return []
    found = locate(needles_for([request.email], [request.name]))
    found.pop("privacy.RightsRequest", None)
    return [(str(apps.get_model(label)._meta.verbose_name_plural), count) for label, count in sorted(found.items())]


def is_erasure(request: RightsRequest) -> bool:
    return request.kind in (RequestKind.ERASURE, RequestKind.OBJECTION)
