"""Duplicate candidates as a kind of item in the moderation queue."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carrefour.dedup.models import CandidateStatus, DuplicateCandidate


class DuplicateProvider:
    kind = "duplicate"
    label = gettext_lazy("Doublons possibles")

    def items(self, filters):
        from carrefour.moderation.queue import QueueItem

        candidates = DuplicateCandidate.objects.filter(status=CandidateStatus.PENDING).select_related("first", "second")
        candidates = candidates.filter(filters.created_q())
        condition = filters.initiative_q("first")
        if condition:
            candidates = candidates.filter(condition).distinct()
        for candidate in candidates.order_by("created_at"):
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=candidate.pk,
                title=f"{candidate.first.name} ↔ {candidate.second.name}",
                url=reverse("dedup:candidate", kwargs={"pk": candidate.pk}),
                created_at=candidate.created_at,
                initiative=candidate.first,
                detail=_("Score %(score)d %% — %(reasons)s")
                % {"score": round(candidate.score * 100), "reasons": ", ".join(candidate.reasons)},
            )
