"""The moderation queue: kinds, filters, scope, decisions with reasons, audit events and e-mails."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carrefour.catalog.models import Initiative, Term, Vocabulary
from carrefour.contributions import actions as contribution_actions
from carrefour.contributions.models import Revision
from carrefour.core.models import AuditEvent
from carrefour.moderation import queue
from carrefour.territories.models import Region
from tests.factories import (
    login_with_second_factor,
    make_claim,
    make_initiative,
    make_moderator,
    make_proposal,
    make_suggested_edit,
    make_user,
    term,
)

pytestmark = pytest.mark.django_db


def submitted_proposal(name="Épicerie solidaire des Capucins"):
    revision = make_proposal(name=name)
    contribution_actions.submit_proposal(revision, revision.author)
    return revision


def test_the_queue_lists_every_kind_and_filters_by_kind(moderator_client):
    proposal = submitted_proposal()
    edit = make_suggested_edit(make_initiative("Jardin partagé de Brest", "29019"))
    claim = make_claim(make_initiative("Ressourcerie de Morlaix", "29151"))
    html = moderator_client.get(reverse("moderation:queue")).content.decode()
    for url in (
        reverse("moderation:revision", kwargs={"pk": proposal.pk}),
        reverse("moderation:revision", kwargs={"pk": edit.pk}),
        reverse("moderation:claim", kwargs={"pk": claim.pk}),
    ):
        assert url in html
    only_claims = moderator_client.get(reverse("moderation:queue") + "?kind=claim").content.decode()
    assert "Ressourcerie de Morlaix" in only_claims and "Jardin partagé de Brest" not in only_claims


def test_filters_by_theme_region_and_age():
    brest = make_suggested_edit(make_initiative("Jardin partagé de Brest", "29019"))
    lyon = make_suggested_edit(make_initiative("Café associatif de Lyon", "69123"))
    Revision.objects.filter(pk=lyon.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    brittany = Region.objects.get(code="53")
    in_brittany = queue.collect(queue.QueueFilters(region=brittany.code))
    assert [item.pk for item in in_brittany if item.kind == "suggested_edit"] == [brest.pk]
    old = queue.collect(queue.QueueFilters(older_than_days=30))
    assert [item.pk for item in old] == [lyon.pk]
    other_theme = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True).exclude(
        pk=term(Vocabulary.THEME).pk
    )
    other_code = other_theme.exclude(children=term(Vocabulary.THEME)).first().code
    assert queue.collect(queue.QueueFilters(theme=other_code)) == []
    theme_code = term(Vocabulary.THEME).code
    assert {item.pk for item in queue.collect(queue.QueueFilters(theme=theme_code))} == {brest.pk, lyon.pk}


def test_sort_by_quality_puts_the_weakest_sheet_first():
    rich = make_suggested_edit(make_initiative("Fiche complète", description="Texte " * 300, website="https://a.fr"))
    poor = make_suggested_edit(make_initiative("Fiche maigre", description=""))
    items = queue.collect(queue.QueueFilters(sort="quality"))
    assert [item.pk for item in items] == [poor.pk, rich.pk]
    assert items[0].quality < items[1].quality


def test_a_scoped_moderator_only_sees_and_decides_items_in_scope():
    brittany, auvergne = Region.objects.get(code="53"), Region.objects.get(code="84")
    scoped = make_moderator("bretagne@exemple.fr", regions=[brittany])
    in_scope = make_suggested_edit(make_initiative("Jardin partagé de Brest", "29019"))
    out_of_scope = make_suggested_edit(make_initiative("Café associatif de Lyon", "69123"))
    assert auvergne.code == "84"
    client = Client()
    login_with_second_factor(client, scoped)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "Jardin partagé de Brest" in html and "Café associatif de Lyon" not in html
    refused = client.post(
        reverse("moderation:decide_revision", kwargs={"pk": out_of_scope.pk}), {"decision": "approve"}
    )
    assert refused.status_code == 403
    out_of_scope.refresh_from_db()
    assert out_of_scope.status == Revision.Status.PENDING
    accepted = client.post(reverse("moderation:decide_revision", kwargs={"pk": in_scope.pk}), {"decision": "approve"})
    assert accepted.status_code == 302


def test_contributors_and_anonymous_people_cannot_reach_the_queue(alice):
    assert alice.get(reverse("moderation:queue")).status_code == 403
    anonymous = Client().get(reverse("moderation:queue"))
    assert anonymous.status_code == 302 and "next=" in anonymous.url


def test_reject_needs_a_reason_then_notifies_with_it(moderator_client):
    proposal = submitted_proposal()
    url = reverse("moderation:decide_revision", kwargs={"pk": proposal.pk})
    refused = moderator_client.post(url, {"decision": "reject", "message": "  "})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Le motif du refus est obligatoire." in html and 'class="error-summary"' in html
    proposal.refresh_from_db()
    assert proposal.status == Revision.Status.PENDING
    moderator_client.post(url, {"decision": "reject", "message": "Cette initiative est hors du champ du site."})
    proposal.refresh_from_db()
    assert proposal.status == Revision.Status.REJECTED
    assert proposal.initiative.status == Initiative.Status.REJECTED
    assert "hors du champ" in mail.outbox[-1].body and mail.outbox[-1].to == [proposal.author.email]


def test_every_decision_leaves_exactly_one_typed_audit_event(moderator_client, moderator):
    approved, changes, rejected = (submitted_proposal(f"Initiative {n}") for n in ("A", "B", "C"))
    decide = lambda revision, **data: moderator_client.post(  # noqa: E731
        reverse("moderation:decide_revision", kwargs={"pk": revision.pk}), data
    )
    decide(approved, decision="approve")
    decide(changes, decision="request_changes", message="Ajoutez une description.")
    decide(rejected, decision="reject", message="Doublon.")
    expected = {approved: "revision_approved", changes: "revision_changes_requested", rejected: "revision_rejected"}
    for revision, event_type in expected.items():
        events = AuditEvent.objects.filter(
            object_type="contributions.revision", object_id=str(revision.pk), event_type=event_type
        )
        assert events.count() == 1 and events.get().actor == moderator


def test_a_decision_on_an_already_decided_item_is_refused(moderator_client):
    proposal = submitted_proposal()
    url = reverse("moderation:decide_revision", kwargs={"pk": proposal.pk})
    moderator_client.post(url, {"decision": "approve"})
    again = moderator_client.post(url, {"decision": "reject", "message": "Trop tard."})
    assert again.status_code == 400
    assert "déjà été traitée" in again.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Revision.Status.APPLIED


def test_another_app_can_register_a_kind_of_item(moderator_client):
    initiative = make_initiative()

    class Conflicts:
        kind, label = "sync_conflict", "Conflits de synchronisation"

        def items(self, filters):
            yield queue.QueueItem(
                kind=self.kind,
                kind_label=self.label,
                pk=1,
                title="Conflit sur le site web",
                url="/moderation/conflits/1/",
                created_at=timezone.now(),
                initiative=initiative,
            )

    queue.register(Conflicts())
    try:
        html = moderator_client.get(reverse("moderation:queue")).content.decode()
        assert "Conflit sur le site web" in html and "Conflits de synchronisation" in html
    finally:
        queue._providers.pop("sync_conflict")
    assert make_user()  # the registry is left as it was
