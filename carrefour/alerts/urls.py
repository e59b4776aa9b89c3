from django.urls import path

from carrefour.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("creer/", views.create, name="create"),
    path("verifiez-vos-e-mails/", views.check_inbox, name="check_inbox"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
