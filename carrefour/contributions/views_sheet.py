"""One-click and short actions on a sheet: « Je porte ce projet », « Signaler un problème », « Toujours à jour »."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.contributions import actions
from carrefour.contributions.access import published_initiative
from carrefour.contributions.forms import ClaimForm, ReportForm


@permission_required("initiative.claim", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def claim(request, slug):
    initiative = request.permission_object
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.claim(initiative, request.user, form.cleaned_data["message"])
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre demande est envoyée. La modération vous répondra par e-mail."))
            return redirect(initiative)
    return render(
        request,
        "contributions/sheet_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": _("Je porte ce projet"),
            "intro": _(
                "Vous faites partie de l'équipe qui porte cette initiative ? Une fois votre demande vérifiée par la "
                "modération, vous pourrez modifier la fiche directement."
            ),
            "submit_label": _("Envoyer ma demande"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("initiative.report", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def report(request, slug):
    initiative = request.permission_object
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.report(initiative, request.user, form.cleaned_data["reason"], form.cleaned_data["message"])
        messages.success(request, _("Merci pour votre signalement : la modération va l'examiner."))
        initiative.refresh_from_db()
        return redirect(initiative if initiative.is_public else "core:home")
    return render(
        request,
        "contributions/sheet_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": _("Signaler un problème"),
            "intro": _("Une information fausse, une initiative arrêtée, un doublon, un contenu inapproprié ?"),
            "submit_label": _("Envoyer le signalement"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("initiative.confirm_up_to_date", get_object=published_initiative)
@require_POST
def confirm(request, slug):
    initiative = request.permission_object
    actions.confirm_up_to_date(initiative, request.user)
    messages.success(request, _("Merci ! La fiche est indiquée comme à jour à la date d'aujourd'hui."))
    return redirect(initiative)
