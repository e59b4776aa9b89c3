from django.urls import path

from carrefour.opendata import views
from carrefour.opendata.exports import FORMATS
from carrefour.opendata.licences import default_distribution

app_name = "opendata"
urlpatterns = [
    path("donnees-ouvertes/", views.page, name="page"),
    path("donnees-ouvertes/<str:name>", views.download, name="download"),
    path("catalog", views.catalog, name="catalog"),
    # R-DATA-01's address for the data·inclusion structures (the Licence Ouverte file).
    path(
        "export/data-inclusion/structures.json",
        views.download,
        {"name": FORMATS["datainclusion"].filename(default_distribution())},
        name="datainclusion_structures",
    ),
]
