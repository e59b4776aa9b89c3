from django.conf import settings
from django.core.cache import cache


def site(request):
    return {"SITE_URL": settings.SITE_URL, "demo_mode": demo_mode()}


def demo_mode() -> bool:
    """Whether demo data is on the site (cached a minute: every page shows a banner then)."""
    value = cache.get("carrefour:demo_mode")
    if value is None:
        from carrefour.catalog.models import Initiative

        value = Initiative.objects.filter(is_demo=True).exists()
        cache.set("carrefour:demo_mode", value, 60)
    return value
