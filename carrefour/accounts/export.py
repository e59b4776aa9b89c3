"""« Télécharger mes données » (R-GDPR-05, Art. 15/20): everything the platform holds about an account, as JSON.

Other apps add their own part by appending a callable `(user) -> (key, data)` to `EXPORT_SECTIONS`.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.utils import timezone

from carrefour.accounts.models import InitiativeHolder, Membership, RoleGrant
from carrefour.accounts.permissions import roles_of
from carrefour.core.models import AuditEvent

EXPORT_SECTIONS: list[Callable] = []


def _when(value) -> str | None:
    return value.isoformat() if value else None


def account_data(user) -> dict:
    from carrefour.accounts.actions import profile_of

    profile = profile_of(user)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {"date_joined": _when(user.date_joined), "last_login": _when(user.last_login)},
        "profile": {
            "display_name": profile.display_name,
            "profile_type": profile.profile_type,
            "profile_type_label": str(profile.get_profile_type_display()),
        },
        "emails": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "organisation_slug": membership.organisation.slug,
                "role_label": membership.role_label,
                "created_at": _when(membership.created_at),
            }
            for membership in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "roles": sorted(role.value for role in roles_of(user)),
        "role_grants": [
            {
                "role": grant.role,
                "organisation": grant.organisation.name if grant.organisation else None,
                "source": grant.source.slug if grant.source else None,
                "themes": sorted(term.code for term in grant.themes.all()),
                "regions": sorted(region.pk for region in grant.regions.all()),
                "created_at": _when(grant.created_at),
            }
            for grant in RoleGrant.objects.filter(user=user).select_related("organisation", "source")
        ],
        "holdings": [
            {
                "initiative": holder.initiative.name,
                "initiative_slug": holder.initiative.slug,
                "created_at": _when(holder.created_at),
            }
            for holder in InitiativeHolder.objects.filter(user=user).select_related("initiative")
        ],
        "audit_events": [
            {
                "date": _when(event.created_at),
                "event_type": event.event_type,
                "label": event.get_event_type_display(),
                "object_type": event.object_type,
                "object_id": event.object_id,
                "data": event.data,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }
    for section in EXPORT_SECTIONS:
        key, value = section(user)
        data[key] = value
    return data
