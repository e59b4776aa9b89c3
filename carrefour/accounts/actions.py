"""Named actions on accounts and roles. Each runs in one transaction and writes a typed audit event."""

from django.contrib.auth import get_user_model
from django.db import transaction

from carrefour.accounts.models import InitiativeHolder, Membership, Profile, Role, RoleGrant
from carrefour.accounts.signals import account_deleting
from carrefour.core.audit import record_event
from carrefour.core.models import EventType


def profile_of(user) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def save_profile(profile: Profile, actor=None, changed_fields: list[str] | None = None) -> Profile:
    profile.save()
    record_event(EventType.PROFILE_UPDATED, profile, actor, fields=sorted(changed_fields or []))
    return profile


@transaction.atomic
def add_membership(user, organisation, role_label: str = "", actor=None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role_label": role_label}
    )
    if not created and membership.role_label != role_label:
        membership.role_label = role_label
        membership.save(update_fields=["role_label"])
    record_event(EventType.MEMBERSHIP_ADDED, membership, actor or user, organisation=organisation.pk)
    return membership


@transaction.atomic
def remove_membership(membership: Membership, actor=None) -> None:
    record_event(EventType.MEMBERSHIP_REMOVED, membership, actor, organisation=membership.organisation_id)
    membership.delete()


@transaction.atomic
def add_holder(initiative, user, actor=None) -> InitiativeHolder:
    """Make `user` a holder of `initiative` (idempotent): they may then edit its sheet directly."""
    holder, created = InitiativeHolder.objects.get_or_create(
        user=user, initiative=initiative, defaults={"granted_by": actor if _is_user(actor) else None}
    )
    if created:
        record_event(EventType.HOLDER_ADDED, initiative, actor, user=user.pk)
    return holder


@transaction.atomic
def remove_holder(initiative, user, actor=None) -> bool:
    """Remove `user` from the holders of `initiative`; returns whether they were one."""
    deleted, _details = InitiativeHolder.objects.filter(user=user, initiative=initiative).delete()
    if deleted:
        record_event(EventType.HOLDER_REMOVED, initiative, actor, user=user.pk)
    return bool(deleted)


@transaction.atomic
def grant_role(user, role, actor=None, *, organisation=None, source=None, themes=(), regions=()) -> RoleGrant:
    """Grant a curator, moderator or administrator role (contributor and holder are not granted this way)."""
    role = Role(role)
    if role not in (Role.CURATOR, Role.MODERATOR, Role.ADMINISTRATOR):
        raise ValueError(f"{role} is not granted: contributors verify their e-mail, holders come from claims")
    if role == Role.CURATOR and organisation is None and source is None:
        raise ValueError("A curator is trusted for a source or an organisation: give one")
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        organisation=organisation,
        source=source,
        granted_by=actor if _is_user(actor) else None,
    )
    grant.themes.set(themes)
    grant.regions.set(regions)
    record_event(EventType.ROLE_GRANTED, grant, actor, **grant_summary(grant))
    return grant


def grant_summary(grant: RoleGrant) -> dict:
    return {
        "user": grant.user_id,
        "role": grant.role,
        "organisation": grant.organisation_id,
        "source": grant.source_id,
        "themes": sorted(term.code for term in grant.themes.all()),
        "regions": sorted(region.pk for region in grant.regions.all()),
    }


def record_grant_change(grant: RoleGrant, actor=None, *, created: bool) -> None:
    """Audit a grant saved through the admin (which saves many-to-many fields after the object itself)."""
    record_event(EventType.ROLE_GRANTED if created else EventType.ROLE_UPDATED, grant, actor, **grant_summary(grant))


@transaction.atomic
def revoke_role(grant: RoleGrant, actor=None) -> None:
    record_event(EventType.ROLE_REVOKED, grant, actor, **grant_summary(grant))
    grant.delete()


@transaction.atomic
def delete_account(user) -> None:
    """Erase an account (R-GDPR-05): profile, memberships, holdings and grants go with it; audit events keep
    `actor=NULL`; apps listening to `account_deleting` anonymise what must survive (contributions)."""
    account_deleting.send(sender=get_user_model(), user=user)
    record_event(EventType.ACCOUNT_DELETED, None, None, user=user.pk)
    user.delete()


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


@transaction.atomic
def export_account(user) -> dict:
    from carrefour.accounts.export import account_data

    record_event(EventType.ACCOUNT_EXPORTED, None, user)
    return account_data(user)
