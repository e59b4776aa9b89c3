"""Recent direct edits, and everything one person changed (with « annuler toutes ses modifications »)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carrefour.accounts.permissions import can, permission_required
from carrefour.contributions import actions as contribution_actions
from carrefour.contributions.display import Describer, person
from carrefour.contributions.models import Revision

FEED_SIZE = 30
FEED_KINDS = (Revision.Kind.DIRECT_EDIT, Revision.Kind.REVERT)


def _entries(revisions, user) -> list[dict]:
    describer = Describer(show_private=True)
    return [
        {
            "revision": revision,
            "author": person(revision.author, for_moderator=True),
            "changes": describer.diff(revision.previous_data, revision.data),
        }
        for revision in revisions
        if can(user, "moderation.decide", revision.initiative)
    ]


@permission_required("moderation.view_queue")
@require_GET
def feed(request):
    """« Modifications récentes »: direct edits and restorations, published without prior moderation."""
    revisions = (
        Revision.objects.filter(kind__in=FEED_KINDS, status=Revision.Status.APPLIED, initiative__isnull=False)
        .select_related("initiative", "author")
        .order_by("-applied_at", "-id")
    )
    page = Paginator(revisions, FEED_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/feed.html", {"page": page, "entries": _entries(page, request.user)})


def _person(request, pk, **kwargs):
    return get_object_or_404(get_user_model(), pk=pk)


@permission_required("history.revert_user", get_object=_person)
@require_GET
def user_edits(request, pk):
    target = request.permission_object
    revisions = (
        Revision.objects.filter(author=target, initiative__isnull=False)
        .select_related("initiative", "author")
        .order_by("-created_at", "-id")[:200]
    )
    describer = Describer(show_private=True)
    entries = [
        {"revision": r, "changes": describer.diff(r.previous_data, r.data) if r.kind != r.Kind.PROPOSAL else []}
        for r in revisions
    ]
    applied = sum(1 for r in revisions if r.status == Revision.Status.APPLIED)
    context = {"target": target, "name": person(target, for_moderator=True), "entries": entries, "applied": applied}
    return render(request, "moderation/user_edits.html", context)


@permission_required("history.revert_user", get_object=_person)
@require_POST
def revert_user(request, pk):
    target = request.permission_object
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Cochez la case de confirmation pour annuler toutes les modifications."))
        return redirect("moderation:user_edits", pk=target.pk)
    reverted = contribution_actions.revert_user(target, request.user)
    messages.success(
        request,
        _("%(count)s fiche(s) restaurée(s) ; les fiches créées par cette personne sont archivées.")
        % {"count": len(reverted)},
    )
    return redirect("moderation:user_edits", pk=target.pk)
