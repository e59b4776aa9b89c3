"""The contact relay pages: the form (also shown on the sheet), its handling, and the « Message envoyé » page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative
from carrefour.messaging import ratelimit
from carrefour.messaging.contact import relay_contact_message
from carrefour.messaging.forms import ContactForm

LIMIT_MESSAGES = {
    "contact:ip": lambda: _(
        "Trop de messages ont été envoyés depuis votre connexion ces dernières minutes. Réessayez dans une heure : "
        "votre message est conservé ci-dessous."
    ),
    "contact:sender": lambda: _(
        "Cette adresse e-mail a déjà envoyé beaucoup de messages aujourd'hui. Réessayez demain : votre message est "
        "conservé ci-dessous."
    ),
    "contact:recipient": lambda: _(
        "Cette initiative a reçu beaucoup de messages aujourd'hui. Réessayez demain : votre message est conservé "
        "ci-dessous."
    ),
}


def client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""


def _public_initiative(slug: str) -> Initiative:
    return get_object_or_404(Initiative.published, slug=slug, merged_into__isnull=True)


def _render_form(request, initiative, form, status: int = 200):
    if form.is_bound:
        # Shown again: keep the original start time, so a correction is not taken for a robot's haste.
        form.data = form.data.copy()
        form.data["started"] = form.carried_started()
    return render(request, "messaging/contact.html", {"initiative": initiative, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("contact.send")
def contact(request, slug):
    initiative = _public_initiative(slug)
    if request.method == "GET":
        return _render_form(request, initiative, ContactForm())
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render_form(request, initiative, form, status=400)
    if form.looks_automated():
        # Neutral answer: a robot learns nothing, and nothing is queued.
        return redirect("messaging:contact_sent", slug=initiative.slug)
    data = form.cleaned_data
    try:
        relay_contact_message(
            initiative,
            sender_name=data["name"],
            sender_email=data["email"],
            purpose=data["purpose"],
            body=data["message"],
            client_ip=client_ip(request),
            actor=request.user,
        )
    except ratelimit.RateLimited as limited:
        form.add_error(None, LIMIT_MESSAGES[limited.limit.name]())
        return _render_form(request, initiative, form, status=429)
    return redirect("messaging:contact_sent", slug=initiative.slug)


def contact_sent(request, slug):
    initiative = _public_initiative(slug)
    return render(request, "messaging/contact_sent.html", {"initiative": initiative})
