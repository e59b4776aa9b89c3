from django.urls import path

from carrefour.privacy import views

app_name = "privacy"
urlpatterns = [
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("donnees-personnelles/exercer-mes-droits/", views.rights_request, name="request"),
    path("donnees-personnelles/demande-envoyee/", views.request_sent, name="request_sent"),
    path("donnees-personnelles/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("mentions-legales/", views.legal, name="legal"),
    path("accessibilite", views.accessibility, name="accessibility"),
    path("moderation/donnees-personnelles/<int:pk>/", views.handle, name="handle"),
]
