from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from carrefour.catalog.models import Initiative, Organisation
from carrefour.territories.sitemaps import TERRITORY_SITEMAPS


class InitiativeSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10000

    def items(self):
        return Initiative.published.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return Organisation.objects.filter(stakes__initiative__status="published").distinct().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["core:home", "catalog:themes", "territories:regions", "stats:statistics"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "initiatives": InitiativeSitemap, "organisations": OrganisationSitemap}
SITEMAPS.update(TERRITORY_SITEMAPS)  # territories
