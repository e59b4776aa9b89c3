"""One import run: lock the source, read, map, validate, then write everything in one transaction.

`run_import(source, path)` returns an `ImportReport`. A fatal error rolls everything back; the `ImportRun` row is
written outside the run's transaction, so a failed run is still recorded. A dry run rolls back at the end.
"""

import datetime as dt
import gc
import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.search.signals import enqueue
from carrefour.sources import connectors
from carrefour.sources.config import ConfigError, data_path
from carrefour.sources.locations import Gazetteer
from carrefour.sources.mapping import Mapper
from carrefour.sources.models import ImportLock, ImportRun, RunStatus, Source, SyncConflict
from carrefour.sources.records import group
from carrefour.sources.writer import Writer, archive_absent

logger = logging.getLogger(__name__)
MAX_ABSENT_SHARE = 0.20
STALE_LOCK_AFTER = 6 * 3600
STORED_ISSUES = 2000


class SyncAborted(Exception):
    """The run stopped before writing anything; the message, in French, says why."""


@dataclass
class ImportReport:
    source: str
    status: str = RunStatus.RUNNING
    dry_run: bool = False
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    file_warnings: list = field(default_factory=list)
    unmapped_tags: dict = field(default_factory=dict)
    message: str = ""
    run_id: int | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "run": self.run_id,
            "status": str(self.status),
            "dry_run": self.dry_run,
            "counts": self.counts,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "unmapped_tags": len(self.unmapped_tags),
            "message": self.message,
            "seconds": round(self.seconds, 3),
        }


def run_import(source: Source, path=None, *, dry_run=False, actor=None, allow_mass_absence=False) -> ImportReport:
    started = time.monotonic()
    run = ImportRun.objects.create(source=source, started_at=timezone.now(), dry_run=dry_run, file_name=str(path or ""))
    report = ImportReport(source=source.slug, dry_run=dry_run, run_id=run.pk)
    token = acquire_lock(source, run)
    if token is None:
        report.status, report.message = (
            RunStatus.REFUSED,
            _("Un import de cette source est déjà en cours : réessayez plus tard."),
        )
        return _finish(run, report, started, actor)
    try:
        with gc_paused():
            _run(source, path, run, report, dry_run, allow_mass_absence)
        report.status = RunStatus.SUCCEEDED
    except (SyncAborted, ConfigError, connectors.ConnectorError) as exc:
        report.status, report.message = RunStatus.FAILED, str(exc)
    except Exception as exc:  # a bug or a broken input we did not foresee: the run fails, the command does not crash
        logger.exception("Import of %s failed", source.slug)
        report.status = RunStatus.FAILED
        report.message = _("Erreur inattendue, rien n'a été enregistré : %(error)s") % {"error": repr(exc)}
    finally:
        release_lock(source, token)
    return _finish(run, report, started, actor)


def _run(source, path, run, report, dry_run, allow_mass_absence) -> None:
    config = source.config
    kind = config["connector"]["type"]
    reading = connectors.read(kind, data_path(config, path), (config["connector"].get("options") or {}))
    mapper = Mapper(config, Gazetteer())
    candidates, rows = [], 0
    for row in reading.rows:
        rows += 1
        candidate = mapper.map(row)
        _collect(report, candidate.issues)
        if not candidate.rejected:
            candidates.append(candidate)
    _collect(report, reading.issues)
    report.file_warnings = list(reading.warnings)
    report.unmapped_tags = dict(mapper.unmapped.most_common())
    rejected_lines = {issue["line"] for issue in report.errors}
    records = group(candidates)
    report.counts = {"rows": rows, "records": len(records), "rejected": len(rejected_lines),
                     "located": sum(1 for record in records.values() if record.locations)}  # fmt: skip
    if rejected_lines and config.get("row_policy", "lenient") == "strict":
        raise SyncAborted(_("%(count)d lignes invalides : import refusé (politique stricte), rien n'a été enregistré.")
                          % {"count": len(rejected_lines)})  # fmt: skip
    with transaction.atomic():
        writer = Writer(source, run)
        plan = writer.plan(records)
        _check_absences(plan, allow_mass_absence)
        outcome = writer.apply(plan)
        SyncConflict.objects.bulk_create(outcome.conflicts)
        for conflict in outcome.conflicts:
            record_event(EventType.SYNC_CONFLICT_CREATED, conflict.record, None, field=conflict.field, run=run.pk)
        archived = archive_absent(source, writer.now)
        enqueue(outcome.touched | set(archived))
        report.counts.update(created=outcome.created, updated=outcome.updated, unchanged=len(plan.unchanged),
                             absent=len(plan.absent), returned=outcome.returned, archived=len(archived),
                             conflicts=len(outcome.conflicts))  # fmt: skip
        if dry_run:
            transaction.set_rollback(True)


@contextmanager
def gc_paused():
    """No cyclic garbage collection during a run: it builds hundreds of thousands of acyclic objects, and each
    full collection would walk them all (10–15 % of a large import). Reference counting still frees memory."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _collect(report: ImportReport, issues) -> None:
    for issue in issues:
        (report.errors if issue.severity == "error" else report.warnings).append(issue.as_dict())


def _check_absences(plan, allow: bool) -> None:
    if allow or not plan.present_before:
        return
    share = len(plan.absent) / plan.present_before
    if share > MAX_ABSENT_SHARE:
        raise SyncAborted(
            _(
                "%(absent)d des %(total)d enregistrements de la source (%(share)d %%) manquent dans ce fichier : "
                "au-delà de %(limit)d %%, l'import s'arrête sans rien modifier. Vérifiez le fichier, ou relancez "
                "avec --allow-mass-absence si ces disparitions sont réelles."
            )
            % {
                "absent": len(plan.absent),
                "total": plan.present_before,
                "share": round(share * 100),
                "limit": round(MAX_ABSENT_SHARE * 100),
            }  # fmt: skip
        )


def _finish(run: ImportRun, report: ImportReport, started: float, actor) -> ImportReport:
    report.seconds = time.monotonic() - started
    run.finished_at = timezone.now()
    run.status = report.status
    run.counts = report.counts
    run.errors = report.errors[:STORED_ISSUES]
    run.warnings = (report.file_warnings + report.warnings)[:STORED_ISSUES]
    run.unmapped_tags = report.unmapped_tags
    run.message = report.message
    run.save()
    event = EventType.IMPORT_RUN_FINISHED if report.status == RunStatus.SUCCEEDED else EventType.IMPORT_RUN_FAILED
    record_event(event, run, actor, source=report.source, status=str(report.status), dry_run=report.dry_run,
                 counts=report.counts, message=report.message)  # fmt: skip
    return report


def acquire_lock(source: Source, run: ImportRun) -> str | None:
    """A lock row per source, taken by a conditional UPDATE: one winner across threads and processes."""
    ImportLock.objects.get_or_create(source=source)
    token = f"{socket.gethostname()}:{os.getpid()}:{run.pk}:{uuid.uuid4().hex[:8]}"[:100]
    now = timezone.now()
    taken = ImportLock.objects.filter(source=source, holder="").update(holder=token, acquired_at=now)
    if not taken:
        stale = now - dt.timedelta(seconds=STALE_LOCK_AFTER)
        taken = ImportLock.objects.filter(source=source, acquired_at__lt=stale).update(holder=token, acquired_at=now)
    if not taken:
        taken = _take_over_from_dead_holder(source, token, now)
    return token if taken else None


def _take_over_from_dead_holder(source: Source, token: str, now) -> bool:
    """A run killed on this host (its process is gone) leaves its lock behind: take it over at once, and mark that
    run failed, instead of waiting for the lock to go stale. Holders on other hosts are left to the stale delay."""
    holder = ImportLock.objects.filter(source=source).values_list("holder", flat=True).first() or ""
    host, pid, run_pk = (holder.split(":") + ["", ""])[:3]  # host:pid:run:nonce (see acquire_lock)
    if host != socket.gethostname() or not pid.isdigit() or _process_alive(int(pid)):
        return False
    if not ImportLock.objects.filter(source=source, holder=holder).update(holder=token, acquired_at=now):
        return False
    if run_pk.isdigit():
        ImportRun.objects.filter(pk=int(run_pk), status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            finished_at=now,
            message=_("Import interrompu (processus arrêté) ; verrou repris par l'import suivant."),
        )
    logger.warning("import lock of %s taken over from a dead process (%s)", source.slug, holder)
    return True


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_lock(source: Source, token: str | None) -> None:
    if token:
        ImportLock.objects.filter(source=source, holder=token).update(holder="", acquired_at=None)
