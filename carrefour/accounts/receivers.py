"""Signal receivers of the accounts app."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added)
def totp_activation_counts_as_second_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means typing a valid code: this session has passed the second factor."""
    if authenticator.type == Authenticator.Type.TOTP and request is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
