"""Legal pages, the rights-request form (double opt-in) and the moderators' answer page. Thin views over
`carrefour.privacy.requests`; the pages' content lives in templates."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carrefour.accounts.permissions import permission_required
from carrefour.messaging import ratelimit
from carrefour.messaging.views import client_ip
from carrefour.privacy import requests
from carrefour.privacy.forms import AnswerForm, RightsRequestForm
from carrefour.privacy.models import RightsRequest
from carrefour.privacy.registry import CATEGORIES, PERSONAL_FIELDS, PROCESSINGS


def legal_context() -> dict:
    return {
        "publisher": settings.LEGAL_PUBLISHER,
        "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
        "director": settings.LEGAL_DIRECTOR,
        "contact_email": settings.LEGAL_CONTACT_EMAIL,
        "dpo_email": settings.LEGAL_DPO_EMAIL,
        "host": settings.LEGAL_HOST,
        "mail_provider": settings.LEGAL_MAIL_PROVIDER,
        "tile_url": settings.MAP_TILE_URL,
    }


@require_GET
def privacy(request):
    processings = [
        {"key": key, "processing": processing, "categories": _categories(key)}
        for key, processing in PROCESSINGS.items()
    ]
    return render(request, "privacy/privacy.html", {**legal_context(), "processings": processings})


def _categories(processing: str) -> list[str]:
    found = {field.category for field in PERSONAL_FIELDS.values() if field.processing == processing}
    return [str(label) for key, label in CATEGORIES.items() if key in found]


@require_GET
def legal(request):
    return render(request, "privacy/legal.html", legal_context())


@require_GET
def accessibility(request):
    context = {
        **legal_context(),
        "a11y_status": settings.A11Y_STATUS,
        "audit_date": settings.A11Y_AUDIT_DATE,
        "audit_rate": settings.A11Y_AUDIT_RATE,
    }
    return render(request, "privacy/accessibility.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("privacy.request")
def rights_request(request):
    if request.method == "GET":
        return render(request, "privacy/request.html", {"form": RightsRequestForm()})
    form = RightsRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/request.html", {"form": form}, status=400)
    try:
        requests.submit_request(**form.cleaned_data, client_ip=client_ip(request))
    except ratelimit.RateLimited:
        form.add_error(None, _("Trop de demandes depuis votre connexion ou pour cette adresse. Réessayez plus tard."))
        return render(request, "privacy/request.html", {"form": form}, status=429)
    return redirect("privacy:request_sent")


@require_GET
def request_sent(request):
    return render(request, "privacy/request_sent.html")


@require_http_methods(["GET", "POST"])
@permission_required("privacy.request_by_link")
def confirm(request, token):
    found = requests.from_confirmation(token)
    if found is None:
        return render(request, "privacy/invalid_link.html", status=404)
    if request.method == "POST":
        requests.confirm_request(found)
        found.refresh_from_db()
        return render(request, "privacy/confirmed.html", {"rights_request": found})
    return render(request, "privacy/confirm.html", {"rights_request": found, "token": token})


def _open_request(request, pk):
    return get_object_or_404(RightsRequest, pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("privacy.handle_request", get_object=_open_request)
def handle(request, pk):
    rights_request = request.permission_object
    if rights_request.status == RightsRequest.Status.UNCONFIRMED:
        raise Http404
    if request.method == "GET":
        return _handle_page(request, rights_request, AnswerForm())
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            requests.close_request(
                rights_request,
                request.user,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                erase=form.cleaned_data["erase"],
            )
        except requests.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Réponse enregistrée ; elle part par e-mail à la personne."))
            return redirect("moderation:queue")
    return _handle_page(request, rights_request, form, status=400)


def _handle_page(request, rights_request, form, status=200):
    context = {
        "rights_request": rights_request,
        "form": form,
        "can_erase": requests.is_erasure(rights_request),
        "found": requests.data_found(rights_request),
    }
    return render(request, "privacy/handle.html", context, status=status)
