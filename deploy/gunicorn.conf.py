"""gunicorn settings for production: `.venv/bin/gunicorn -c deploy/gunicorn.conf.py carrefour.wsgi:application`.

Every value can be set through the environment (README, section « Mise en production »):

    CARREFOUR_BIND               where to listen                      127.0.0.1:8000 (a reverse proxy in front)
    CARREFOUR_WORKERS            worker processes                     2
    CARREFOUR_THREADS            threads per worker                   1
    CARREFOUR_TIMEOUT            seconds before a stuck worker is killed and replaced          60
    CARREFOUR_GRACEFUL_TIMEOUT   seconds a worker gets to finish its requests on restart        30
    CARREFOUR_MAX_REQUESTS       requests before a worker is recycled (0: never), with jitter  1000

The application writes one JSON access line per request itself (carrefour.core.logging, with the request id, the
duration and a truncated address), so gunicorn's own access log is off; its error log goes to stderr.
"""

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from exc


wsgi_app = "carrefour.wsgi:application"
bind = [address.strip() for address in os.environ.get("CARREFOUR_BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = _int("CARREFOUR_WORKERS", 2)
threads = _int("CARREFOUR_THREADS", 1)
timeout = _int("CARREFOUR_TIMEOUT", 60)
graceful_timeout = _int("CARREFOUR_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then (slow leaks), not all at once: each gets a random extra of up to 10 %.
max_requests = _int("CARREFOUR_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 1) if max_requests else 0
# Off: each worker opens the search index (memory-mapped tantivy files) and its database connections itself, after
# the fork; a preloaded application would share them between processes.
preload_app = False
accesslog = None
errorlog = "-"
loglevel = os.environ.get("CARREFOUR_GUNICORN_LOG_LEVEL", "info")
# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers only from the loopback. From these
# addresses gunicorn itself takes X-Forwarded-Proto: https as the request's scheme, so Django sees HTTPS requests
# (CARREFOUR_BEHIND_PROXY=1 is then only needed when the proxy's address is not listed here).
forwarded_allow_ips = os.environ.get("CARREFOUR_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Request line and headers: bounded (gunicorn defaults, stated here so that they are reviewed).
limit_request_line = 4094
limit_request_fields = 100
# No control socket (gunicorn ≥ 25): the service manager sends the signals.
control_socket_disable = True
