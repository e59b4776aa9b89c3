"""The actors directory (/acteurs/): organisations, and the people who agreed to be listed; the consent form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts.actions import profile_of
from carrefour.accounts.models import Membership, ProfileType
from carrefour.accounts.permissions import permission_required
from carrefour.contacts import directory, listing
from carrefour.contacts.forms import DirectoryListingForm

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def organisations(request):
    query = directory.parse(request.GET)
    page = _page(request, directory.organisations(query))
    context = {
        "query": query,
        "page": page,
        "criteria": query.describe(),
        "params": _query_without_page(request),
        **directory.choices(),
    }
    return render(request, "contacts/directory.html", context, status=400 if query.errors else 200)


@require_GET
def people(request):
    text = " ".join((request.GET.get("q") or "").split())[: directory.MAX_TEXT]
    profile_type = request.GET.get("profil", "")
    if profile_type not in ProfileType.values:
        profile_type = ""
    page = _page(request, directory.people(text, profile_type))
    users = [row.user_id for row in page if row.show_organisations]
    memberships: dict[int, list] = {}
    for membership in Membership.objects.filter(user_id__in=users).select_related("organisation"):
        memberships.setdefault(membership.user_id, []).append(membership.organisation)
    rows = [(row, memberships.get(row.user_id, []) if row.show_organisations else []) for row in page]
    context = {
        "page": page,
        "rows": rows,
        "text": text,
        "profile_type": profile_type,
        "profile_types": ProfileType.choices,
        "params": _query_without_page(request),
    }
    return render(request, "contacts/people.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("directory.manage_listing")
def my_listing(request):
    current = listing.listing_of(request.user)
    if current.pk is None:  # a first visit: suggest the profile's name and type, shown only if the person says yes
        profile = profile_of(request.user)
        current.shown_name, current.shown_profile_type = profile.display_name, profile.profile_type
    form = DirectoryListingForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = listing.save_listing(form.instance, request.user)
        if saved.visible:
            messages.success(request, _("Vous apparaissez dans l'annuaire des acteurs."))
        else:
            messages.success(request, _("Vous n'apparaissez pas dans l'annuaire des acteurs."))
        return redirect("accounts:space")
    status = 400 if form.errors else 200
    return render(request, "contacts/my_listing.html", {"form": form, "listing": current}, status=status)


@require_POST
@permission_required("directory.manage_listing")
def withdraw_listing(request):
    if listing.withdraw(request.user, request.user):
        messages.success(request, _("Vous n'apparaissez plus dans l'annuaire des acteurs."))
    return redirect("accounts:space")
