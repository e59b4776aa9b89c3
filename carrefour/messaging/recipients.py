"""Who receives a relayed message: the sheet's holders, else the initiative's private contact, else the moderators.

Never dropped: when no moderator has a verified address, the administrators (settings.ADMINS) and, last, the
platform's own mailbox (DEFAULT_FROM_EMAIL) receive it. The addresses found here are used for the `To` of the relayed
mail only: they are never shown, returned by a view or written to a log.
"""

from dataclasses import dataclass
from email.utils import parseaddr

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q

from carrefour.accounts import scopes
from carrefour.accounts.models import InitiativeHolder, Role, RoleGrant
from carrefour.messaging.models import RecipientKind


@dataclass(frozen=True)
class Recipients:
    kind: str
    addresses: list[str]


def verified_addresses(user_ids) -> list[str]:
    """One verified address per account (its primary one when verified), in a stable order."""
    chosen: dict[int, str] = {}
    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True, user__is_active=True)
    for user_id, email in rows.order_by("user_id", "-primary", "pk").values_list("user_id", "email"):
        chosen.setdefault(user_id, email)
    return list(dict.fromkeys(chosen.values()))


def holder_addresses(initiative) -> list[str]:
    return verified_addresses(InitiativeHolder.objects.filter(initiative=initiative).values("user_id"))


def moderator_addresses(initiative) -> list[str]:
    """Moderators whose scope covers the sheet; else every moderator and administrator; else ADMINS, the platform."""
    grants = RoleGrant.objects.filter(role=Role.MODERATOR).select_related("user")
    in_scope = {grant.user_id for grant in grants if scopes.is_moderator(grant.user, initiative, in_scope=True)}
    addresses = verified_addresses(in_scope)
    if not addresses:
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(
            Q(role_grants__role__in=[Role.MODERATOR, Role.ADMINISTRATOR]) | Q(is_superuser=True)
        )
        addresses = verified_addresses(staff.values("pk"))
    if not addresses:
        addresses = [address for _name, address in getattr(settings, "ADMINS", [])]
    return addresses or [parseaddr(settings.DEFAULT_FROM_EMAIL)[1]]


def recipients_for(initiative) -> Recipients:
    addresses = holder_addresses(initiative)
    if addresses:
        return Recipients(RecipientKind.HOLDERS, addresses)
    if initiative.contact_email:
        return Recipients(RecipientKind.INITIATIVE_CONTACT, [initiative.contact_email])
    return Recipients(RecipientKind.MODERATORS, moderator_addresses(initiative))
