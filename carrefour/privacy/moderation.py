"""Rights requests in the moderation queue: confirmed and unanswered, oldest due date first."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carrefour.privacy.models import RequestStatus, RightsRequest


class RightsRequestProvider:
    kind = "rights_request"
    label = gettext_lazy("Demandes sur les données personnelles")

    def items(self, filters):
        from carrefour.moderation.queue import QueueItem

        if filters.theme or filters.region:
            return  # about a person, not a sheet: no theme, no région
        requests = RightsRequest.objects.filter(status=RequestStatus.OPEN).filter(filters.created_q("confirmed_at"))
        for request in requests.order_by("due_at", "pk"):
            yield QueueItem(
                kind=self.kind,
                kind_label=str(self.label),
                pk=request.pk,
                title=request.get_kind_display(),
                url=reverse("privacy:handle", kwargs={"pk": request.pk}),
                created_at=request.confirmed_at,
                detail=_("Réponse due le %(date)s") % {"date": formats.date_format(request.due_at, "j F Y")},
            )
