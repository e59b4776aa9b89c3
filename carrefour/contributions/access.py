"""Object lookups for the permission decorator: each returns the object or raises Http404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from carrefour.catalog.models import Initiative, Organisation
from carrefour.contributions.models import Revision


def published_initiative(request, slug, **kwargs) -> Initiative:
    return get_object_or_404(Initiative, slug=slug, status=Initiative.Status.PUBLISHED)


def any_initiative(request, slug, **kwargs) -> Initiative:
    """Any sheet, for people allowed to act on non-public ones (the view checks who sees what)."""
    return get_object_or_404(Initiative, slug=slug)


def own_proposal(request, pk, **kwargs) -> Revision:
    """A proposal of the signed-in person. Someone else's draft does not exist for them (404, never 403)."""
    revision = get_object_or_404(Revision.objects.select_related("initiative"), pk=pk, kind=Revision.Kind.PROPOSAL)
    # Anonymous people get the login redirect from the decorator; signed-in strangers get a 404.
    if request.user.is_authenticated and revision.author_id != request.user.pk:
        raise Http404
    return revision


def own_suggested_edit(request, pk, **kwargs) -> Revision:
    revision = get_object_or_404(
        Revision.objects.select_related("initiative"), pk=pk, kind=Revision.Kind.SUGGESTED_EDIT
    )
    if request.user.is_authenticated and revision.author_id != request.user.pk:
        raise Http404
    return revision


def applied_revision(request, pk, **kwargs) -> Revision:
    """A published state of a sheet or of an organisation."""
    return get_object_or_404(
        Revision.objects.select_related("initiative", "organisation"), pk=pk, status=Revision.Status.APPLIED
    )


def any_organisation(request, slug, **kwargs) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)
