from django.urls import path

from carrefour.api import views, views_docs, views_read, views_reference, views_write
from carrefour.privacy import feed as privacy_feed

app_name = "api"

# (kind in the URL, list name, detail name)
TERRITORIES = (
    ("regions", "regions", "region"),
    ("departements", "departements", "departement"),
    ("epci", "epcis", "epci"),
    ("communes", "communes", "commune"),
)

urlpatterns = [
    path("search", views.search_view, name="search"),
    path("search/points", views.search_points, name="search_points"),
    path("suggest", views.suggest_view, name="suggest"),
    path("initiatives", views_write.initiatives, name="initiatives"),
    path("initiatives/<str:key>", views_write.initiative, name="initiative"),
    path("organisations", views_read.organisation_list, name="organisations"),
    path("organisations/<str:key>", views_read.organisation_detail, name="organisation"),
    path("sources", views_read.source_list, name="sources"),
    path("sources/<str:slug>", views_read.source_detail, name="source"),
    path("taxonomy", views_reference.taxonomy, name="taxonomy"),
    path("openapi.json", views_docs.openapi_json, name="openapi"),
    path("tombstones", privacy_feed.tombstones, name="tombstones"),
]
for kind, list_name, detail_name in TERRITORIES:
    urlpatterns += [
        path(f"territories/{kind}", views_reference.territory_list, {"kind": kind}, name=list_name),
        path(f"territories/{kind}/<str:code>", views_reference.territory_detail, {"kind": kind}, name=detail_name),
    ]
