"""Structured logs: one JSON object per line on stdout in production, readable lines in development.

Each line carries the UTC time, level, logger and message, and, while a request is being answered, the request's
id, method and path (set by `carrefour.core.middleware.RequestIdMiddleware`). The access line adds the status, the
duration and the client's address truncated to its network (/24 for IPv4, /48 for IPv6). No personal data: no
query string, no body, no cookie; the secret part of a path (signed link, e-mail confirmation, password reset key)
is replaced by its name.
"""

import ipaddress
import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The request being answered by this thread or task: {"request_id", "method", "path", "raw_path"}.
request_context: ContextVar[dict | None] = ContextVar("carrefour_request_context", default=None)

# Fields a log call may pass through `extra=` that the JSON line keeps.
EXTRA_FIELDS = ("status", "duration_ms", "client")
# URL keyword arguments that hold secrets (signed links, e-mail confirmation and password reset keys): their value is
# replaced by the argument's name in logged paths. The API's <key> is a public identifier, kept.
SECRET_KWARGS = frozenset({"token", "key", "uidb36", "uidb64", "signature"})
PUBLIC_KEY_NAMESPACES = frozenset({"api"})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = record_context(record)
        raw_path = context.pop("raw_path", None)
        if raw_path and raw_path != context.get("path"):
            # Django's own messages ("Internal Server Error: /path") name the raw path: hide its secrets there too.
            entry["message"] = entry["message"].replace(raw_path, context["path"])
        entry.update(context)
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if "status" not in entry and isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code  # Django's "Not Found: /path" lines
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def record_context(record: logging.LogRecord) -> dict:
    """The request a record belongs to: the one being answered, or the one Django attaches to its own records
    (it logs 4xx and 5xx responses after the middleware has returned)."""
    context = dict(request_context.get() or {})
    request = getattr(record, "request", None)
    if not context and getattr(request, "request_id", None):
        context = {
            "request_id": request.request_id,
            "method": request.method,
            "path": loggable_path(request),
            "raw_path": request.path,
        }
    return context


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the readable development format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = record_context(record).get("request_id", "-")
        return True


def truncated_ip(address: str) -> str:
    """The network of an address, never the address itself: 192.0.2.17 → 192.0.2.0/24."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def loggable_path(request) -> str:
    """The path without its query string, secrets replaced: /compte/confirm-email/<key>/."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path
    for name, value in match.kwargs.items():
        if name in SECRET_KWARGS and value and not (name == "key" and PUBLIC_KEY_NAMESPACES & set(match.namespaces)):
            path = path.replace(str(value), f"<{name}>")
    return path


def logging_config(log_format: str, level: str, log_file: str | None = None) -> dict:
    """The LOGGING setting: `json` (production: stdout only, collected by the service manager) or `text`."""
    handlers: dict = {"console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]}}
    if log_format == "json":
        handlers["console"]["stream"] = "ext://sys.stdout"
    if log_file:
        handlers["file"] = {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": log_file,
            "maxBytes": 5_000_000,
            "backupCount": 3,
            "formatter": log_format,
            "filters": ["request_id"],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "carrefour.core.logging.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "carrefour.core.logging.JsonFormatter"},
        },
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
        # The access line (one per request) is INFO: on in production, shown in development with level INFO.
        "loggers": {"carrefour.request": {"level": "INFO" if log_format == "json" else level}},
    }
