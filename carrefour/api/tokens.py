"""Token strings: generation, hashing and lookup. The store keeps only SHA-256 hashes of 256-bit random tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from carrefour.api.models import ApiToken

TOKEN_PREFIX = "cis_"
SHOWN_PREFIX_LENGTH = 12
TOUCH_INTERVAL = timedelta(minutes=1)  # last_used_at is written at most this often per token


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(request) -> str | None:
    """The token of an `Authorization: Bearer …` header; "" when the header is there but malformed; None without."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip() or len(value) > 200:
        return ""
    return value.strip()


def authenticate(token: str) -> ApiToken | None:
    """The active token with this value, or None (unknown or revoked)."""
    if not token or not token.isascii():
        return None
    found = (
        ApiToken.objects.select_related("source", "organisation", "created_by")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if found is not None:
        now = timezone.now()
        if found.last_used_at is None or found.last_used_at < now - TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
    return found
