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
from carrefour.contributions.conflicts import base_token, merge, read_base_token, snapshot_at
from carrefour.contributions.display import Describer
from carrefour.contributions.forms import InitiativeForm, initial_from
from carrefour.contributions.forms_images import ImagesForm
from carrefour.contributions.snapshot import PRIVATE_FIELDS, snapshot

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


def _images_form(request, rows: list[dict], bound: bool = True) -> ImagesForm:
    return ImagesForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        rows=rows,
        user=request.user,
        store=lambda content: actions.store_image(content, request.user),
    )


def _conflict(request, initiative, mode, base: dict | None, typed: dict):
    """The sheet changed meanwhile: nothing is written. The new form starts from the current version: the fields the
    person did not touch show the current values, the fields they changed keep what they typed."""
    current = snapshot(initiative)
    merged = merge(base, current, typed)
    describer = Describer(show_private=mode == "direct")
    both = set(merged.both)
    form = InitiativeForm(initial=initial_from(merged.data), hide_private=mode != "direct")
    if "contact_email" in merged.mine:  # their own typed address, shown back to them
        form.initial["contact_email"] = typed.get("contact_email") or ""
    return _render(
        request,
        "contributions/conflict.html",
        initiative,
        form,
        initiative.version,
        mode,
        status=409,
        image_form=_images_form(request, merged.data.get("images") or [], bound=False),
        base=base_token(initiative, initiative.version, current, merged.data.get("images") or []),
        differences=[change for change in describer.diff(current, merged.data) if change.field not in both],
        theirs=[change for change in describer.diff(base or current, current) if change.field not in both],
        both=[
            {"change": change, "typed": describer.value(change.field, typed.get(change.field))}
            for change in describer.diff(base or {}, current)
            if change.field in both
        ],
    )


@permission_required("initiative.suggest_edit", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def suggest_edit(request, slug):
    return _edit(request, request.permission_object, "suggest")


@permission_required("initiative.edit_directly", get_object=published_initiative)
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    return _edit(request, request.permission_object, "direct")


def _started_from(request, initiative, version: int, current: dict) -> tuple[dict | None, list[dict]]:
    """The version the person opened (None if unknown) and the image rows their form showed."""
    payload = read_base_token(request.POST.get("base", ""), initiative)
    if payload is not None and payload.get("version") == version and isinstance(payload.get("data"), dict):
        private = {key: current.get(key) for key in PRIVATE_FIELDS}
        return {**private, **payload["data"]}, payload.get("images") or []
    base = current if version == initiative.version else snapshot_at(initiative, version)
    return base, (base or current).get("images") or []


def _edit(request, initiative, mode):
    current = snapshot(initiative)
    version = initiative.version
    base, image_rows = current, current.get("images") or []
    if request.method == "POST":
        version = _posted_version(request) or 0
        base, image_rows = _started_from(request, initiative, version, current)
    form = InitiativeForm(request.POST or None, initial=initial_from(current), hide_private=mode != "direct")
    image_form = _images_form(request, image_rows, bound=request.method == "POST")
    if request.method == "POST":
        valid = form.is_valid() & image_form.is_valid()  # both, so every error shows at once
        if valid:
            typed = {**form.to_data(base or current), "images": image_form.to_rows()}
            if version != initiative.version:
                return _conflict(request, initiative, mode, base, typed)
            try:
                if mode == "direct":
                    actions.direct_edit(initiative, typed, request.user, version, _comment(request))
                else:
                    actions.suggest_edit(initiative, typed, request.user, version, _comment(request))
            except actions.EditConflict as conflict:
                return _conflict(request, conflict.initiative, mode, base, typed)
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
    status = 400 if form.errors or image_form.errors else 200
    return _render(
        request,
        "contributions/edit.html",
        initiative,
        form,
        version,
        mode,
        status=status,
        image_form=image_form,
        base=base_token(initiative, version, base, image_rows) if base is not None else "",
    )


@permission_required("initiative.suggest_edit", get_object=own_suggested_edit)
@require_http_methods(["GET", "POST"])
def resubmit(request, pk):
    """A suggestion sent back with « modifications demandées »: edit it and send it again."""
    revision = request.permission_object
    initiative = revision.initiative
    if revision.status != revision.Status.CHANGES_REQUESTED:
        messages.info(request, _("Cette proposition de modification n'attend pas de nouvelle version."))
        return redirect("contributions:mine")
    form = InitiativeForm(request.POST or None, initial=initial_from(revision.data), hide_private=True)
    image_form = _images_form(request, revision.data.get("images") or [], bound=request.method == "POST")
    if request.method == "POST" and form.is_valid() & image_form.is_valid():
        data = {**form.to_data(revision.data), "images": image_form.to_rows()}
        try:
            actions.resubmit_edit(revision, data, request.user, _comment(request))
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Nouvelle version envoyée à la modération."))
            return redirect("contributions:mine")
    status = 400 if form.errors or image_form.errors else 200
    return _render(
        request,
        "contributions/edit.html",
        initiative,
        form,
        initiative.version,
        "resubmit",
        status,
        revision=revision,
        image_form=image_form,
    )
