from django.urls import path

from carrefour.search import views

app_name = "search"
urlpatterns = [
    path("recherche/", views.search_page, name="search"),
]
