"""TOTP for moderators and administrators (R-SEC-12).

Before any page under settings.STAFF_SECOND_FACTOR_PATHS (/moderation/, /admin/), a moderator, administrator or staff
account must have activated TOTP (else: sent to the activation page) and this session must have passed the second
factor (else: sent to the second-factor check). At login, allauth itself asks for the code once TOTP is active.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from carrefour.accounts import scopes


def needs_second_factor(user) -> bool:
    return bool(
        scopes.is_active_user(user) and (user.is_staff or scopes.is_administrator(user) or scopes.is_moderator(user))
    )


def session_passed_second_factor(request) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.STAFF_SECOND_FACTOR_PATHS)) and needs_second_factor(request.user):
            redirect = self.second_factor_redirect(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def second_factor_redirect(self, request):
        query = "?" + urlencode({"next": request.get_full_path()})
        if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            messages.warning(
                request,
                _(
                    "Les espaces de modération et d'administration demandent une double authentification : "
                    "activez-la avec une application d'authentification (TOTP) pour continuer."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp") + query)
        if not session_passed_second_factor(request):
            messages.info(request, _("Confirmez votre identité avec le code de votre application d'authentification."))
            return HttpResponseRedirect(reverse("mfa_reauthenticate") + query)
        return None
