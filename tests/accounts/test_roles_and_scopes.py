"""can()/roles_of(): roles, ownership and moderator scopes, as written in permissions.yaml."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from carrefour.accounts.models import Role
from carrefour.accounts.permissions import can, permission_required, require, roles_of
from carrefour.catalog.models import Term, Vocabulary
from carrefour.sources.models import Source, SourceRecord
from carrefour.territories.models import Region
from tests.factories import make_curator, make_holder, make_initiative, make_moderator, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return make_initiative(commune_code="29232")  # Quimper, Bretagne


def test_anonymous_may_only_read_history():
    assert can(AnonymousUser(), "history.view")
    assert not can(AnonymousUser(), "initiative.propose")
    assert roles_of(AnonymousUser()) == set()


def test_a_verified_account_contributes_an_unverified_one_does_not(initiative):
    verified, unverified = make_user(), make_user(verified=False)
    assert roles_of(verified) == {Role.CONTRIBUTOR}
    assert can(verified, "initiative.propose") and can(verified, "initiative.report", initiative)
    assert not can(unverified, "initiative.propose")
    assert can(unverified, "account.manage")  # their own account, even before verification
    assert not can(verified, "initiative.edit_directly", initiative)


def test_a_holder_edits_their_initiative_only(initiative):
    holder = make_holder(initiative).user
    other = make_initiative("Épicerie solidaire de Brest", commune_code="29019")
    assert Role.HOLDER in roles_of(holder, initiative)
    assert Role.HOLDER not in roles_of(holder, other)
    assert can(holder, "initiative.edit_directly", initiative)
    assert can(holder, "initiative.confirm_up_to_date", initiative)
    assert not can(holder, "initiative.edit_directly", other)
    assert not can(holder, "initiative.edit_directly")  # no object, no ownership
    assert not can(holder, "moderation.view_queue")


def test_a_curator_edits_the_initiatives_of_their_organisation_or_source(initiative):
    organisation_curator = make_curator(organisation=initiative.stakeholders.get().organisation)
    source = Source.objects.create(name="Réseau des ressourceries", slug="ressourceries")
    source_curator = make_curator(source=source)
    stranger_curator = make_curator(organisation=make_organisation("Autre association"))
    assert can(organisation_curator, "initiative.edit_directly", initiative)
    assert not can(source_curator, "initiative.edit_directly", initiative)
    SourceRecord.objects.create(source=source, external_id="42", initiative=initiative, fetched_at="2026-01-01T00:00Z")
    assert can(source_curator, "initiative.edit_directly", initiative)
    assert can(source_curator, "source.import", source)
    assert not can(organisation_curator, "source.import", source)
    assert not can(stranger_curator, "initiative.edit_directly", initiative)


def test_an_unscoped_moderator_covers_everything(initiative):
    moderator = make_moderator()
    assert can(moderator, "moderation.view_queue")
    assert can(moderator, "moderation.decide", initiative)
    assert can(moderator, "history.revert")
    assert not can(moderator, "roles.grant")


def test_a_moderator_scoped_to_a_region_covers_initiatives_located_there(initiative):
    bretagne, corse = Region.objects.get(code="53"), Region.objects.get(code="94")
    inside, outside = make_moderator(regions=[bretagne]), make_moderator(regions=[corse])
    assert can(inside, "moderation.decide", initiative)
    assert not can(outside, "moderation.decide", initiative)
    assert can(outside, "moderation.view_queue")  # the queue itself is open to every moderator
    assert not can(outside, "history.revert")  # without an object, only unscoped moderators
    assert Role.MODERATOR in roles_of(inside, initiative) and Role.MODERATOR not in roles_of(outside, initiative)


def test_a_moderator_scoped_to_a_theme_covers_its_sub_themes():
    parent = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, children__isnull=False).first()
    child = parent.children.first()
    unrelated = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True).exclude(pk=parent.pk).first()
    initiative = make_initiative("Cantine partagée", commune_code="2A004")
    initiative.themes.set([child])
    assert can(make_moderator(themes=[parent]), "moderation.decide", initiative)
    assert not can(make_moderator(themes=[unrelated]), "moderation.decide", initiative)


def test_superusers_and_granted_administrators_are_administrators(initiative):
    superuser = get_user_model().objects.create_superuser("root", "root@exemple.fr", "x" * 20)
    assert roles_of(superuser) == {Role.ADMINISTRATOR, Role.CONTRIBUTOR}
    assert can(superuser, "roles.grant") and can(superuser, "initiative.edit_directly", initiative)


def test_an_inactive_account_has_no_role(initiative):
    moderator = make_moderator()
    moderator.is_active = False
    assert roles_of(moderator) == set()
    assert not can(moderator, "moderation.decide", initiative)


def test_unknown_actions_are_refused_loudly():
    with pytest.raises(ValueError):
        can(make_user(), "initiative.teleport")
    with pytest.raises(ValueError):
        permission_required("initiative.teleport")


def test_require_raises_permission_denied(initiative):
    with pytest.raises(PermissionDenied):
        require(make_user(), "moderation.decide", initiative)
    require(make_moderator(), "moderation.decide", initiative)


def test_permission_required_redirects_anonymous_and_refuses_others(initiative):
    def get_initiative(request, slug):
        if slug != initiative.slug:
            raise Http404
        return initiative

    @permission_required("initiative.edit_directly", get_object=get_initiative)
    def edit(request, slug):
        return HttpResponse(request.permission_object.name)

    factory = RequestFactory()
    request = factory.post(f"/initiatives/{initiative.slug}/modifier/")
    request.user = AnonymousUser()
    response = edit(request, slug=initiative.slug)
    assert response.status_code == 302 and "/compte/login/?next=" in response["Location"]
    request.user = make_user()
    with pytest.raises(PermissionDenied):
        edit(request, slug=initiative.slug)
    request.user = make_holder(initiative).user
    assert edit(request, slug=initiative.slug).content.decode() == initiative.name
    with pytest.raises(Http404):
        edit(request, slug="inconnue")
