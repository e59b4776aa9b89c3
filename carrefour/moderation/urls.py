from django.urls import path

from carrefour.moderation import views, views_people

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue_page, name="queue"),
    path("moderation/modifications-recentes/", views_people.feed, name="feed"),
    path("moderation/contributions/<int:pk>/", views.revision, name="revision"),
    path("moderation/contributions/<int:pk>/decision/", views.decide_revision, name="decide_revision"),
    path("moderation/revendications/<int:pk>/", views.claim, name="claim"),
    path("moderation/revendications/<int:pk>/decision/", views.decide_claim, name="decide_claim"),
    path("moderation/signalements/<slug:slug>/", views.reports, name="reports"),
    path("moderation/signalements/<slug:slug>/decision/", views.decide_reports, name="decide_reports"),
    path("moderation/personnes/<int:pk>/", views_people.user_edits, name="user_edits"),
    path("moderation/personnes/<int:pk>/annuler/", views_people.revert_user, name="revert_user"),
]
