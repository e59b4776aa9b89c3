from django.urls import path

from carrefour.widget import views

app_name = "widget"
urlpatterns = [
    path("widget/", views.widget, name="widget"),
    path("widget/configurer/", views.configure, name="configure"),
    path("widget/integrer.js", views.embed_script, name="embed"),
]
