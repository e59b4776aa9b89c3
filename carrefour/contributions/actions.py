"""Named actions of contributors: proposals, suggested and direct edits, reverts, claims, reports.

Each runs in one transaction and writes a typed audit event. Moderators' decisions live in moderation/actions.py.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carrefour.catalog import actions as catalog_actions
from carrefour.catalog.models import Initiative, InitiativeImage
from carrefour.contributions import organisation_revisions
from carrefour.contributions import snapshot as snapshots
from carrefour.contributions.models import Claim, Report, Revision
from carrefour.core.audit import record_event
from carrefour.core.models import AuditEvent, EventType

Status = Initiative.Status
REPORTS_TO_HIDE_DEFAULT = 3


class ContributionError(Exception):
    """A refused contribution, with a French message for the person."""


class EditConflict(Exception):
    """The sheet changed since the edit started: nothing was written."""

    def __init__(self, initiative: Initiative, base_data: dict | None = None):
        super().__init__(f"initiative {initiative.pk} is at version {initiative.version}")
        self.initiative = initiative
        self.current_version = initiative.version
        self.current_data = snapshots.snapshot(initiative)
        self.base_data = base_data


def lock_initiative(initiative: Initiative) -> Initiative:
    """Re-read the sheet inside the transaction, locked, so two saves cannot both pass the version check."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def sheet_of(revision: Revision) -> Initiative:
    """The sheet a revision changes. Proposals and sheet edits always have one; an organisation's revision has none."""
    if revision.initiative is None:
        raise ContributionError(_("Cette contribution porte sur une organisation, pas sur une fiche d'initiative."))
    return revision.initiative


# Proposals ------------------------------------------------------------------------------------------------------


@transaction.atomic
def start_proposal(author, data: dict) -> Revision:
    """A new draft sheet and its pending proposal, owned by `author`."""
    initiative = catalog_actions.save_initiative(
        Initiative(name=data["name"], summary=data.get("summary", ""), status=Status.DRAFT), author, ["name"]
    )
    snapshots.apply(initiative, data, author, bump_version=False)
    revision = Revision.objects.create(
        initiative=initiative,
        kind=Revision.Kind.PROPOSAL,
        author=author,
        base_version=initiative.version,
        data=snapshots.snapshot(initiative),
    )
    record_event(EventType.PROPOSAL_DRAFT_SAVED, revision, author, initiative=initiative.pk)
    return revision


@transaction.atomic
def save_proposal_step(revision: Revision, data: dict, actor) -> Revision:
    """Save a step of a draft: the draft sheet and the proposal follow what was typed."""
    _check_editable_proposal(revision)
    initiative = lock_initiative(sheet_of(revision))
    changed = snapshots.apply(initiative, data, actor, bump_version=False)
    revision.data = snapshots.snapshot(initiative)
    revision.save(update_fields=["data", "updated_at"])
    record_event(EventType.PROPOSAL_DRAFT_SAVED, revision, actor, initiative=initiative.pk, fields=changed)
    return revision


def _check_editable_proposal(revision: Revision) -> None:
    if revision.kind != Revision.Kind.PROPOSAL or not revision.is_open:
        raise ContributionError(_("Cette proposition n'est plus modifiable."))
    if sheet_of(revision).status != Status.DRAFT:
        raise ContributionError(_("Cette proposition a déjà été envoyée à la modération."))


@transaction.atomic
def submit_proposal(revision: Revision, actor) -> Revision:
    _check_editable_proposal(revision)
    initiative = lock_initiative(sheet_of(revision))
    catalog_actions.change_status(initiative, Status.SUBMITTED, actor)
    revision.status = Revision.Status.PENDING
    revision.submitted_at = timezone.now()
    revision.data = snapshots.snapshot(initiative)
    revision.save(update_fields=["status", "submitted_at", "data", "updated_at"])
    record_event(EventType.PROPOSAL_SUBMITTED, revision, actor, initiative=initiative.pk)
    return revision


@transaction.atomic
def add_image(initiative: Initiative, image_file, alt_text: str, credit: str, actor) -> InitiativeImage:
    """Attach an already checked and re-encoded image (see images.clean_image)."""
    from carrefour.contributions.images import MAX_IMAGES_PER_INITIATIVE, MAX_IMAGES_PER_USER

    if initiative.images.count() >= MAX_IMAGES_PER_INITIATIVE:
        raise ContributionError(_("Une fiche compte 6 images au plus."))
    uploaded_by_actor = InitiativeImage.objects.filter(
        initiative__revisions__author=actor, initiative__revisions__kind=Revision.Kind.PROPOSAL
    ).count()
    if uploaded_by_actor >= MAX_IMAGES_PER_USER:
        raise ContributionError(_("Vous avez atteint la limite de 20 images envoyées."))
    position = initiative.images.count()
    image = InitiativeImage.objects.create(
        initiative=initiative, image=image_file, alt_text=alt_text, credit=credit, position=position
    )
    record_event(EventType.IMAGE_UPLOADED, initiative, actor, image=image.pk)
    return image


def store_image(content, actor) -> str:
    """Store a checked, re-encoded image (images.clean_image) for an edit; the sheet gets it when the edit applies.

    Returns the stored file name. Every stored upload counts in the person's quota, even if the edit is abandoned.
    """
    from carrefour.contributions.images import MAX_IMAGES_PER_USER

    if AuditEvent.objects.filter(event_type=EventType.IMAGE_UPLOADED, actor=actor).count() >= MAX_IMAGES_PER_USER:
        raise ContributionError(_("Vous avez atteint la limite de 20 images envoyées."))
    name = default_storage.save(f"{snapshots.IMAGE_FOLDER}{timezone.now():%Y}/{content.name}", content)
    record_event(EventType.IMAGE_UPLOADED, None, actor, file=name)
    return name


# Edits of existing sheets ---------------------------------------------------------------------------------------


@transaction.atomic
def suggest_edit(initiative: Initiative, data: dict, author, base_version: int, comment: str = "") -> Revision:
    """A pending revision: the public sheet is unchanged until a moderator approves it."""
    if not snapshots.diff(snapshots.snapshot(initiative), data):
        raise ContributionError(_("Vous n'avez rien modifié."))
    revision = Revision.objects.create(
        initiative=initiative,
        kind=Revision.Kind.SUGGESTED_EDIT,
        author=author,
        base_version=base_version,
        previous_data=snapshots.snapshot(initiative),
        data=data,
        comment=comment,
        submitted_at=timezone.now(),
    )
    record_event(EventType.EDIT_SUGGESTED, revision, author, initiative=initiative.pk, version=base_version)
    return revision


@transaction.atomic
def resubmit_edit(revision: Revision, data: dict, actor, comment: str = "") -> Revision:
    """After « modifications demandées », the contributor sends a new version of the same suggestion."""
    if revision.kind != Revision.Kind.SUGGESTED_EDIT or revision.status != Revision.Status.CHANGES_REQUESTED:
        raise ContributionError(_("Cette proposition n'attend pas de nouvelle version."))
    revision.data = data
    revision.comment = comment or revision.comment
    revision.status = Revision.Status.PENDING
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["data", "comment", "status", "submitted_at", "updated_at"])
    record_event(EventType.EDIT_SUGGESTED, revision, actor, initiative=revision.initiative_id, resubmitted=True)
    return revision


@transaction.atomic
def direct_edit(initiative: Initiative, data: dict, actor, base_version: int, comment: str = "") -> Revision:
    """Publish at once (holders, curators, moderators). A stale `base_version` raises EditConflict."""
    initiative = lock_initiative(initiative)
    if initiative.version != base_version:
        raise EditConflict(initiative)
    revision = record_applied(initiative, data, actor, Revision.Kind.DIRECT_EDIT, author=actor, comment=comment)
    if revision is None:
        raise ContributionError(_("Vous n'avez rien modifié."))
    record_event(EventType.DIRECT_EDIT_APPLIED, revision, actor, initiative=initiative.pk, version=initiative.version)
    return revision


def record_applied(initiative: Initiative, data: dict, actor, kind: str, author=None, **fields) -> Revision | None:
    """Apply `data` and keep the applied revision (the history). None when nothing changed."""
    previous = snapshots.snapshot(initiative)
    base_version = initiative.version
    if not snapshots.apply(initiative, data, actor):
        return None
    return Revision.objects.create(
        initiative=initiative,
        kind=kind,
        status=Revision.Status.APPLIED,
        author=author,
        base_version=base_version,
        applied_version=initiative.version,
        previous_data=previous,
        data=snapshots.snapshot(initiative),
        applied_at=timezone.now(),
        **fields,
    )


@transaction.atomic
def revert_to(revision: Revision, actor) -> Revision:
    """Bring the sheet back to its state right after `revision`, as a new `revert` revision."""
    if revision.status != Revision.Status.APPLIED:
        raise ContributionError(_("Seule une version publiée peut être restaurée."))
    if revision.organisation is not None:
        restored = organisation_revisions.restore(revision.organisation, revision.data, actor, reverts=revision)
        if restored is None:
            raise ContributionError(_("L'organisation est déjà dans cet état."))
        return restored
    initiative = lock_initiative(sheet_of(revision))
    new = record_applied(initiative, revision.data, actor, Revision.Kind.REVERT, author=actor, reverts=revision)
    if new is None:
        raise ContributionError(_("La fiche est déjà dans cet état."))
    record_event(EventType.REVISION_REVERTED, new, actor, initiative=initiative.pk, reverted=revision.pk)
    return new


@transaction.atomic
def revert_user(user, actor) -> list[Revision]:
    """Undo everything `user` published: each sheet and each organisation goes back to its state before that
    person's first applied edit.

    A sheet the person created (an approved proposal) is archived. Open contributions of the person are rejected.
    """
    applied = Revision.objects.filter(author=user, status=Revision.Status.APPLIED, initiative__isnull=False)
    first_by_sheet: dict[int, Revision] = {}
    for revision in applied.order_by("applied_at", "id").select_related("initiative"):
        first_by_sheet.setdefault(sheet_of(revision).pk, revision)
    created = []
    for first in first_by_sheet.values():
        initiative = lock_initiative(sheet_of(first))
        if first.kind == Revision.Kind.PROPOSAL:
            if initiative.status != Status.ARCHIVED:
                catalog_actions.change_status(initiative, Status.ARCHIVED, actor)
            continue
        new = record_applied(initiative, first.previous_data, actor, Revision.Kind.REVERT, author=actor, reverts=first)
        if new is not None:
            created.append(new)
    organisations = organisation_revisions.first_edits_by(user)
    for first in organisations:
        assert first.organisation is not None, "first_edits_by keeps the revisions of organisations only"
        new = organisation_revisions.restore(first.organisation, first.previous_data, actor, reverts=first)
        if new is not None:
            created.append(new)
    open_count = Revision.objects.filter(
        author=user, status__in=[Revision.Status.PENDING, Revision.Status.CHANGES_REQUESTED]
    ).update(status=Revision.Status.REJECTED, decided_by=actor, decided_at=timezone.now())
    record_event(
        EventType.USER_EDITS_REVERTED,
        user,
        actor,
        sheets=sorted(first_by_sheet),
        organisations=sorted(first.organisation_id for first in organisations),
        reverts=[r.pk for r in created],
        open_rejected=open_count,
    )
    return created


# Claims, reports, freshness ---------------------------------------------------------------------------------------


@transaction.atomic
def claim(initiative: Initiative, user, message: str) -> Claim:
    from carrefour.accounts.models import InitiativeHolder

    if InitiativeHolder.objects.filter(initiative=initiative, user=user).exists():
        raise ContributionError(_("Vous êtes déjà enregistré·e comme porteur·euse de cette initiative."))
    if Claim.objects.filter(initiative=initiative, user=user, status=Claim.Status.PENDING).exists():
        raise ContributionError(_("Votre demande est déjà en cours d'examen par la modération."))
    created = Claim.objects.create(initiative=initiative, user=user, message=message)
    record_event(EventType.CLAIM_SUBMITTED, created, user, initiative=initiative.pk)
    return created


def reports_to_hide() -> int:
    return int(getattr(settings, "CARREFOUR_REPORTS_TO_HIDE", REPORTS_TO_HIDE_DEFAULT))


@transaction.atomic
def report(initiative: Initiative, user, reason: str, message: str) -> Report:
    """Record a problem. When enough distinct people reported it, the sheet is hidden until a moderator decides."""
    initiative = lock_initiative(initiative)
    created = Report.objects.create(initiative=initiative, user=user, reason=reason, message=message)
    record_event(EventType.INITIATIVE_REPORTED, created, user, initiative=initiative.pk, reason=reason)
    reporters = (
        Report.objects.filter(initiative=initiative, status=Report.Status.OPEN, user__isnull=False)
        .values("user")
        .distinct()
        .count()
    )
    if reporters >= reports_to_hide() and initiative.status == Status.PUBLISHED:
        catalog_actions.change_status(initiative, Status.HIDDEN, None)
        record_event(EventType.INITIATIVE_HIDDEN_BY_REPORTS, initiative, None, reporters=reporters)
    return created


@transaction.atomic
def confirm_up_to_date(initiative: Initiative, actor) -> Initiative:
    initiative.last_confirmed_at = timezone.now()
    initiative.save(update_fields=["last_confirmed_at", "updated_at"])
    record_event(EventType.INITIATIVE_CONFIRMED, initiative, actor)
    return initiative
