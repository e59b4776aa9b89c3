"""The built-in kinds of the moderation queue: proposals, suggested edits, claims, reports."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Initiative
from carrefour.contributions.models import Claim, Report, Revision
from carrefour.moderation.queue import QueueFilters, QueueItem, register


def _name(user) -> str:
    if user is None:
        return str(_("compte supprimé"))
    return user.get_full_name() or user.email or user.get_username()


class RevisionProvider:
    def __init__(self, kind: str, label, revision_kind: str):
        self.kind, self.label, self.revision_kind = kind, label, revision_kind

    def items(self, filters: QueueFilters):
        revisions = Revision.objects.filter(kind=self.revision_kind, status=Revision.Status.PENDING).filter(
            filters.initiative_q("initiative"), filters.created_q("submitted_at")
        )
        if self.revision_kind == Revision.Kind.PROPOSAL:
            revisions = revisions.filter(initiative__status=Initiative.Status.SUBMITTED)
        for revision in revisions.distinct().select_related("initiative", "author"):
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=revision.pk,
                title=revision.initiative.name,
                url=reverse("moderation:revision", kwargs={"pk": revision.pk}),
                created_at=revision.submitted_at or revision.created_at,
                initiative=revision.initiative,
                author=_name(revision.author),
                detail=revision.comment,
            )


class ClaimProvider:
    kind, label = "claim", _("Demandes « Je porte ce projet »")

    def items(self, filters: QueueFilters):
        claims = Claim.objects.filter(status=Claim.Status.PENDING).filter(
            filters.initiative_q("initiative"), filters.created_q()
        )
        for claim in claims.distinct().select_related("initiative", "user"):
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=claim.pk,
                title=claim.initiative.name,
                url=reverse("moderation:claim", kwargs={"pk": claim.pk}),
                created_at=claim.created_at,
                initiative=claim.initiative,
                author=_name(claim.user),
                detail=claim.message[:200],
            )


OPEN = Q(reports__status=Report.Status.OPEN)


class ReportProvider:
    kind, label = "report", _("Signalements")

    def items(self, filters: QueueFilters):
        initiatives = (
            Initiative.objects.filter(reports__status=Report.Status.OPEN)
            .filter(filters.initiative_q(""))
            .annotate(
                open_reports=Count("reports", filter=OPEN, distinct=True),
                first_report=Min("reports__created_at", filter=OPEN),
            )
            .distinct()
        )
        if filters.older_than_days is not None:
            initiatives = initiatives.filter(filters.created_q("first_report"))
        for initiative in initiatives:
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=initiative.pk,
                title=initiative.name,
                url=reverse("moderation:reports", kwargs={"slug": initiative.slug}),
                created_at=initiative.first_report,
                initiative=initiative,
                detail=str(_("%(count)s signalement(s) ouvert(s) — %(status)s"))
                % {"count": initiative.open_reports, "status": initiative.get_status_display()},
            )


def register_builtin() -> None:
    register(RevisionProvider("proposal", _("Propositions d'initiatives"), Revision.Kind.PROPOSAL))
    register(RevisionProvider("suggested_edit", _("Modifications proposées"), Revision.Kind.SUGGESTED_EDIT))
    register(ClaimProvider())
    register(ReportProvider())
