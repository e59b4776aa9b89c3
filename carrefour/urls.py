from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from carrefour.api import views_docs as api_docs
from carrefour.core.sitemaps import SITEMAPS

admin.site.site_header = "Carrefour des innovations sociales — administration"
admin.site.site_title = "Carrefour — administration"
admin.site.index_title = "Back-office"
# The admin has no login form of its own: staff sign in through allauth (rate limits, TOTP).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("carrefour.core.urls")),
    path("", include("carrefour.catalog.urls")),
    path("", include("carrefour.territories.urls")),
    path("", include("carrefour.search.urls")),
    path("api/v1/", include("carrefour.api.urls")),
    path("api/docs", api_docs.docs, name="api_docs"),
    path("", include("carrefour.sources.urls")),
    path("", include("carrefour.contributions.urls")),
    path("", include("carrefour.moderation.urls")),
    path("", include("carrefour.opendata.urls")),
    path("", include("carrefour.widget.urls")),
    path("", include("carrefour.dedup.urls")),
    path("", include("carrefour.stats.urls")),
    path("", include("carrefour.messaging.urls")),
    path("alertes/", include("carrefour.alerts.urls")),
    path("", include("carrefour.contacts.urls")),
    path("", include("carrefour.follows.urls")),
    path("", include("carrefour.privacy.urls")),
    path("compte/", include("allauth.urls")),
    path("mon-espace/", include("carrefour.accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# French error pages in the site's layout, never a traceback (R-SEC-19); 400 and 500 render with no request context.
handler400 = "carrefour.core.errors.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "carrefour.core.views.page_not_found"
handler500 = "carrefour.core.errors.server_error"
