"""Revision history of a sheet or of an organisation: who, when, what changed; restoring a version."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carrefour.accounts.permissions import can, permission_required
from carrefour.catalog.models import Initiative
from carrefour.contributions import actions, organisation_revisions
from carrefour.contributions.access import any_initiative, any_organisation, applied_revision
from carrefour.contributions.display import Describer, person
from carrefour.contributions.models import Revision

PAGE_SIZE = 20


def _render_history(request, subject, revisions, moderator: bool, current_version: int, labels=None):
    page = Paginator(revisions.select_related("author", "decided_by"), PAGE_SIZE).get_page(request.GET.get("page"))
    describer = Describer(show_private=moderator)
    entries = [
        {
            "revision": revision,
            "author": person(revision.author, for_moderator=moderator),
            "changes": describer.diff(revision.previous_data, revision.data, labels),
            "is_current": revision.applied_version == current_version,
        }
        for revision in page
    ]
    context = {
        "subject": subject,
        "is_organisation": labels is not None,
        "page": page,
        "entries": entries,
        "can_revert": moderator,
    }
    return render(request, "contributions/history.html", context)


@permission_required("history.view", get_object=any_initiative)
@require_GET
def history(request, slug):
    initiative = request.permission_object
    moderator = can(request.user, "history.revert", initiative)
    if not initiative.is_public and not moderator:
        raise Http404
    revisions = Revision.objects.filter(initiative=initiative, status=Revision.Status.APPLIED).order_by(
        "-applied_at", "-id"
    )
    return _render_history(request, initiative, revisions, moderator, initiative.version)


def organisation_is_public(organisation) -> bool:
    """As on its public page: an organisation is shown once one of its initiatives is published."""
    return organisation.stakes.filter(initiative__status=Initiative.Status.PUBLISHED).exists()


@permission_required("history.view", get_object=any_organisation)
@require_GET
def organisation_history(request, slug):
    organisation = request.permission_object
    moderator = can(request.user, "history.revert", organisation)
    if not organisation_is_public(organisation) and not moderator:
        raise Http404
    revisions = Revision.objects.filter(organisation=organisation, status=Revision.Status.APPLIED).order_by(
        "-applied_at", "-id"
    )
    version = organisation_revisions.current_version(organisation)
    return _render_history(request, organisation, revisions, moderator, version, organisation_revisions.LABELS)


@permission_required("history.revert", get_object=applied_revision)
@require_POST
def revert(request, pk):
    revision = request.permission_object
    try:
        actions.revert_to(revision, request.user)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    else:
        if revision.organisation_id:
            messages.success(
                request, _("L'organisation a été restaurée dans cet état (une nouvelle version a été créée).")
            )
        else:
            messages.success(request, _("La fiche a été restaurée dans cet état (une nouvelle version a été créée)."))
    subject = revision.target
    subject.refresh_from_db(fields=["slug"])  # a restored name moves the address
    if revision.organisation_id:
        return redirect("contributions:organisation_history", slug=subject.slug)
    return redirect("contributions:history", slug=subject.slug)
