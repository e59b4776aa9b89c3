"""One geocoding interface, two backends: offline (commune centre from our gazetteer, the default) and an
Addok/BAN-compatible `/search/` endpoint (`CARREFOUR_GEOCODER_URL`), reached through the one outbound HTTP helper."""

import json
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from carrefour.catalog.models import Location
from carrefour.core.http import OutboundError, fetch
from carrefour.territories.lookups import commune_by_code, normalise_postal_code
from carrefour.territories.models import Commune

logger = logging.getLogger(__name__)
MAX_BYTES = 1024 * 1024
# Addok result types finer than the commune, and the precision they give a location. `Location.Precision` has no
# street level: a street or a lieu-dit counts as the address; the exact kind is kept in AddressGeocoding.result_kind.
ACCEPTED_KINDS = {
    "housenumber": Location.Precision.ADDRESS,
    "street": Location.Precision.ADDRESS,
    "locality": Location.Precision.ADDRESS,
}


class GeocoderUnavailable(Exception):
    """No answer this time (timeout, refusal, server error, unreadable answer): try again later. French message."""


@dataclass(frozen=True)
class Result:
    latitude: float
    longitude: float
    precision: str
    kind: str
    label: str = ""
    score: float | None = None


class OfflineGeocoder:
    """The commune's centre: always available, never more precise than the commune."""

    name = "offline"

    def geocode(self, address: str, postal_code: str, commune: Commune) -> Result | None:
        if commune.latitude is None or commune.longitude is None:
            return None
        return Result(commune.latitude, commune.longitude, Location.Precision.COMMUNE, "municipality", commune.name)


class AddokGeocoder:
    name = "addok"

    def __init__(self, url: str, min_score: float, timeout: float):
        self.url, self.min_score, self.timeout = url, min_score, timeout

    def request_url(self, address: str, postal_code: str, commune: Commune) -> str:
        params = {"q": f"{address} {commune.name}".strip(), "limit": 1}
        postal = normalise_postal_code(postal_code)
        if postal:
            params["postcode"] = postal
        else:
            params["citycode"] = commune.code
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}{urlencode(params)}"

    def geocode(self, address: str, postal_code: str, commune: Commune) -> Result | None:
        url = self.request_url(address, postal_code, commune)
        try:
            response = fetch(url, max_bytes=MAX_BYTES, timeout=self.timeout)
        except OutboundError as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        if response.status != 200:
            raise GeocoderUnavailable(_("Le géocodeur a répondu %(status)s.") % {"status": response.status})
        try:
            features = json.loads(response.body.decode("utf-8")).get("features")
            if not isinstance(features, list):
                raise ValueError("no feature list")
            return self._best(features, commune)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            logger.warning("Unreadable answer from the geocoder at %s: %s", self.url, exc)
            raise GeocoderUnavailable(_("Réponse illisible du géocodeur : %(error)s") % {"error": exc}) from exc

    def _best(self, features: list, commune: Commune) -> Result | None:
        if not features:
            return None
        properties = features[0]["properties"]
        longitude, latitude = (float(value) for value in features[0]["geometry"]["coordinates"][:2])
        score, kind = float(properties.get("score", 0)), str(properties.get("type", ""))
        if score < self.min_score or kind not in ACCEPTED_KINDS:
            return None
        found = commune_by_code(str(properties.get("citycode", "")))
        if found is None or found.code != commune.code:
            return None  # an address elsewhere: the commune the contributor chose wins
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError("coordinates out of range")
        return Result(latitude, longitude, ACCEPTED_KINDS[kind], kind, str(properties.get("label", "")), score)


def configured():
    """The backend the settings choose."""
    url = getattr(settings, "GEOCODER_URL", "")
    if url:
        return AddokGeocoder(
            url, getattr(settings, "GEOCODER_MIN_SCORE", 0.5), getattr(settings, "GEOCODER_TIMEOUT", 3)
        )
    return OfflineGeocoder()


def geocode(address: str, postal_code: str, commune: Commune) -> Result | None:
    """Coordinates for an address in a commune, from the configured backend; GeocoderUnavailable: retry later."""
    return configured().geocode(address, postal_code, commune)


def address_geocoder_enabled() -> bool:
    return bool(getattr(settings, "GEOCODER_URL", ""))
