"""django-allauth adapter: failed logins counted on the shared atomic counter per (e-mail, IP address) and per IP
address (R-SEC-08, R-SEC-24, see `throttle`), verification mails at most once per cool-down."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.accounts import throttle

TOO_MANY_ATTEMPTS = _("Trop de tentatives de connexion ont échoué. Patientez quelques minutes avant de réessayer.")


class AccountAdapter(DefaultAccountAdapter):
    _attempt: throttle.Attempt | None = None

    def pre_authenticate(self, request, **credentials) -> None:
        # The same refusal whether or not the address has an account (R-SEC-10).
        limits = throttle.login_limits(credentials.get("email", ""), throttle.client_ip(request))
        self._attempt = throttle.take_attempt(limits)
        if self._attempt is None:
            raise forms.ValidationError(TOO_MANY_ATTEMPTS, code="too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and self._attempt is not None:
            self._attempt.succeeded()
        return user

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # Called by allauth after a successful password reset.
        throttle.forget_login_failures(credentials.get("email", ""), throttle.client_ip(request))

    def send_confirmation_mail(self, request, emailconfirmation, signup) -> None:
        email = emailconfirmation.email_address.email
        if throttle.may_send_verification_mail(email) or signup:
            super().send_confirmation_mail(request, emailconfirmation, signup)
