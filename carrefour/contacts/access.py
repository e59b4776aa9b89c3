"""Who sees and answers a replication request: its requester, and the model's holders (or, for a sheet without
holders, the moderators whose scope covers it, and administrators). Anyone else gets a 404: nothing tells them the
request exists."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from carrefour.accounts import scopes
from carrefour.accounts.models import InitiativeHolder
from carrefour.accounts.permissions import can
from carrefour.contacts.models import ReplicationRequest


def find(pk) -> ReplicationRequest:
    return get_object_or_404(
        ReplicationRequest.objects.select_related(
            "model_initiative", "territory_commune__departement", "territory_epci", "replica"
        ),
        pk=pk,
    )


def any_request(request, pk) -> ReplicationRequest:
    """For `permission_required(get_object=…)`: the request the rules then judge (holders answer theirs)."""
    return find(pk)


def is_requester(user, replication: ReplicationRequest) -> bool:
    return user.is_authenticated and replication.requester_id == user.pk


def may_respond(user, replication: ReplicationRequest) -> bool:
    return can(user, "replication.respond", replication)


def party_request(request, pk) -> ReplicationRequest:
    """For `permission_required(get_object=…)`: the request, or a 404 for anyone who is not one of its parties."""
    replication = find(pk)
    if not (is_requester(request.user, replication) or may_respond(request.user, replication)):
        raise Http404
    return replication


def own_request(request, pk) -> ReplicationRequest:
    replication = find(pk)
    if not is_requester(request.user, replication):
        raise Http404
    return replication


def received_requests(user):
    """Requests the user answers: those on sheets they carry; for moderators, also those on sheets without holders
    within their scope (administrators: every sheet without holders)."""
    held = InitiativeHolder.objects.filter(user=user).values("initiative_id")
    received = list(ReplicationRequest.objects.filter(model_initiative_id__in=held).select_related("model_initiative"))
    if scopes.is_moderator(user) or scopes.is_administrator(user):
        orphans = ReplicationRequest.objects.exclude(
            model_initiative_id__in=InitiativeHolder.objects.values("initiative_id")
        ).select_related("model_initiative")
        received += [replication for replication in orphans if may_respond(user, replication)]
    return sorted(received, key=lambda replication: replication.created_at, reverse=True)
