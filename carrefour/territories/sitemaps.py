"""Sitemap sections of the territory pages: every région and département; the EPCI and communes where at least one
published initiative is located (the others' pages say little yet)."""

from django.contrib.sitemaps import Sitemap

from carrefour.catalog.models import Initiative, Location
from carrefour.territories.levels import LEVELS


class TerritorySitemap(Sitemap):
    changefreq = "weekly"
    limit = 10000
    level = "region"

    def items(self):
        return list(LEVELS[self.level].model.objects.order_by("pk").values_list("pk", flat=True))

    def location(self, item):
        return LEVELS[self.level].url(item)


class RegionSitemap(TerritorySitemap):
    level = "region"


class DepartementSitemap(TerritorySitemap):
    level = "departement"


class LocatedSitemap(TerritorySitemap):
    def items(self):
        field = "commune_id" if self.level == "commune" else f"commune__{self.level}_id"
        located = Location.objects.filter(initiative__status=Initiative.Status.PUBLISHED).exclude(**{field: None})
        return sorted(set(located.values_list(field, flat=True)))


class EPCISitemap(LocatedSitemap):
    level = "epci"


class CommuneSitemap(LocatedSitemap):
    level = "commune"


TERRITORY_SITEMAPS = {
    "regions": RegionSitemap,
    "departements": DepartementSitemap,
    "epci": EPCISitemap,
    "communes": CommuneSitemap,
}
