from django.urls import path

from carrefour.catalog import views
from carrefour.catalog.models import Vocabulary

app_name = "catalog"
urlpatterns = [
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("thematiques/", views.theme_list, name="themes"),
    path("thematiques/<slug:slug>/", views.term_detail, {"vocabulary": Vocabulary.THEME}, name="theme"),
    path("publics/<slug:slug>/", views.term_detail, {"vocabulary": Vocabulary.PUBLIC}, name="public"),
    path("types/<slug:slug>/", views.term_detail, {"vocabulary": Vocabulary.PLACE_TYPE}, name="place_type"),
]
