from django.urls import path

from carrefour.stats import views

app_name = "stats"
urlpatterns = [
    path("statistiques/", views.statistics_page, name="statistics"),
    path("statistiques/<slug:slug>.csv", views.table_csv, name="table_csv"),
]
