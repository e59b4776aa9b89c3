"""Two people editing the same sheet (R-REL-01): what each one changed, and the form that loses neither change.

The edit form carries a signed copy of the version it was opened on (`base_token`): on a stale save, the fields the
person did not touch take the current values, the fields they changed keep what they typed.
"""

from dataclasses import dataclass

from django.core import signing

from carrefour.contributions.models import Revision
from carrefour.contributions.snapshot import PRIVATE_FIELDS, changed_fields

BASE_SALT = "carrefour.contributions.edit-base"


def base_token(initiative, version: int, data: dict, images: list[dict]) -> str:
    """The hidden field of an edit form: the version it starts from, its content, and the image rows it shows."""
    # Signed, not encrypted: private fields stay out (the reader takes them from the current sheet).
    public = {key: value for key, value in data.items() if key not in PRIVATE_FIELDS}
    payload = {"initiative": initiative.pk, "version": version, "data": public, "images": images}
    return signing.dumps(payload, salt=BASE_SALT, compress=True)


def read_base_token(token: str, initiative) -> dict | None:
    """The payload of `base_token`, or None when it is missing, altered or about another sheet."""
    try:
        payload = signing.loads(token or "", salt=BASE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("initiative") != initiative.pk:
        return None
    return payload


def snapshot_at(initiative, version: int) -> dict | None:
    """The sheet as it was at `version`, from its history; None when no revision records that state."""
    applied = Revision.objects.filter(initiative=initiative, status=Revision.Status.APPLIED)
    produced = applied.filter(applied_version=version).order_by("-applied_at", "-id").first()
    if produced is not None:
        return produced.data
    started = applied.filter(base_version=version).exclude(previous_data={}).order_by("applied_at", "id").first()
    return started.previous_data if started is not None else None


@dataclass(frozen=True)
class Merge:
    data: dict  # what the conflict form shows: current values, with the person's own changes on top
    mine: list[str]  # fields the person changed
    theirs: list[str]  # fields changed by others since the person's version
    both: list[str]  # fields changed on both sides, to different values


def merge(base: dict | None, current: dict, typed: dict) -> Merge:
    """Without a known base, every field that differs from the current sheet counts as the person's change."""
    if base is None:
        mine = changed_fields(current, typed)
        theirs: list[str] = []
    else:
        mine = changed_fields(base, typed)
        theirs = changed_fields(base, current)
    differing = set(changed_fields(current, typed))
    both = [key for key in mine if key in theirs and key in differing]
    data = {**current, **{key: typed[key] for key in mine if key in typed}}
    return Merge(data=data, mine=mine, theirs=theirs, both=both)
