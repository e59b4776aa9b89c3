"""Database side of the demo: delete the previous demo rows, bulk-create a plan in batches."""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice

from django.db import connection
from django.db.models import Model, Q

from carrefour.catalog.models import Initiative, InitiativeLink, Location, Organisation, Stakeholder
from carrefour.demo.plan import DemoPlan, InitiativeDraft
from carrefour.sources.models import Source, SourceRecord

BATCH_SIZE = 2000
TERM_FIELDS = {
    "themes": lambda draft: draft.terms.themes,
    "publics": lambda draft: draft.terms.publics,
    "innovation_forms": lambda draft: draft.terms.forms,
    "place_types": lambda draft: [draft.kind.term] if draft.kind.term else [],
}


def delete_demo_data() -> None:
    """Delete every demo row (is_demo=True) and what hangs on it; non-demo rows stay as they are."""
    demo_initiative = Q(initiative__is_demo=True)
    for attribute in TERM_FIELDS:
        getattr(Initiative, attribute).through.objects.filter(demo_initiative).delete()
    Location.objects.filter(demo_initiative).delete()
    InitiativeLink.objects.filter(demo_initiative).delete()
    Stakeholder.objects.filter(demo_initiative | Q(organisation__is_demo=True)).delete()
    SourceRecord.objects.filter(demo_initiative | Q(source__is_demo=True)).delete()
    Initiative.objects.filter(is_demo=True).delete()
    Organisation.objects.filter(is_demo=True).delete()
    Source.objects.filter(is_demo=True).delete()


def write_plan(plan: DemoPlan, report: Callable[[str, int], None]) -> dict[str, int]:
    """Insert the plan; `report(table, count)` is called after each table. Returns the row counts."""
    Source.objects.bulk_create(plan.sources)
    counts = {"sources": len(plan.sources)}
    counts["organisations"] = _insert(Organisation, [draft.organisation for draft in plan.organisations])
    _restore_timestamps(Organisation, ((d.organisation.pk, d.created_at, d.updated_at) for d in plan.organisations))
    report("organisations", counts["organisations"])
    counts["initiatives"] = _insert(Initiative, [draft.initiative for draft in plan.initiatives])
    _restore_timestamps(Initiative, ((d.initiative.pk, d.created_at, d.updated_at) for d in plan.initiatives))
    counts["replications"] = _link_replications(plan.initiatives)
    report("initiatives", counts["initiatives"])
    counts["terms"] = _insert_term_links(plan.initiatives)
    report("terms", counts["terms"])
    for key, model, rows in (
        ("locations", Location, _children(plan.initiatives, lambda draft: draft.locations)),
        ("links", InitiativeLink, _children(plan.initiatives, lambda draft: draft.links)),
        ("stakeholders", Stakeholder, _stakeholders(plan.initiatives)),
        (
            "source_records",
            SourceRecord,
            _children(plan.initiatives, lambda draft: [draft.record] if draft.record else []),
        ),
    ):
        counts[key] = _insert(model, rows)
        report(key, counts[key])
    return counts


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Successive lists of `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(model: type[Model], objects: list[Model]) -> int:
    for batch in batched(objects, BATCH_SIZE):
        model.objects.bulk_create(batch)
    return len(objects)


def _restore_timestamps(model: type[Model], rows: Iterable[tuple[int, datetime, datetime]]) -> None:
    """`bulk_create` stamps auto_now(_add) fields with the wall clock: put the deterministic dates back."""
    meta, quote = model._meta, connection.ops.quote_name
    # Quoted model identifiers only: the values go as parameters.
    sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(  # nosec B608
        quote(meta.db_table),
        quote(meta.get_field("created_at").column),
        quote(meta.get_field("updated_at").column),
        quote(meta.pk.column),
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH_SIZE):
            cursor.executemany(sql, [(adapt(created), adapt(updated), pk) for pk, created, updated in batch])


def _link_replications(drafts: list[InitiativeDraft]) -> int:
    replicas = [draft.initiative for draft in drafts if draft.model is not None]
    for draft in drafts:
        if draft.model is not None:
            draft.initiative.replicated_from_id = draft.model.initiative.pk
    Initiative.objects.bulk_update(replicas, ["replicated_from"], batch_size=BATCH_SIZE)
    return len(replicas)


def _insert_term_links(drafts: list[InitiativeDraft]) -> int:
    total = 0
    for attribute, terms_of in TERM_FIELDS.items():
        through = getattr(Initiative, attribute).through
        rows = [through(initiative_id=d.initiative.pk, term_id=term.pk) for d in drafts for term in terms_of(d)]
        total += _insert(through, rows)
    return total


def _children(drafts: list[InitiativeDraft], children_of) -> list[Model]:
    rows = []
    for draft in drafts:
        for child in children_of(draft):
            child.initiative_id = draft.initiative.pk
            rows.append(child)
    return rows


def _stakeholders(drafts: list[InitiativeDraft]) -> list[Stakeholder]:
    return [
        Stakeholder(initiative_id=draft.initiative.pk, organisation_id=org.organisation.pk, role=role)
        for draft in drafts
        for org, role in draft.stakes
    ]
