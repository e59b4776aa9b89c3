"""Follow and unfollow buttons, « Mes suivis » (follows and notifications) and the weekly digest settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative, Organisation
from carrefour.follows import actions, digest, territories
from carrefour.follows.models import DigestSubscription, FollowKind

NOTIFICATIONS_PER_PAGE = 20


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _toggle(request, label: str, default_url: str, **target):
    if request.POST.get("suivre", "1") == "0":
        actions.unfollow(request.user, **target)
        messages.success(request, _("Vous ne suivez plus %(label)s.") % {"label": label})
    else:
        actions.follow(request.user, **target)
        messages.success(
            request, _("Vous suivez %(label)s : ses nouveautés arrivent dans « Mon espace ».") % {"label": label}
        )
    return _back(request, default_url)


def _initiative(request, slug):
    return get_object_or_404(Initiative.published, slug=slug, merged_into__isnull=True)


def _organisation(request, slug):
    return get_object_or_404(Organisation, slug=slug)


def _territory(request, level, code):
    territory = territories.find(level, code)
    if territory is None:
        raise Http404(_("Aucun territoire ne porte ce code."))
    return territory


@require_POST
@permission_required("follow.manage", get_object=_initiative)
def follow_initiative(request, slug):
    initiative = request.permission_object
    label = f"« {initiative.name} »"
    return _toggle(request, label, initiative.get_absolute_url(), initiative=initiative)


@require_POST
@permission_required("follow.manage", get_object=_organisation)
def follow_organisation(request, slug):
    organisation = request.permission_object
    label = f"« {organisation.name} »"
    return _toggle(request, label, organisation.get_absolute_url(), organisation=organisation)


@require_POST
@permission_required("follow.manage", get_object=_territory)
def follow_territory(request, level, code):
    territory = request.permission_object
    return _toggle(request, territory.name, territory.url, territory=territory)


def follows_context(user) -> dict:
    """What « Mes suivis » shows (also the section of « Mon espace »)."""
    follows = list(user.follows.select_related("initiative", "organisation"))
    pairs = [(follow.territory_level, follow.territory_code) for follow in follows if follow.kind == "territory"]
    names = territories.names(pairs)
    return {
        "initiatives": [f.initiative for f in follows if f.kind == FollowKind.INITIATIVE],
        "organisations": [f.organisation for f in follows if f.kind == FollowKind.ORGANISATION],
        "territories": [territories.Territory(level, code, names.get((level, code), code)) for level, code in pairs],
        "unread": user.notifications.filter(read_at__isnull=True).count(),
        "digest": DigestSubscription.objects.filter(user=user).exists(),
    }


@require_GET
@login_required
def mine(request):
    notifications = request.user.notifications.select_related("initiative", "organisation")
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "follows/mine.html", {"page": page, **follows_context(request.user)})


@require_POST
@permission_required("follow.manage")
def notifications_read(request):
    count = actions.mark_notifications_read(request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return _back(request, "follows:mine")


@require_POST
@permission_required("follow.manage")
def digest_settings(request):
    enabled = request.POST.get("resume", "") == "1"
    actions.set_digest(request.user, enabled, request.user)
    if enabled:
        messages.success(request, _("Vous recevrez chaque semaine un e-mail des nouveautés de vos suivis."))
    else:
        messages.success(request, _("Vous ne recevrez plus le résumé hebdomadaire de vos suivis."))
    return _back(request, "follows:mine")


# One-click unsubscribe (RFC 8058): mail clients POST without cookies, so no CSRF token; the signed link is the
# credential, and the only effect is stopping that one digest.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@permission_required("follow.digest_by_link")
def digest_unsubscribe(request, token):
    subscription = digest.from_unsubscribe_token(token)
    if subscription is None:
        return render(request, "follows/digest_unsubscribed.html", {"already": True}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        actions.set_digest(subscription.user, False, request.user, one_click=one_click)
        return render(request, "follows/digest_unsubscribed.html", {})
    return render(request, "follows/digest_unsubscribe.html", {"token": token})
