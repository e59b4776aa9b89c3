"""Revision history of a sheet: who, when, what changed; restoring a version."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carrefour.accounts.permissions import can, permission_required
from carrefour.contributions import actions
from carrefour.contributions.access import any_initiative, applied_revision
from carrefour.contributions.display import Describer, person
from carrefour.contributions.models import Revision

PAGE_SIZE = 20


@permission_required("history.view", get_object=any_initiative)
@require_GET
def history(request, slug):
    initiative = request.permission_object
    moderator = can(request.user, "history.revert", initiative)
    if not initiative.is_public and not moderator:
        raise Http404
    revisions = (
        Revision.objects.filter(initiative=initiative, status=Revision.Status.APPLIED)
        .select_related("author", "decided_by")
        .order_by("-applied_at", "-id")
    )
    page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    describer = Describer(show_private=moderator)
    entries = [
        {
            "revision": revision,
            "author": person(revision.author, for_moderator=moderator),
            "changes": describer.diff(revision.previous_data, revision.data),
            "is_current": revision.applied_version == initiative.version,
        }
        for revision in page
    ]
    context = {"initiative": initiative, "page": page, "entries": entries, "can_revert": moderator}
    return render(request, "contributions/history.html", context)


@permission_required("history.revert", get_object=applied_revision)
@require_POST
def revert(request, pk):
    revision = request.permission_object
    try:
        actions.revert_to(revision, request.user)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La fiche a été restaurée dans cet état (une nouvelle version a été créée)."))
    return redirect("contributions:history", slug=revision.initiative.slug)
