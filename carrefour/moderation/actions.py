"""Moderators' decisions: approve, request changes, reject; claims; reports. Each writes a typed audit event and
tells the contributor by e-mail."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Initiative
from carrefour.contributions import snapshot as snapshots
from carrefour.contributions.actions import ContributionError, EditConflict, lock_initiative, sheet_of
from carrefour.contributions.models import Claim, Report, Revision
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.moderation.notify import absolute, notify

Status = Initiative.Status


def _decided(obj, actor, **fields) -> None:
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.decided_by = actor
    obj.decided_at = timezone.now()
    obj.save()


def _check_pending(revision: Revision) -> None:
    if revision.status != Revision.Status.PENDING:
        raise ContributionError(_("Cette contribution a déjà été traitée."))


@transaction.atomic
def approve_revision(revision: Revision, actor, seen_version: int | None = None) -> Revision:
    """Publish a proposal, or apply a suggested edit.

    A suggested edit based on an older version than the sheet's raises EditConflict, unless the moderator has seen
    the conflict (`seen_version` is the current version): then only the fields the contributor changed are applied.
    """
    _check_pending(revision)
    initiative = lock_initiative(sheet_of(revision))
    if revision.kind == Revision.Kind.PROPOSAL:
        _publish_proposal(revision, initiative, actor)
    else:
        stale = revision.base_version != initiative.version
        if stale and seen_version != initiative.version:
            raise EditConflict(initiative, base_data=revision.previous_data)
        current = snapshots.snapshot(initiative)
        wanted = snapshots.changed_fields(revision.previous_data, revision.data)
        merged = {**current, **{key: revision.data.get(key) for key in wanted}}
        snapshots.apply(initiative, merged, actor)
        _decided(
            revision,
            actor,
            status=Revision.Status.APPLIED,
            previous_data=current,
            data=snapshots.snapshot(initiative),
            applied_version=initiative.version,
            applied_at=timezone.now(),
        )
    record_event(EventType.REVISION_APPROVED, revision, actor, initiative=initiative.pk, kind=revision.kind)
    notify(
        revision.author,
        _("Votre contribution a été acceptée"),
        _("Merci ! Votre contribution sur « %(name)s » a été acceptée et publiée : %(url)s")
        % {"name": initiative.name, "url": absolute(initiative.get_absolute_url())},
    )
    return revision


def _publish_proposal(revision: Revision, initiative: Initiative, actor) -> None:
    if initiative.status != Status.SUBMITTED:
        raise ContributionError(_("Cette proposition n'a pas été envoyée à la modération."))
    catalog_actions.change_status(initiative, Status.PUBLISHED, actor)
    _decided(
        revision,
        actor,
        status=Revision.Status.APPLIED,
        data=snapshots.snapshot(initiative),
        applied_version=initiative.version,
        applied_at=timezone.now(),
    )


@transaction.atomic
def request_changes(revision: Revision, actor, message: str) -> Revision:
    """Send the contribution back to its author with a message; the author edits it and sends it again."""
    _check_pending(revision)
    sheet = sheet_of(revision)
    if not message.strip():
        raise ContributionError(_("Expliquez ce qui doit être modifié."))
    if revision.kind == Revision.Kind.PROPOSAL:
        catalog_actions.change_status(lock_initiative(sheet), Status.DRAFT, actor)
    _decided(revision, actor, status=Revision.Status.CHANGES_REQUESTED, message=message)
    record_event(EventType.REVISION_CHANGES_REQUESTED, revision, actor, initiative=revision.initiative_id)
    path = (
        reverse("contributions:propose_step", kwargs={"pk": revision.pk, "step": "verifier"})
        if revision.kind == Revision.Kind.PROPOSAL
        else reverse("contributions:resubmit", kwargs={"pk": revision.pk})
    )
    notify(
        revision.author,
        _("Des modifications sont demandées sur votre contribution"),
        _("La modération demande des modifications sur « %(name)s » :\n\n%(message)s\n\nReprendre : %(url)s")
        % {"name": sheet.name, "message": message, "url": absolute(path)},
    )
    return revision


@transaction.atomic
def reject_revision(revision: Revision, actor, reason: str) -> Revision:
    _check_pending(revision)
    sheet = sheet_of(revision)
    if not reason.strip():
        raise ContributionError(_("Le motif du refus est obligatoire."))
    if revision.kind == Revision.Kind.PROPOSAL:
        catalog_actions.change_status(lock_initiative(sheet), Status.REJECTED, actor)
    _decided(revision, actor, status=Revision.Status.REJECTED, message=reason)
    record_event(EventType.REVISION_REJECTED, revision, actor, initiative=revision.initiative_id)
    notify(
        revision.author,
        _("Votre contribution n'a pas été retenue"),
        _("Votre contribution sur « %(name)s » n'a pas été retenue, pour la raison suivante :\n\n%(reason)s")
        % {"name": sheet.name, "reason": reason},
    )
    return revision


@transaction.atomic
def approve_claim(claim: Claim, actor) -> Claim:
    from carrefour.accounts.actions import add_holder

    if claim.status != Claim.Status.PENDING:
        raise ContributionError(_("Cette demande a déjà été traitée."))
    add_holder(claim.initiative, claim.user, actor=actor)
    _decided(claim, actor, status=Claim.Status.APPROVED)
    record_event(EventType.CLAIM_APPROVED, claim, actor, initiative=claim.initiative_id, user=claim.user_id)
    notify(
        claim.user,
        _("Vous êtes enregistré·e comme porteur·euse du projet"),
        _("Votre demande sur « %(name)s » est acceptée : vous pouvez désormais modifier la fiche directement : %(url)s")
        % {"name": claim.initiative.name, "url": absolute(claim.initiative.get_absolute_url())},
    )
    return claim


@transaction.atomic
def reject_claim(claim: Claim, actor, reason: str) -> Claim:
    if claim.status != Claim.Status.PENDING:
        raise ContributionError(_("Cette demande a déjà été traitée."))
    if not reason.strip():
        raise ContributionError(_("Le motif du refus est obligatoire."))
    _decided(claim, actor, status=Claim.Status.REJECTED, reason=reason)
    record_event(EventType.CLAIM_REJECTED, claim, actor, initiative=claim.initiative_id, user=claim.user_id)
    notify(
        claim.user,
        _("Votre demande « Je porte ce projet » n'a pas été acceptée"),
        _("Votre demande sur « %(name)s » n'a pas été acceptée, pour la raison suivante :\n\n%(reason)s")
        % {"name": claim.initiative.name, "reason": reason},
    )
    return claim


RESOLUTIONS = {"restore": Report.Status.RESTORED, "archive": Report.Status.ARCHIVED}


@transaction.atomic
def resolve_reports(initiative: Initiative, actor, decision: str, message: str = "") -> int:
    """Close the open reports of a sheet: « restore » keeps it (published again if it was hidden), « archive »
    withdraws it. Returns how many reports were closed."""
    if decision not in RESOLUTIONS:
        raise ContributionError(_("Décision inconnue."))
    initiative = lock_initiative(initiative)
    reports = list(initiative.reports.filter(status=Report.Status.OPEN).select_related("user"))
    if not reports:
        raise ContributionError(_("Aucun signalement en attente sur cette fiche."))
    for item in reports:
        _decided(item, actor, status=RESOLUTIONS[decision], decision_message=message)
    if decision == "restore" and initiative.status == Status.HIDDEN:
        catalog_actions.change_status(initiative, Status.PUBLISHED, actor)
    elif decision == "archive" and initiative.status != Status.ARCHIVED:
        catalog_actions.change_status(initiative, Status.ARCHIVED, actor)
    record_event(EventType.REPORTS_RESOLVED, initiative, actor, decision=decision, reports=[r.pk for r in reports])
    outcome = _("La fiche reste en ligne.") if decision == "restore" else _("La fiche a été retirée.")
    for user in {item.user for item in reports if item.user is not None}:
        notify(
            user,
            _("Votre signalement a été examiné"),
            _("Merci pour votre signalement sur « %(name)s ». %(outcome)s\n\n%(message)s")
            % {"name": initiative.name, "outcome": outcome, "message": message},
        )
    return len(reports)
