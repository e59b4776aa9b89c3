"""Named actions on replication requests. Each runs in one transaction, writes a typed audit event and queues its
mails in the outbox within the same transaction."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.accounts.models import InitiativeHolder
from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Initiative
from carrefour.contacts import mails, workflow
from carrefour.contacts.models import ReplicationMessage, ReplicationRequest
from carrefour.contacts.models import ReplicationStatus as S
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.messaging import ratelimit

REQUESTS_PER_DAY = 10  # per account
MESSAGES_PER_HOUR = 30  # per account


class ReplicationError(Exception):
    """A refused move, with a French message for the person."""


def _locked(replication: ReplicationRequest) -> ReplicationRequest:
    return ReplicationRequest.objects.select_for_update().select_related("model_initiative").get(pk=replication.pk)


def open_request_of(user, initiative: Initiative) -> ReplicationRequest | None:
    return (
        ReplicationRequest.objects.filter(requester=user, model_initiative=initiative)
        .exclude(status__in=workflow.FINAL)
        .first()
    )


@transaction.atomic
def request_replication(
    initiative: Initiative,
    requester,
    *,
    name: str,
    organisation: str = "",
    profile_type: str = "",
    commune=None,
    epci=None,
    needs: list[str],
    message: str,
    now: datetime | None = None,
) -> ReplicationRequest:
    """Send a replication request to the model's holders (else the moderators). Raises ReplicationError, or
    `ratelimit.RateLimited` after too many requests in a day."""
    now = now or timezone.now()
    if not initiative.is_public:
        raise ReplicationError(_("Cette initiative n'est pas publiée : on ne peut pas demander à l'essaimer."))
    if InitiativeHolder.objects.filter(initiative=initiative, user=requester).exists():
        raise ReplicationError(_("Vous portez déjà cette initiative : la demande s'adresse à ses porteur·euses."))
    if commune is None and epci is None:
        raise ReplicationError(_("Indiquez la commune ou l'intercommunalité où vous voulez essaimer."))
    if open_request_of(requester, initiative) is not None:
        raise ReplicationError(_("Vous avez déjà une demande en cours pour cette initiative."))
    ratelimit.consume(
        [ratelimit.Limit("replication:user", str(requester.pk), REQUESTS_PER_DAY, timedelta(days=1))], now
    )
    replication = ReplicationRequest.objects.create(
        model_initiative=initiative,
        requester=requester,
        requester_name=name,
        requester_organisation=organisation,
        requester_profile_type=profile_type,
        territory_commune=commune,
        territory_epci=None if commune is not None else epci,
        needs=list(dict.fromkeys(needs)),
        message=message,
    )
    record_event(
        EventType.REPLICATION_REQUESTED,
        replication,
        requester,
        initiative=initiative.pk,
        needs=replication.needs,
        commune=replication.territory_commune_id,
        epci=replication.territory_epci_id,
    )
    mails.new_request(replication, now)
    return replication


@transaction.atomic
def move(replication: ReplicationRequest, transition_name: str, actor, now: datetime | None = None):
    """Apply a named move (read, discuss, support, decline); an unknown or illegal one raises ReplicationError."""
    now = now or timezone.now()
    transition = workflow.TRANSITIONS.get(transition_name)
    if transition is None:
        raise ReplicationError(_("Cette action n'existe pas."))
    locked = _locked(replication)
    if locked.status not in transition.sources:
        raise ReplicationError(_("Impossible depuis l'étape « %(status)s ».") % {"status": locked.get_status_display()})
    _set_status(locked, transition, actor, now)
    replication.refresh_from_db()
    return replication


def _set_status(replication: ReplicationRequest, transition: workflow.Transition, actor, now: datetime) -> None:
    old = replication.status
    replication.status = transition.target
    replication.closed_at = now if transition.target in workflow.FINAL else None
    replication.save(update_fields=["status", "closed_at", "updated_at"])
    event = record_event(
        EventType.REPLICATION_STATUS_CHANGED, replication, actor, old=old, new=transition.target, move=transition.name
    )
    if transition.name == "expire":
        mails.unanswered(replication, now)
    elif transition.name != "read":  # « lue » shows in « Mon espace »; a mail for it would be noise
        mails.status_changed(replication, event.pk, now)


@transaction.atomic
def post_message(
    replication: ReplicationRequest, author, body: str, *, from_requester: bool, now: datetime | None = None
) -> ReplicationMessage:
    """Add a message to the thread and tell the other side; a holder's first answer moves the request to
    « en discussion »."""
    now = now or timezone.now()
    locked = _locked(replication)
    if locked.status in workflow.THREAD_CLOSED:
        raise ReplicationError(_("Cette demande a été déclinée : la conversation est close."))
    if locked.purged_at is not None:
        raise ReplicationError(_("Cette conversation est archivée : ses messages ont été effacés."))
    ratelimit.consume(
        [ratelimit.Limit("replication:message", str(author.pk), MESSAGES_PER_HOUR, timedelta(hours=1))], now
    )
    message = ReplicationMessage.objects.create(request=locked, author=author, from_requester=from_requester, body=body)
    record_event(
        EventType.REPLICATION_MESSAGE_POSTED, locked, author, message=message.pk, from_requester=from_requester
    )
    if not from_requester and locked.status in workflow.TRANSITIONS["discuss"].sources:
        _set_status(locked, workflow.TRANSITIONS["discuss"], author, now)
    mails.new_message(locked, message, now)
    replication.refresh_from_db()
    return message


def linkable_initiatives(user, replication: ReplicationRequest):
    """The sheets the requester may link to the model: those they carry or proposed, not already essaimées from
    another model."""
    from carrefour.contributions.models import Revision

    proposed = Revision.objects.filter(author=user, kind=Revision.Kind.PROPOSAL).values("initiative_id")
    held = InitiativeHolder.objects.filter(user=user).values("initiative_id")
    return (
        Initiative.objects.filter(Q(pk__in=held) | Q(pk__in=proposed), merged_into__isnull=True)
        .filter(Q(replicated_from__isnull=True) | Q(replicated_from=replication.model_initiative_id))
        .exclude(pk=replication.model_initiative_id)
        .exclude(status__in=[Initiative.Status.REJECTED, Initiative.Status.ARCHIVED])
        .order_by("name")
    )


@transaction.atomic
def link_replica(replication: ReplicationRequest, initiative: Initiative, actor) -> Initiative:
    """Once the replication is supported, the requester's new (or existing) sheet is « essaimée depuis » the model."""
    locked = _locked(replication)
    if locked.status != S.SUPPORTED:
        raise ReplicationError(_("Une initiative ne peut être rattachée qu'à une demande accompagnée."))
    if initiative.pk == locked.model_initiative_id:
        raise ReplicationError(_("Une initiative ne peut pas être essaimée depuis elle-même."))
    sheet = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if sheet.replicated_from_id and sheet.replicated_from_id != locked.model_initiative_id:
        raise ReplicationError(_("Cette initiative est déjà rattachée à un autre modèle."))
    if sheet.replicated_from_id != locked.model_initiative_id:
        sheet.replicated_from_id = locked.model_initiative_id
        sheet.version += 1
        catalog_actions.save_initiative(sheet, actor, changed_fields=["replicated_from"])
    locked.replica = sheet
    locked.save(update_fields=["replica", "updated_at"])
    record_event(EventType.REPLICATION_LINKED, locked, actor, initiative=sheet.pk, model=locked.model_initiative_id)
    return sheet
