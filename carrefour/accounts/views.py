"""« Mon espace »: the personal space, profile, export and deletion. Thin views over carrefour.accounts.actions."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts import actions, space
from carrefour.accounts.forms import DeleteAccountForm, MembershipForm, ProfileForm
from carrefour.accounts.models import InitiativeHolder, Membership, RoleGrant
from carrefour.accounts.permissions import permission_required, roles_of


@require_GET
@login_required
def space_page(request):
    user = request.user
    context = {
        "profile": actions.profile_of(user),
        "emails": user.emailaddress_set.order_by("-primary", "email"),
        "memberships": Membership.objects.filter(user=user).select_related("organisation"),
        "holdings": InitiativeHolder.objects.filter(user=user).select_related("initiative"),
        "grants": RoleGrant.objects.filter(user=user).select_related("organisation", "source"),
        "roles": sorted(role.label for role in roles_of(user)),
        "sections": space.sections_for(request),
    }
    return render(request, "accounts/space.html", context)


def _profile_page(request, profile_form=None, membership_form=None):
    profile = actions.profile_of(request.user)
    context = {
        "profile_form": profile_form or ProfileForm(instance=profile, prefix="profile"),
        "membership_form": membership_form or MembershipForm(prefix="membership"),
        "memberships": Membership.objects.filter(user=request.user).select_related("organisation"),
    }
    return render(request, "accounts/profile.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("account.manage")
def profile_page(request):
    if request.method == "GET":
        return _profile_page(request)
    form = ProfileForm(request.POST, instance=actions.profile_of(request.user), prefix="profile")
    if not form.is_valid():
        return _profile_page(request, profile_form=form)
    actions.save_profile(form.instance, request.user, changed_fields=form.changed_data)
    messages.success(request, _("Votre profil est enregistré."))
    return redirect("accounts:space")


@require_POST
@permission_required("account.manage")
def membership_add(request):
    form = MembershipForm(request.POST, prefix="membership")
    if not form.is_valid():
        return _profile_page(request, membership_form=form)
    membership = actions.add_membership(
        request.user, form.cleaned_data["organisation"], form.cleaned_data["role_label"], actor=request.user
    )
    messages.success(
        request,
        _("« %(organisation)s » est ajoutée à vos organisations.") % {"organisation": membership.organisation.name},
    )
    return redirect("accounts:profile")


def _own_membership(request, pk):
    return get_object_or_404(Membership.objects.select_related("organisation"), pk=pk, user=request.user)


@require_POST
@permission_required("account.manage", get_object=_own_membership)
def membership_remove(request, pk):
    membership = request.permission_object
    name = membership.organisation.name
    actions.remove_membership(membership, actor=request.user)
    messages.success(request, _("« %(organisation)s » est retirée de vos organisations.") % {"organisation": name})
    return redirect("accounts:profile")


@require_POST
@permission_required("account.manage")
def export_data(request):
    data = actions.export_account(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    filename = f"carrefour-mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@permission_required("account.manage")
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        logout(request)
        actions.delete_account(user)
        messages.success(request, _("Votre compte et vos données personnelles ont été supprimés."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})
