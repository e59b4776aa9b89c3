from django.urls import path

from carrefour.territories import views

app_name = "territories"

# French path prefix of each level's pages.
PREFIXES = {"region": "regions", "departement": "departements", "epci": "epci", "commune": "communes"}

urlpatterns = [
    path("regions/", views.region_list, name="regions"),
    path("territoires/departements.geojson", views.departement_outlines, name="departement_outlines"),
    path(
        "territoires/<str:level>/<str:code>/enfants-<str:child_level>.geojson",
        views.children_shapes,
        name="children",
    ),
    path("territoires/<str:level>/<str:code>/contour.geojson", views.outline, name="outline"),
]
for level, prefix in PREFIXES.items():
    urlpatterns += [
        path(f"{prefix}/<str:code>/", views.territory_detail, {"level": level}, name=level),
        path(f"{prefix}/<str:code>/zones-blanches/", views.territory_gaps, {"level": level}, name=f"{level}_gaps"),
    ]
