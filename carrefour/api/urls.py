from django.urls import path

from carrefour.api import views

app_name = "api"
urlpatterns = [
    path("search", views.search_view, name="search"),
    path("search/points", views.search_points, name="search_points"),
    path("suggest", views.suggest_view, name="suggest"),
]
