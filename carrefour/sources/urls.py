from django.urls import path

from carrefour.sources import views

app_name = "sources"

urlpatterns = [
    path("sources/<slug:slug>/", views.source_records, name="records"),
    path("back-office/sources/", views.source_list, name="list"),
    path("back-office/sources/import/", views.import_upload, name="import_upload"),
    path("back-office/sources/import/correspondances/", views.import_mapping, name="import_mapping"),
    path("back-office/sources/<slug:slug>/imports/", views.run_list, name="run_list"),
    path("back-office/sources/<slug:slug>/imports/lancer/", views.run_now, name="run_now"),
    path("back-office/sources/<slug:slug>/imports/<int:run_id>/", views.run_detail, name="run_detail"),
    path("back-office/sources/<slug:slug>/configuration.yaml", views.config_yaml, name="config_yaml"),
    path("moderation/conflits/<int:pk>/", views.conflict, name="conflict"),
    path("moderation/conflits/<int:pk>/decision/", views.decide_conflict, name="decide_conflict"),
]
