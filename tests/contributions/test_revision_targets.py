"""A revision changes either a sheet or an organisation: the sheet actions refuse an organisation's revision with a
French message instead of failing on a missing sheet."""

import pytest

from carrefour.contributions import actions, organisation_revisions
from carrefour.contributions.models import Revision
from carrefour.moderation import actions as moderation
from tests.factories import make_organisation, make_proposal, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_revision():
    organisation = make_organisation("Les Jardins du Lien", siren="")
    previous = organisation_revisions.snapshot(organisation)
    changed = {**previous, "description": "Association d'éducation populaire du Finistère."}
    revision = organisation_revisions.edit(organisation, changed, make_user("autrice@exemple.fr"))
    assert revision is not None and revision.initiative is None
    return revision


def test_the_sheet_of_a_proposal_is_its_draft():
    revision = make_proposal()
    assert actions.sheet_of(revision) == revision.initiative


def test_an_organisation_revision_has_no_sheet(organisation_revision):
    with pytest.raises(actions.ContributionError, match="organisation"):
        actions.sheet_of(organisation_revision)


def test_moderating_an_organisation_revision_is_refused_in_french(organisation_revision):
    # Organisations' revisions are applied at once; one left pending (by hand, in the database) is still refused.
    Revision.objects.filter(pk=organisation_revision.pk).update(status=Revision.Status.PENDING)
    organisation_revision.refresh_from_db()
    moderator = make_user("moderatrice@exemple.fr")
    for decide in (
        lambda: moderation.approve_revision(organisation_revision, moderator),
        lambda: moderation.request_changes(organisation_revision, moderator, "Précisez la commune."),
        lambda: moderation.reject_revision(organisation_revision, moderator, "Hors sujet."),
    ):
        with pytest.raises(actions.ContributionError, match="porte sur une organisation"):
            decide()
    organisation_revision.refresh_from_db()
    assert organisation_revision.status == Revision.Status.PENDING
