"""Alert pages: create (from the search page), check your inbox, confirm, manage, unsubscribe, my alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from carrefour.accounts.permissions import permission_required
from carrefour.alerts import actions, links
from carrefour.alerts.forms import AlertForm, FrequencyForm
from carrefour.alerts.searches import default_label, describe_search, normalise
from carrefour.messaging import ratelimit
from carrefour.messaging.views import client_ip
from carrefour.search.params import SearchParamsError


def _search_context(query_string: str) -> dict:
    try:
        return {"criteria": describe_search(query_string), "search_errors": []}
    except SearchParamsError as error:
        return {"criteria": [], "search_errors": [item.message for item in error.errors]}


def _render_create(request, form, query_string: str, status: int = 200):
    context = {"form": form, "query_string": query_string, **_search_context(query_string)}
    if context["search_errors"] and status == 200:
        status = 400
    return render(request, "alerts/create.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("alert.create")
def create(request):
    account_email = actions.verified_email(request.user)
    if request.method == "GET":
        query_string = normalise(request.GET)
        label = default_label(query_string) if not _search_context(query_string)["search_errors"] else ""
        form = AlertForm(initial={"label": label, "search": query_string}, account_email=account_email)
        return _render_create(request, form, query_string)
    form = AlertForm(request.POST, account_email=account_email)
    query_string = normalise(request.POST.get("search", ""))
    if not form.is_valid() or _search_context(query_string)["search_errors"]:
        return _render_create(request, form, query_string, status=400)
    try:
        saved = actions.create_saved_search(
            query_string=query_string,
            label=form.cleaned_data["label"],
            frequency=form.cleaned_data["frequency"],
            email=form.cleaned_data.get("email", ""),
            user=request.user,
            client_ip=client_ip(request),
        )
    except ratelimit.RateLimited:
        form.add_error(
            None, _("Trop de demandes d'alerte depuis votre connexion ou pour cette adresse. Réessayez plus tard.")
        )
        return _render_create(request, form, query_string, status=429)
    if saved.confirmed_at:
        messages.success(request, _("Votre alerte « %(label)s » est active.") % {"label": saved.label})
        return redirect("alerts:mine")
    return redirect("alerts:check_inbox")


def check_inbox(request):
    return render(request, "alerts/check_inbox.html")


def _invalid_link(request):
    return render(request, "alerts/invalid_link.html", status=404)


@require_http_methods(["GET", "POST"])
@permission_required("alert.manage_by_link")
def confirm(request, token):
    saved = links.from_confirmation(token)
    if saved is None:
        return _invalid_link(request)
    if request.method == "POST":
        actions.confirm_saved_search(saved)
        return render(request, "alerts/confirmed.html", {"saved": saved, "manage_token": saved.manage_link_token})
    return render(
        request, "alerts/confirm.html", {"saved": saved, "token": token, **_search_context(saved.query_string)}
    )


@require_http_methods(["GET", "POST"])
@permission_required("alert.manage_by_link")
def manage(request, token):
    saved = links.from_manage(token)
    if saved is None:
        return _invalid_link(request)
    form = FrequencyForm(request.POST or None, initial={"frequency": saved.frequency})
    if request.method == "POST":
        if form.is_valid():
            actions.change_frequency(saved, form.cleaned_data["frequency"], request.user)
            messages.success(request, _("La fréquence de l'alerte est enregistrée."))
            return redirect("alerts:manage", token=token)
    context = {
        "saved": saved,
        "form": form,
        "token": token,
        "unsubscribe_token": saved.unsubscribe_link_token,
        "search_path": links.search_url(saved).removeprefix(links.absolute("")),
        **_search_context(saved.query_string),
    }
    return render(request, "alerts/manage.html", context, status=400 if form.errors else 200)


# One-click unsubscribe (RFC 8058): mail clients POST here without cookies, so no CSRF token; the signed link is the
# credential, and the only effect is deleting that one alert.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@permission_required("alert.manage_by_link")
def unsubscribe(request, token):
    saved = links.from_unsubscribe(token)
    if saved is None:
        return render(request, "alerts/unsubscribed.html", {"already": True}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        label = saved.label
        actions.unsubscribe(saved, request.user, one_click=one_click)
        return render(request, "alerts/unsubscribed.html", {"label": label})
    return render(request, "alerts/unsubscribe.html", {"saved": saved, "token": token})


@login_required
def mine(request):
    alerts = [
        {"saved": saved, "manage_token": saved.manage_link_token, "unsubscribe_token": saved.unsubscribe_link_token}
        for saved in request.user.saved_searches.order_by("-created_at")
    ]
    return render(request, "alerts/mine.html", {"alerts": alerts})
