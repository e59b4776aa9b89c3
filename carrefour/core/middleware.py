"""Request id and access line; the Content-Security-Policy with its exception for framable pages (the widget)."""

import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from carrefour.core.logging import loggable_path, request_context, truncated_ip

access_log = logging.getLogger("carrefour.request")
# An id set by the reverse proxy is kept when it looks like one (so logs join up); anything else is replaced.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives every request an id (`request.request_id`, the `X-Request-ID` response header, every log line of the
    request) and writes one access line per request. First in MIDDLEWARE, so it also times and tags redirects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Once the URL is resolved (process_view), the logged path has its secrets replaced (loggable_path).
        token = request_context.set(
            {"request_id": request.request_id, "method": request.method, "path": request.path, "raw_path": request.path}
        )
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request.request_id
            path = loggable_path(request)
            request_context.set({**request_context.get(), "path": path})
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "client": truncated_ip(client_address(request)),
                },
            )
            return response
        finally:
            request_context.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request_context.set({**request_context.get(), "path": loggable_path(request)})


def client_address(request) -> str:
    from carrefour.api.throttle import client_ip

    return client_ip(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with one rule of ours: a response that may be framed by any site (Django's
    `xframe_options_exempt`, e.g. the widget) gets `frame-ancestors` from WIDGET_FRAME_ANCESTORS instead of 'none'.
    One decorator thus governs both framing headers."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(response, "xframe_options_exempt", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": list(settings.WIDGET_FRAME_ANCESTORS)}
        return parts
