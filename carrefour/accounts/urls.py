from django.urls import path

from carrefour.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.space_page, name="space"),
    path("profil/", views.profile_page, name="profile"),
    path("organisations/ajouter/", views.membership_add, name="membership_add"),
    path("organisations/<int:pk>/retirer/", views.membership_remove, name="membership_remove"),
    path("mes-donnees/", views.export_data, name="export"),
    path("supprimer-mon-compte/", views.delete_account, name="delete"),
]
