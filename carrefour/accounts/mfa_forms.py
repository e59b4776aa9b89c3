"""Second-factor forms of allauth with their attempts counted on the shared atomic counter (R-SEC-24), and French
labels. allauth's own code budget lived in Django's cache; ours is per account and per IP address (see `throttle`)."""

from allauth.core import context
from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.accounts import throttle

TOO_MANY_CODES = _("Trop de codes erronés. Patientez quelques minutes avant de réessayer.")


class CountedCodeMixin:
    """Takes one attempt before the code is checked; gives it back when the code was right."""

    def clean_code(self) -> str:
        attempt = throttle.take_attempt(throttle.code_limits(self.user, throttle.client_ip(context.request)))
        if attempt is None:
            raise forms.ValidationError(TOO_MANY_CODES, code="too_many_login_attempts")
        code = super().clean_code()
        attempt.succeeded()
        return code

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code à 6 chiffres ou code de secours")
        self.fields["code"].widget.attrs.update({"placeholder": "", "autocomplete": "one-time-code"})
        self.fields["code"].error_messages["required"] = _("Saisissez le code affiché par votre application.")


class AuthenticateForm(CountedCodeMixin, base_forms.AuthenticateForm):
    pass


class ReauthenticateForm(CountedCodeMixin, base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(CountedCodeMixin, totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code à 6 chiffres affiché par l'application")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
