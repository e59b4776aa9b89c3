from django.urls import path

from carrefour.dedup import views

app_name = "dedup"
urlpatterns = [
    path("moderation/doublons/", views.candidate_list, name="list"),
    path("moderation/doublons/<int:pk>/", views.candidate_detail, name="candidate"),
    path("moderation/doublons/<int:pk>/distinctes/", views.mark_distinct, name="distinct"),
]
