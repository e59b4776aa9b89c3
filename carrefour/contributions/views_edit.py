"""Editing a published sheet: a suggestion (moderated) or a direct edit (holders, curators, moderators).

The form carries the sheet's version: a save based on an older version shows the conflict page, with the typed
values kept in the form, and writes nothing.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carrefour.accounts.permissions import permission_required
from carrefour.contributions import actions
from carrefour.contributions.access import own_suggested_edit, published_initiative
from carrefour.contributions.display import Describer
from carrefour.contributions.forms import InitiativeForm, initial_from
from carrefour.contributions.snapshot import snapshot

COMMENT_MAX = 500


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _comment(request) -> str:
    return (request.POST.get("comment") or "").strip()[:COMMENT_MAX]


def _render(request, template, initiative, form, version, mode, status=200, **extra):
    context = {
        "initiative": initiative,
        "form": form,
        "version": version,
        "mode": mode,
        "comment": _comment(request) if request.method == "POST" else "",
        **extra,
    }
    return render(request, template, context, status=status)


def _conflict(request, initiative, form, mode, typed: dict):
    """The sheet changed meanwhile: show both versions; the form keeps what was typed, now based on the current one."""
    current = snapshot(initiative)
    describer = Describer(show_private=True)
    return _render(
        request,
        "contributions/conflict.html",
        initiative,
        form,
        initiative.version,
        mode,
        status=409,
        differences=describer.diff(current, typed),
    )


@permission_required("initiative.suggest_edit", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def suggest_edit(request, slug):
    return _edit(request, request.permission_object, "suggest")


@permission_required("initiative.edit_directly", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    return _edit(request, request.permission_object, "direct")


def _edit(request, initiative, mode):
    current = snapshot(initiative)
    form = InitiativeForm(request.POST or None, initial=initial_from(current))
    version = initiative.version
    if request.method == "POST":
        version = _posted_version(request) or 0
        if form.is_valid():
            typed = form.to_data(current)
            if version != initiative.version:
                return _conflict(request, initiative, form, mode, typed)
            try:
                if mode == "direct":
                    actions.direct_edit(initiative, typed, request.user, version, _comment(request))
                else:
                    actions.suggest_edit(initiative, typed, request.user, version, _comment(request))
            except actions.EditConflict as conflict:
                return _conflict(request, conflict.initiative, form, mode, typed)
            except actions.ContributionError as error:
                form.add_error(None, str(error))
            else:
                if mode == "direct":
                    messages.success(request, _("Modification publiée."))
                else:
                    messages.success(
                        request,
                        _(
                            "Merci ! Votre proposition de modification est envoyée à la modération. La fiche publique "
                            "reste inchangée d'ici sa décision."
                        ),
                    )
                initiative.refresh_from_db()
                return redirect(initiative)
    status = 400 if form.errors else 200
    return _render(request, "contributions/edit.html", initiative, form, version, mode, status=status)


@permission_required("initiative.suggest_edit", get_object=own_suggested_edit)
@require_http_methods(["GET", "POST"])
def resubmit(request, pk):
    """A suggestion sent back with « modifications demandées »: edit it and send it again."""
    revision = request.permission_object
    initiative = revision.initiative
    if revision.status != revision.Status.CHANGES_REQUESTED:
        messages.info(request, _("Cette proposition de modification n'attend pas de nouvelle version."))
        return redirect("contributions:mine")
    form = InitiativeForm(request.POST or None, initial=initial_from(revision.data))
    if request.method == "POST" and form.is_valid():
        try:
            actions.resubmit_edit(revision, form.to_data(revision.data), request.user, _comment(request))
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Nouvelle version envoyée à la modération."))
            return redirect("contributions:mine")
    status = 400 if form.errors else 200
    return _render(
        request, "contributions/edit.html", initiative, form, initiative.version, "resubmit", status, revision=revision
    )
