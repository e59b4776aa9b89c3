"""What the map script needs to know: where tiles come from (a setting) or the offline outline layer."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def map_config() -> dict:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "outlinesUrl": reverse("territories:departement_outlines"),
        "iconPath": static("vendor/leaflet/dist/images/"),
    }
