from django.urls import path

from carrefour.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
