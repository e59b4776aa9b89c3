from django.urls import path

from carrefour.messaging import views

app_name = "messaging"
urlpatterns = [
    path("initiatives/<slug:slug>/contacter/", views.contact, name="contact"),
    path("initiatives/<slug:slug>/contacter/envoye/", views.contact_sent, name="contact_sent"),
]
