"""The health endpoint (`GET /sante/`) for probes and uptime monitors: cheap, never cached, no secrets.

    {"status": "ok" | "degraded" | "error", "checks": {"database": {...}, "search_index": {...}, ...}}

"error" (HTTP 503) when the database does not answer: the site cannot serve a page. "degraded" (HTTP 200) when the
site serves pages but something needs an operator: the search index cannot be read, its outbox or the mail outbox
is late (is the cron running?), the data folder is nearly full. Each check says "ok", "degraded" or "error" with a
few numbers, never a path, an address or an error message.
"""

import logging
import shutil
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, DEGRADED, ERROR = "ok", "degraded", "error"
# An outbox row older than this means its worker (`carrefour index_worker`, `carrefour send_outbox`) is not running.
OUTBOX_LATE_AFTER = timedelta(minutes=15)
# The data folder holds the database (SQLite), the index, the media and the exports.
DISK_MIN_FREE_BYTES = 1024**3
DISK_MIN_FREE_RATIO = 0.05


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def search_index() -> dict:
    from carrefour.search import store
    from carrefour.search.models import IndexOutbox

    result: dict = {"status": OK}
    try:
        result["documents"] = store.searcher().num_docs
    except Exception:  # any failure to open the index means searches fail: report it, log it, never raise
        logger.exception("Health check: the search index cannot be read")
        result = {"status": DEGRADED, "readable": False}
    result |= _backlog(IndexOutbox.objects.all(), "created_at")
    return result


def mail_outbox() -> dict:
    from carrefour.messaging.models import MailStatus, OutgoingMail

    return {"status": OK} | _backlog(OutgoingMail.objects.filter(status=MailStatus.QUEUED), "next_attempt_at")


def _backlog(queryset, due_field: str) -> dict:
    """The number of waiting rows and how many are late; late rows degrade the check."""
    late_filter = Q(**{f"{due_field}__lt": timezone.now() - OUTBOX_LATE_AFTER})
    backlog = queryset.aggregate(backlog=Count("pk"), late=Count("pk", filter=late_filter))
    return backlog | ({"status": DEGRADED} if backlog["late"] else {})


def disk_space() -> dict:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_ratio = usage.free / usage.total if usage.total else 0.0
    low = usage.free < DISK_MIN_FREE_BYTES or free_ratio < DISK_MIN_FREE_RATIO
    return {
        "status": DEGRADED if low else OK,
        "free_mb": usage.free // 1024**2,
        "free_percent": round(100 * free_ratio),
    }


CHECKS = {"search_index": search_index, "mail_outbox": mail_outbox, "disk_space": disk_space}


def run_checks() -> dict:
    try:
        checks = {"database": database()}
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        # Without the database the other checks cannot run (the outboxes are tables): only the disk is reported.
        return {"status": ERROR, "checks": {"database": {"status": ERROR}, "disk_space": disk_space()}}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception:  # a broken check must not hide the others nor turn the probe into a 500
            logger.exception("Health check %s failed", name)
            checks[name] = {"status": ERROR}
    statuses = {check["status"] for check in checks.values()}
    return {"status": OK if statuses == {OK} else DEGRADED, "checks": checks}


@never_cache
@require_safe
def health(request):
    report = run_checks()
    return JsonResponse(report, status=503 if report["status"] == ERROR else 200)
