"""Consent to appear in the actors directory (R-GDPR-02): given explicitly, recorded with its date and wording
version, withdrawn in one click."""

from django.db import transaction
from django.utils import timezone

from carrefour.contacts.models import DIRECTORY_CONSENT_VERSION, DirectoryListing
from carrefour.core.audit import record_event
from carrefour.core.models import EventType


def listing_of(user) -> DirectoryListing:
    """The person's listing, unsaved (and invisible) when they never chose."""
    return DirectoryListing.objects.filter(user=user).first() or DirectoryListing(user=user)


@transaction.atomic
def save_listing(listing: DirectoryListing, actor) -> DirectoryListing:
    """Save what the person chose; saying yes records the consent (date, wording version)."""
    was_visible = bool(listing.pk) and DirectoryListing.objects.filter(pk=listing.pk, visible=True).exists()
    if listing.visible and not was_visible:
        listing.consented_at = timezone.now()
        listing.consent_version = DIRECTORY_CONSENT_VERSION
    if not listing.visible:
        listing.consented_at = None
    listing.save()
    record_event(
        EventType.DIRECTORY_LISTING_UPDATED,
        listing,
        actor,
        visible=listing.visible,
        consent_version=listing.consent_version if listing.visible else "",
    )
    return listing


@transaction.atomic
def withdraw(user, actor) -> bool:
    """One click: out of the directory at once. True when the person was listed."""
    listing = DirectoryListing.objects.filter(user=user, visible=True).first()
    if listing is None:
        return False
    listing.visible = False
    listing.consented_at = None
    listing.save(update_fields=["visible", "consented_at", "updated_at"])
    record_event(EventType.DIRECTORY_LISTING_UPDATED, listing, actor, visible=False, consent_version="")
    return True
