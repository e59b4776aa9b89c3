from django.urls import path

from carrefour.contributions import views_edit, views_history, views_proposal, views_sheet

app_name = "contributions"
urlpatterns = [
    path("contribuer/proposer/", views_proposal.propose, name="propose"),
    path("contribuer/proposer/<int:pk>/envoyer/", views_proposal.submit, name="submit"),
    path("contribuer/proposer/<int:pk>/<slug:step>/", views_proposal.propose_step, name="propose_step"),
    path("contribuer/mes-contributions/", views_proposal.mine, name="mine"),
    path("contribuer/organisations/", views_proposal.organisation_suggestions, name="organisations"),
    path("contribuer/modifications/<int:pk>/reprendre/", views_edit.resubmit, name="resubmit"),
    path("contribuer/revisions/<int:pk>/restaurer/", views_history.revert, name="revert"),
    path("initiatives/<slug:slug>/proposer-une-modification/", views_edit.suggest_edit, name="suggest_edit"),
    path("initiatives/<slug:slug>/modifier/", views_edit.edit, name="edit"),
    path("initiatives/<slug:slug>/toujours-a-jour/", views_sheet.confirm, name="confirm"),
    path("initiatives/<slug:slug>/je-porte-ce-projet/", views_sheet.claim, name="claim"),
    path("initiatives/<slug:slug>/signaler/", views_sheet.report, name="report"),
    path("initiatives/<slug:slug>/historique/", views_history.history, name="history"),
    path("organisations/<slug:slug>/historique/", views_history.organisation_history, name="organisation_history"),
]
