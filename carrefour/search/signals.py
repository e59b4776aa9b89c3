"""Outbox writers: a change to anything a published initiative shows enqueues it, in the changing transaction.

After the transaction commits, a best-effort `apply_outbox()` makes the change searchable at once; the
`index_worker` command covers whatever this misses (a held lock, a crash, another process).
"""

import logging
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from carrefour.catalog.models import Initiative, InitiativeImage, Location, Organisation, Stakeholder, Term
from carrefour.search.models import IndexOutbox
from carrefour.sources.models import SourceRecord

logger = logging.getLogger(__name__)

CHILD_MODELS = (Location, Stakeholder, SourceRecord, InitiativeImage)
TERM_M2M = ("themes", "publics", "innovation_forms", "place_types")
TERM_INDEXED_FIELDS = ("code", "label", "parent_id", "is_active")


def enqueue(initiative_ids: Iterable[int]) -> None:
    """Write one outbox row per initiative, then ask for a best-effort apply once the transaction commits."""
    rows = [IndexOutbox(initiative_id=pk) for pk in sorted({pk for pk in initiative_ids if pk})]
    if not rows:
        return
    IndexOutbox.objects.bulk_create(rows)
    if getattr(settings, "SEARCH_APPLY_ON_COMMIT", True) and not _apply_is_scheduled():
        transaction.on_commit(apply_after_commit)


def _apply_is_scheduled() -> bool:
    # Entries are (savepoint ids, function, robust) since Django 4.2; django-stubs still declares pairs.
    return any(entry[1] is apply_after_commit for entry in connection.run_on_commit)


def apply_after_commit() -> None:
    """Best effort: never let an index problem break the request whose data is already committed."""
    from carrefour.search.indexer import apply_outbox

    try:
        apply_outbox(blocking=False)
    except Exception:
        logger.exception("Applying the search outbox after commit failed; the index worker will retry.")


def initiative_changed(sender, instance, **kwargs) -> None:
    enqueue([instance.pk])


def child_changed(sender, instance, **kwargs) -> None:
    enqueue([instance.initiative_id])


def organisation_saved(sender, instance, created, **kwargs) -> None:
    if not created:
        enqueue(Stakeholder.objects.filter(organisation_id=instance.pk).values_list("initiative_id", flat=True))


def term_pre_save(sender, instance, **kwargs) -> None:
    old = Term.objects.filter(pk=instance.pk).values(*TERM_INDEXED_FIELDS).first() if instance.pk else None
    instance._search_old_values = old


def term_saved(sender, instance, created, **kwargs) -> None:
    from carrefour.search.autocomplete import clear_cache
    from carrefour.search.facets import clear_label_cache

    clear_label_cache()
    clear_cache()
    old = getattr(instance, "_search_old_values", None)
    if created or old is None:
        return
    if any(old[name] != getattr(instance, name) for name in TERM_INDEXED_FIELDS):
        enqueue(initiatives_using_term(instance))


def term_pre_delete(sender, instance, **kwargs) -> None:
    enqueue(initiatives_using_term(instance))


def initiatives_using_term(term: Term) -> set[int]:
    ids: set[int] = set()
    for name in TERM_M2M:
        through = getattr(Initiative, name).through
        ids.update(through.objects.filter(term_id=term.pk).values_list("initiative_id", flat=True))
    ids.update(Initiative.objects.filter(stage=term).values_list("pk", flat=True))
    ids.update(Initiative.objects.filter(scale=term).values_list("pk", flat=True))
    carried = Stakeholder.objects.filter(organisation__structure_type=term)
    ids.update(carried.values_list("initiative_id", flat=True))
    return ids


def terms_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """m2m_changed on initiative ↔ term links, from either side."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            enqueue([instance.pk])
        return
    if action in ("post_add", "post_remove"):
        enqueue(pk_set or ())
    elif action == "pre_clear":
        enqueue(sender.objects.filter(term_id=instance.pk).values_list("initiative_id", flat=True))


def _receivers():
    yield post_save, Initiative, initiative_changed
    yield post_delete, Initiative, initiative_changed
    for model in CHILD_MODELS:
        yield post_save, model, child_changed
        yield post_delete, model, child_changed
    yield post_save, Organisation, organisation_saved
    yield pre_save, Term, term_pre_save
    yield post_save, Term, term_saved
    yield pre_delete, Term, term_pre_delete
    for name in TERM_M2M:
        yield m2m_changed, getattr(Initiative, name).through, terms_changed


def _uid(signal, model, receiver) -> str:
    return f"search-outbox:{id(signal)}:{model._meta.label}:{receiver.__name__}"


def connect() -> None:
    for signal, model, receiver in _receivers():
        signal.connect(receiver, sender=model, dispatch_uid=_uid(signal, model, receiver), weak=False)


def disconnect() -> None:
    for signal, model, receiver in _receivers():
        signal.disconnect(sender=model, dispatch_uid=_uid(signal, model, receiver))


@contextmanager
def outbox_paused():
    """For bulk rewrites followed by a full `reindex()` (the demo): no rows, and Django may fast-delete again.

    It changes process-wide state: use it only in a command that runs alone, never in a web process.
    """
    disconnect()
    try:
        yield
    finally:
        connect()
