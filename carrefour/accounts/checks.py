"""System check (R-SEC-24): in production, no rate limit or lock-out may be kept in a store that is not shared by every
worker process or whose increments are not atomic (Django's LocMem, file, dummy or database cache)."""

from django.conf import settings
from django.core.checks import Error, register

UNSAFE_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache": "is not shared by the worker processes",
    "django.core.cache.backends.filebased.FileBasedCache": "has no atomic increment",
    "django.core.cache.backends.db.DatabaseCache": "has no atomic increment (it reads, then writes)",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing, so no limit would apply",
}


def rate_limit_caches() -> dict[str, str]:
    """The cache aliases holding rate limits or lock-outs, with the component that uses each."""
    used = {}
    if getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False:
        used["default"] = "django-allauth (ACCOUNT_RATE_LIMITS)"
    if "allauth.mfa" in settings.INSTALLED_APPS and getattr(settings, "MFA_RATE_LIMITS", None) is not False:
        used.setdefault("default", "django-allauth (MFA_RATE_LIMITS)")
    if "django_ratelimit" in settings.INSTALLED_APPS:
        used.setdefault(getattr(settings, "RATELIMIT_USE_CACHE", "default"), "django-ratelimit")
    if "axes" in settings.INSTALLED_APPS and "cache" in getattr(settings, "AXES_HANDLER", "").lower():
        used.setdefault(getattr(settings, "AXES_CACHE", "default"), "django-axes")
    return used


@register("security", deploy=False)
def check_rate_limit_storage(app_configs=None, **kwargs) -> list[Error]:
    if getattr(settings, "CARREFOUR_ENV", "development") != "production":
        return []
    errors = []
    for alias, user in rate_limit_caches().items():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        reason = UNSAFE_CACHE_BACKENDS.get(backend)
        if reason is None and alias not in settings.CACHES:
            reason = "is not configured in CACHES"
        if reason:
            errors.append(
                Error(
                    f"The limits of {user} are kept in the cache {alias!r} ({backend or '?'}), which {reason}.",
                    hint="Disable these limits (carrefour.accounts.throttle counts logins, codes and account pages "
                    "in the database, atomically) or use a shared cache with atomic increments (memcached, Redis).",
                    id="accounts.E001",
                )
            )
    return errors
