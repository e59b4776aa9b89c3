from django.urls import path

from carrefour.contacts import views_directory, views_replication

app_name = "contacts"
urlpatterns = [
    path("initiatives/<slug:slug>/essaimer/", views_replication.replicate, name="replicate"),
    path("essaimage/", views_replication.mine, name="mine"),
    path("essaimage/<int:pk>/", views_replication.request_detail, name="request"),
    path("essaimage/<int:pk>/etape/", views_replication.transition, name="transition"),
    path("essaimage/<int:pk>/message/", views_replication.post_message, name="message"),
    path("essaimage/<int:pk>/rattacher/", views_replication.link, name="link"),
    path("acteurs/", views_directory.organisations, name="directory"),
    path("acteurs/personnes/", views_directory.people, name="people"),
    path("acteurs/ma-presence/", views_directory.my_listing, name="my_listing"),
    path("acteurs/ma-presence/retirer/", views_directory.withdraw_listing, name="withdraw_listing"),
]
