from django.urls import path

from carrefour.follows import views_follow, views_lists

app_name = "follows"
urlpatterns = [
    path("suivis/", views_follow.mine, name="mine"),
    path("suivis/initiatives/<slug:slug>/", views_follow.follow_initiative, name="follow_initiative"),
    path("suivis/organisations/<slug:slug>/", views_follow.follow_organisation, name="follow_organisation"),
    path("suivis/territoires/<str:level>/<str:code>/", views_follow.follow_territory, name="follow_territory"),
    path("suivis/notifications/lues/", views_follow.notifications_read, name="notifications_read"),
    path("suivis/resume/", views_follow.digest_settings, name="digest"),
    path("suivis/resume/desinscription/<str:token>/", views_follow.digest_unsubscribe, name="digest_unsubscribe"),
    path("listes/", views_lists.lists, name="lists"),
    path("listes/<int:pk>/", views_lists.list_detail, name="list"),
    path("listes/<int:pk>/supprimer/", views_lists.list_delete, name="list_delete"),
    path("listes/<int:pk>/retirer/", views_lists.list_remove, name="list_remove"),
    path("listes/partagee/<str:token>/", views_lists.shared_list, name="shared_list"),
    path("initiatives/<slug:slug>/ajouter-a-une-liste/", views_lists.add_favourite, name="add_favourite"),
]
