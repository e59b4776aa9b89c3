"""« Je veux essaimer »: the request form, the request page (thread, moves, link of the new sheet), my requests.
Thin views over carrefour.contacts.actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts.actions import profile_of
from carrefour.accounts.models import Membership
from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative
from carrefour.contacts import access, actions, workflow
from carrefour.contacts.forms import LinkForm, MessageForm, ReplicationForm
from carrefour.contacts.models import Need
from carrefour.messaging import ratelimit


def _model_initiative(request, slug) -> Initiative:
    return get_object_or_404(Initiative.published, slug=slug, merged_into__isnull=True)


def _initial(user) -> dict:
    profile = profile_of(user)
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return {
        "name": profile.display_name,
        "profile_type": profile.profile_type,
        "organisation": membership.organisation.name if membership else "",
    }


def _render_form(request, initiative, form, status=200):
    context = {"initiative": initiative, "form": form, "existing": actions.open_request_of(request.user, initiative)}
    return render(request, "contacts/replicate.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("replication.request", get_object=_model_initiative)
def replicate(request, slug):
    initiative = request.permission_object
    if request.method == "GET":
        return _render_form(request, initiative, ReplicationForm(initial=_initial(request.user)))
    form = ReplicationForm(request.POST)
    if not form.is_valid():
        return _render_form(request, initiative, form, status=400)
    data = form.cleaned_data
    try:
        replication = actions.request_replication(
            initiative,
            request.user,
            name=data["name"],
            organisation=data["organisation"],
            profile_type=data["profile_type"],
            commune=data["commune"],
            epci=data["epci"],
            needs=data["needs"],
            message=data["message"],
        )
    except actions.ReplicationError as error:
        form.add_error(None, str(error))
        return _render_form(request, initiative, form, status=400)
    except ratelimit.RateLimited:
        form.add_error(None, _("Vous avez envoyé beaucoup de demandes aujourd'hui. Réessayez demain."))
        return _render_form(request, initiative, form, status=429)
    messages.success(request, _("Votre demande d'essaimage est envoyée aux porteur·euses de l'initiative."))
    return redirect(replication)


def _detail_context(request, replication, message_form=None, link_form=None) -> dict:
    requester = access.is_requester(request.user, replication)
    responder = access.may_respond(request.user, replication)
    context = {
        "replication": replication,
        "is_requester": requester,
        "is_responder": responder,
        "needs": replication.need_labels(),
        "thread": replication.messages.select_related("author__profile"),
        "transitions": workflow.available(replication.status) if responder else [],
        "thread_open": replication.status not in workflow.THREAD_CLOSED and replication.purged_at is None,
        "message_form": message_form or MessageForm(),
    }
    if requester and replication.status == replication.Status.SUPPORTED:
        context["link_form"] = link_form or LinkForm(
            queryset=actions.linkable_initiatives(request.user, replication),
            initial={"initiative": replication.replica_id},
        )
    return context


@require_GET
@permission_required("replication.view", get_object=access.party_request)
def request_detail(request, pk):
    replication = request.permission_object
    return render(request, "contacts/request_detail.html", _detail_context(request, replication))


@require_POST
@permission_required("replication.respond", get_object=access.any_request)
def transition(request, pk):
    replication = request.permission_object
    try:
        actions.move(replication, request.POST.get("transition", ""), request.user)
    except actions.ReplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("La demande est maintenant « %(status)s ».") % {"status": replication.get_status_display()}
        )
    return redirect(replication)


@require_POST
@permission_required("replication.discuss", get_object=access.party_request)
def post_message(request, pk):
    replication = request.permission_object
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            actions.post_message(
                replication,
                request.user,
                form.cleaned_data["body"],
                from_requester=access.is_requester(request.user, replication),
            )
        except actions.ReplicationError as error:
            form.add_error(None, str(error))
        except ratelimit.RateLimited:
            form.add_error(None, _("Vous avez envoyé beaucoup de messages cette heure-ci. Réessayez plus tard."))
        else:
            messages.success(request, _("Votre message est envoyé."))
            return redirect(replication)
    context = _detail_context(request, replication, message_form=form)
    return render(request, "contacts/request_detail.html", context, status=400)


@require_POST
@permission_required("replication.link", get_object=access.own_request)
def link(request, pk):
    replication = request.permission_object
    form = LinkForm(request.POST, queryset=actions.linkable_initiatives(request.user, replication))
    if form.is_valid():
        try:
            sheet = actions.link_replica(replication, form.cleaned_data["initiative"], request.user)
        except actions.ReplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("« %(name)s » est rattachée à son modèle : essaimée depuis « %(model)s ».")
                % {"name": sheet.name, "model": replication.model_initiative.name},
            )
            return redirect(replication)
    context = _detail_context(request, replication, link_form=form)
    return render(request, "contacts/request_detail.html", context, status=400)


@require_GET
@login_required
def mine(request):
    sent = request.user.replication_requests.select_related("model_initiative", "territory_commune", "territory_epci")
    context = {"sent": list(sent), "received": access.received_requests(request.user), "needs": dict(Need.choices)}
    return render(request, "contacts/mine.html", context)
