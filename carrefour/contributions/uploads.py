"""Abandoned uploads: images stored for an edit that was never sent, or whose file nothing names any more.

An image chosen in an edit form is stored at once, before the edit is sent (forms_images, `actions.store_image`, which
records an « image ajoutée » event naming the file). When the person gives up, the file stays behind. Run by
`carrefour purge_personal_data` (registered by the privacy app), `purge_abandoned_uploads` deletes the uploads older
than `UPLOAD_RETENTION` that nothing names: no image row, no revision of any status (pending, applied, refused: a
revert may bring a removed image back) and no merge record.

When in doubt a file stays: only files recorded as edit uploads are candidates (imported, seeded or demo images under
the same folder are not), and both the upload event and the file itself must be older than the retention period.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.core.files.storage import default_storage

from carrefour.catalog.models import InitiativeImage
from carrefour.contributions.models import Revision
from carrefour.contributions.snapshot import IMAGE_FOLDER
from carrefour.core.models import AuditEvent, EventType

UPLOAD_RETENTION = timedelta(days=7)


def names_in(value) -> Iterator[str]:
    """Every string under the images folder anywhere in a JSON value (a snapshot, a merge's field choices)."""
    if isinstance(value, str):
        if value.startswith(IMAGE_FOLDER):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from names_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from names_in(item)


def referenced_files() -> set[str]:
    from carrefour.dedup.models import Merge

    names = set(InitiativeImage.objects.values_list("image", flat=True))
    for data, previous in Revision.objects.values_list("data", "previous_data").iterator(chunk_size=500):
        names.update(names_in(data))
        names.update(names_in(previous))
    for choices in Merge.objects.values_list("field_choices", flat=True).iterator(chunk_size=500):
        names.update(names_in(choices))
    return names


def uploads_before(cutoff: datetime) -> list[str]:
    """Files stored by `actions.store_image` before `cutoff`, still in the storage, oldest first."""
    events = AuditEvent.objects.filter(event_type=EventType.IMAGE_UPLOADED, object_type="", created_at__lt=cutoff)
    names = {}
    for data in events.order_by("created_at", "pk").values_list("data", flat=True).iterator(chunk_size=500):
        name = data.get("file") if isinstance(data, dict) else None
        if isinstance(name, str) and name.startswith(IMAGE_FOLDER) and ".." not in name:
            names[name] = None
    return [name for name in names if _stored_before(name, cutoff)]


def _stored_before(name: str, cutoff: datetime) -> bool:
    try:
        return default_storage.exists(name) and default_storage.get_modified_time(name) < cutoff
    except (OSError, NotImplementedError):
        return False  # unknown age: kept


def abandoned_uploads(now: datetime) -> list[str]:
    """Uploads older than the retention period that nothing names."""
    old = uploads_before(now - UPLOAD_RETENTION)
    if not old:
        return []
    referenced = referenced_files()  # read after the listing: a file named meanwhile is seen as named
    return [name for name in old if name not in referenced]


def purge_abandoned_uploads(now: datetime) -> dict[str, int]:
    deleted = 0
    for name in abandoned_uploads(now):
        try:
            default_storage.delete(name)
        except OSError:
            continue
        deleted += 1
    return {"abandoned_uploads_deleted": deleted}
