"""A saved location with an address known only to its commune is marked pending in the saving transaction; one
quick geocoding attempt follows the commit. Nothing here can make the save fail."""

from django.db import transaction
from django.db.models.signals import post_save

from carrefour.catalog.models import Location

DISPATCH_UID = "geocoding:location-saved"


def location_saved(sender, instance: Location, raw: bool = False, **kwargs) -> None:
    from django.conf import settings

    from carrefour.geocoding.actions import attempt_after_commit, mark_pending

    if raw:
        return
    row = mark_pending(instance)
    if row is not None and getattr(settings, "GEOCODER_ATTEMPT_ON_SAVE", True):
        transaction.on_commit(lambda: attempt_after_commit(row.pk))


def connect() -> None:
    post_save.connect(location_saved, sender=Location, dispatch_uid=DISPATCH_UID, weak=False)
