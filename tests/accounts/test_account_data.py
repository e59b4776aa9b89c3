"""« Mon espace »: profile, memberships, data export and account deletion (R-GDPR-05)."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from carrefour.accounts import space
from carrefour.accounts.actions import add_holder, grant_role
from carrefour.accounts.models import InitiativeHolder, Membership, Profile, Role
from carrefour.accounts.signals import account_deleting
from carrefour.catalog.models import Initiative
from carrefour.core.models import AuditEvent, EventType
from tests.factories import PASSWORD, make_initiative, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = make_user("sacha@exemple.fr")
    client.force_login(user)
    return user


def test_the_space_needs_login(client):
    response = client.get(reverse("accounts:space"))
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_the_space_lists_profile_holdings_and_registered_sections(client, user, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "templates"]}]
    initiative = make_initiative("Ressourcerie du Pays de Morlaix")
    add_holder(initiative, user)
    space.register(space.SpaceSection(key="essai", template="accounts/tests/section.html", order=5))
    try:
        html = client.get(reverse("accounts:space")).content.decode()
    finally:
        space.SECTIONS[:] = [s for s in space.SECTIONS if s.key != "essai"]
    assert "Ressourcerie du Pays de Morlaix" in html
    assert "sacha@exemple.fr" in html
    assert "Section de test" in html


def test_profile_is_saved_and_audited(client, user):
    response = client.post(
        reverse("accounts:profile"), {"profile-display_name": "  Sacha   Le Goff ", "profile-profile_type": "citizen"}
    )
    assert response["Location"] == reverse("accounts:space")
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.get_profile_type_display()) == ("Sacha Le Goff", "Citoyen·ne")
    assert AuditEvent.objects.filter(event_type=EventType.PROFILE_UPDATED, actor=user).exists()


def test_invalid_profile_keeps_what_was_typed(client, user):
    response = client.post(
        reverse("accounts:profile"), {"profile-display_name": "x" * 120, "profile-profile_type": "?"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html and "x" * 120 in html
    assert "100 caractères" in html


def test_memberships_are_added_by_name_and_removed_by_their_owner_only(client, user):
    organisation = make_organisation("Les Jardins du Lien")
    response = client.post(
        reverse("accounts:membership_add"),
        {"membership-organisation": "les jardins du lien", "membership-role_label": "Trésorière"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, organisation=organisation)
    unknown = client.post(reverse("accounts:membership_add"), {"membership-organisation": "Inconnue au bataillon"})
    assert "Aucune organisation de ce nom" in unknown.content.decode()
    others = make_membership()
    assert client.post(reverse("accounts:membership_remove", args=[others.pk])).status_code == 404
    client.post(reverse("accounts:membership_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.objects.filter(pk=others.pk).exists()


def test_export_holds_profile_emails_memberships_roles_holdings_and_own_events(client, user):
    initiative = make_initiative("Tiers-lieu de Douarnenez")
    add_holder(initiative, user)
    make_membership(user, make_organisation("Coopérative Oxalis"))
    grant_role(user, Role.MODERATOR)
    someone_else = make_user()
    make_membership(someone_else)
    assert client.get(reverse("accounts:export")).status_code == 405
    response = client.post(reverse("accounts:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="carrefour-mes-donnees-')
    data = json.loads(response.content)
    assert [e["email"] for e in data["emails"]] == ["sacha@exemple.fr"]
    assert [m["organisation"] for m in data["memberships"]] == ["Coopérative Oxalis"]
    assert [h["initiative"] for h in data["holdings"]] == ["Tiers-lieu de Douarnenez"]
    assert data["roles"] == ["contributor", "holder", "moderator"]
    assert data["role_grants"][0]["role"] == "moderator"
    assert {e["event_type"] for e in data["audit_events"]} >= {"membership_added", "account_exported"}
    assert someone_else.email not in response.content.decode()


def test_deletion_needs_the_password(client, user):
    response = client.post(reverse("accounts:delete"), {"password": "pas le bon"})
    assert "Mot de passe incorrect" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deletion_erases_the_account_keeps_initiatives_and_anonymises_events(client, user):
    initiative = make_initiative("Garage solidaire de Lorient")
    add_holder(initiative, user, actor=user)
    make_membership(user)
    seen = []
    account_deleting.connect(lambda sender, user, **kw: seen.append(user.email), weak=False, dispatch_uid="essai")
    try:
        response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    finally:
        account_deleting.disconnect(dispatch_uid="essai")
    assert response["Location"] == reverse("core:home")
    assert seen == ["sacha@exemple.fr"]
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="sacha@exemple.fr").exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert not InitiativeHolder.objects.filter(user_id=user.pk).exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    holder_event = AuditEvent.objects.get(event_type=EventType.HOLDER_ADDED, object_id=str(initiative.pk))
    assert holder_event.actor is None
    assert AuditEvent.objects.filter(event_type=EventType.ACCOUNT_DELETED).exists()
    assert "_auth_user_id" not in client.session
