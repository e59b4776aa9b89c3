"""Favourites: personal lists of initiatives, each shareable by a read-only link with an unguessable token."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative
from carrefour.follows import actions
from carrefour.follows.forms import AddFavouriteForm, ListForm
from carrefour.follows.models import FavouriteList

LIMIT_MESSAGES = {
    "lists": gettext_lazy("Vous avez atteint le nombre maximal de listes (%(max)s).") % {"max": actions.MAX_LISTS},
    "items": gettext_lazy("Cette liste est pleine (%(max)s initiatives).") % {"max": actions.MAX_ITEMS_PER_LIST},
}


def _own_list(request, pk) -> FavouriteList:
    return get_object_or_404(FavouriteList, pk=pk, owner=request.user)


def _initiative(request, slug) -> Initiative:
    return get_object_or_404(Initiative.published, slug=slug, merged_into__isnull=True)


def _published_items(favourite_list: FavouriteList):
    return favourite_list.items.filter(initiative__status=Initiative.Status.PUBLISHED).select_related("initiative")


@require_http_methods(["GET", "POST"])
@permission_required("favourites.manage")
def lists(request):
    form = ListForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_list(request.user, form.cleaned_data["name"])
        except actions.FavouriteError:
            form.add_error(None, LIMIT_MESSAGES["lists"])
        else:
            messages.success(request, _("La liste « %(name)s » est créée.") % {"name": created.name})
            return redirect(created)
    mine = request.user.favourite_lists.all()
    status = 400 if form.errors else 200
    return render(request, "follows/lists.html", {"lists": mine, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("favourites.manage", get_object=_own_list)
def list_detail(request, pk):
    favourite_list = request.permission_object
    initial = {"name": favourite_list.name, "is_shared": favourite_list.is_shared}
    form = ListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_list(
            favourite_list, request.user, name=form.cleaned_data["name"], is_shared=form.cleaned_data["is_shared"]
        )
        messages.success(request, _("La liste est enregistrée."))
        return redirect(favourite_list)
    context = {
        "favourite_list": favourite_list,
        "items": _published_items(favourite_list),
        "form": form,
        "share_url": request.build_absolute_uri(favourite_list.share_path()) if favourite_list.is_shared else "",
    }
    return render(request, "follows/list_detail.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("favourites.manage", get_object=_own_list)
def list_delete(request, pk):
    favourite_list = request.permission_object
    name = favourite_list.name
    actions.delete_list(favourite_list, request.user)
    messages.success(request, _("La liste « %(name)s » est supprimée.") % {"name": name})
    return redirect("follows:lists")


@require_POST
@permission_required("favourites.manage", get_object=_own_list)
def list_remove(request, pk):
    favourite_list = request.permission_object
    initiative_id = request.POST.get("initiative", "")
    if initiative_id.isdigit() and actions.remove_favourite(favourite_list, int(initiative_id), request.user):
        messages.success(request, _("L'initiative est retirée de la liste."))
    return redirect(favourite_list)


@require_http_methods(["GET", "POST"])
@permission_required("favourites.manage", get_object=_initiative)
def add_favourite(request, slug):
    initiative = request.permission_object
    form = AddFavouriteForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            target = form.cleaned_data["favourite_list"] or actions.create_list(
                request.user, form.cleaned_data["new_name"]
            )
            added = actions.add_favourite(target, initiative, request.user)
        except actions.FavouriteError as error:
            form.add_error(None, LIMIT_MESSAGES.get(str(error), LIMIT_MESSAGES["items"]))
        else:
            if added:
                text = _("« %(initiative)s » est ajoutée à la liste « %(list)s ».")
            else:
                text = _("« %(initiative)s » était déjà dans la liste « %(list)s ».")
            messages.success(request, text % {"initiative": initiative.name, "list": target.name})
            return redirect(initiative)
    status = 400 if form.errors else 200
    return render(request, "follows/add_favourite.html", {"initiative": initiative, "form": form}, status=status)


@require_GET
def shared_list(request, token):
    favourite_list = get_object_or_404(FavouriteList.objects.select_related("owner"), share_token=token, is_shared=True)
    context = {"favourite_list": favourite_list, "items": _published_items(favourite_list)}
    response = render(request, "follows/shared_list.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to the sites the list links to
    return response
