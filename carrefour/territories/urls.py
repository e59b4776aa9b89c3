from django.urls import path

from carrefour.territories import views

app_name = "territories"
urlpatterns = [
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("territoires/departements.geojson", views.departement_outlines, name="departement_outlines"),
]
