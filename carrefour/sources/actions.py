"""Named actions on sources: uploads and saved configurations (back office), and moderators' decisions on sync
conflicts. Each writes its typed audit event, directly or through the functions it calls."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from carrefour.catalog.actions import save_initiative
from carrefour.catalog.models import Initiative, Location, Term
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.sources.automap import build_config
from carrefour.sources.config import register_source
from carrefour.sources.models import ConflictStatus, Source, SyncConflict
from carrefour.sources.records import INITIATIVE_FIELDS
from carrefour.sources.updates import current_locations, current_terms
from carrefour.sources.writer import TERM_RELATIONS, location_fields

UPLOAD_DIR = "imports"


def store_upload(upload) -> Path:
    """Keep an uploaded partner file in the private data folder (never served), under a random folder."""
    folder = Path(settings.DATA_DIR) / UPLOAD_DIR / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / get_valid_filename(Path(upload.name).name)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def uploaded_path(token: str) -> Path | None:
    """The stored upload named by a token (`<folder>/<file>`), or None if the token points anywhere else."""
    root = (Path(settings.DATA_DIR) / UPLOAD_DIR).resolve()
    path = (root / token).resolve()
    return path if path.is_file() and root in path.parents else None


def save_source_from_upload(name: str, proposal: dict, mapping: dict, token: str, actor=None) -> Source:
    config = build_config(name, proposal, mapping)
    config["upload"] = token
    return register_source(config, "", actor)


class ConflictDecisionError(Exception):
    """The decision cannot be applied; the message, in French, says why."""


@transaction.atomic
def keep_local_value(conflict: SyncConflict, actor) -> SyncConflict:
    """« Garder la valeur locale »: the sheet stays as edited here; the partner's value is not applied."""
    conflict = _open_conflict(conflict)
    _decide(conflict, ConflictStatus.KEPT_LOCAL, actor)
    record_event(
        EventType.SYNC_CONFLICT_KEPT_LOCAL, conflict, actor, field=conflict.field, initiative=conflict.initiative.pk,
        kept=conflict.local_value, refused=conflict.incoming_value,
    )  # fmt: skip
    return conflict


@transaction.atomic
def take_incoming_value(conflict: SyncConflict, actor) -> SyncConflict:
    """« Prendre la valeur de la source »: the partner's value replaces the local one on the sheet."""
    conflict = _open_conflict(conflict)
    initiative = Initiative.objects.select_for_update().get(pk=conflict.initiative.pk)
    replaced = apply_incoming(initiative, conflict.field, conflict.incoming_value)
    initiative.version += 1
    save_initiative(initiative, actor, changed_fields=[conflict.field])
    _decide(conflict, ConflictStatus.TOOK_INCOMING, actor)
    record_event(
        EventType.SYNC_CONFLICT_TOOK_INCOMING, conflict, actor, field=conflict.field, initiative=initiative.pk,
        replaced=replaced, applied=conflict.incoming_value,
    )  # fmt: skip
    return conflict


def apply_incoming(initiative: Initiative, name: str, value):
    """Set one tracked field of `initiative` (not saved for plain fields) to a value as imported; returns the old."""
    if name in INITIATIVE_FIELDS:
        old = getattr(initiative, name)
        setattr(initiative, name, value if name == "start_year" else (value or ""))
        return old if isinstance(old, str | int | type(None)) else str(old)
    if name == "terms":
        old = current_terms({initiative.pk: initiative})[initiative.pk]
        wanted = set(value or [])
        for vocabulary, relation in TERM_RELATIONS.items():
            codes = [term.split(":", 1)[1] for term in wanted if term.startswith(f"{vocabulary}:")]
            getattr(initiative, relation).set(Term.objects.filter(vocabulary=vocabulary, code__in=codes))
        return old
    if name == "locations":
        old = current_locations({initiative.pk: initiative})[initiative.pk]
        initiative.locations.all().delete()
        for position, place in enumerate(value or []):
            Location.objects.create(initiative=initiative, position=position, **location_fields(place))
        return old
    raise ConflictDecisionError(_("Champ « %(field)s » inconnu : ce conflit ne peut pas être appliqué.") % {
        "field": name})  # fmt: skip


def _open_conflict(conflict: SyncConflict) -> SyncConflict:
    locked = SyncConflict.objects.select_for_update().select_related("record__initiative").get(pk=conflict.pk)
    if locked.status != ConflictStatus.OPEN:
        raise ConflictDecisionError(
            _("Ce conflit a déjà été tranché (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def _decide(conflict: SyncConflict, status: str, actor) -> None:
    conflict.status, conflict.decided_at = status, timezone.now()
    conflict.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    conflict.save(update_fields=["status", "decided_at", "decided_by"])
