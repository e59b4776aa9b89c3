from django.urls import path

from carrefour.catalog import views

app_name = "catalog"
urlpatterns = [
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("thematiques/", views.theme_list, name="themes"),
    path("thematiques/<slug:slug>/", views.theme_detail, name="theme"),
]
