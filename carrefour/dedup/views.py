"""Moderators' pages: the list of possible duplicates and the side-by-side comparison with its two decisions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.dedup import actions
from carrefour.dedup.comparison import field_rows
from carrefour.dedup.forms import MergeForm
from carrefour.dedup.models import CandidateStatus, DuplicateCandidate

PAGE_SIZE = 30


def _candidate(request, pk):
    candidate = get_object_or_404(DuplicateCandidate.objects.select_related("first", "second"), pk=pk)
    return candidate.first


@permission_required("moderation.view_queue")
def candidate_list(request):
    status = request.GET.get("statut", CandidateStatus.PENDING)
    if status not in CandidateStatus.values:
        status = CandidateStatus.PENDING
    candidates = DuplicateCandidate.objects.filter(status=status).select_related("first", "second")
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "dedup/candidate_list.html", {"page": page, "status": status, "statuses": CandidateStatus.choices}
    )


@permission_required("moderation.decide", get_object=_candidate)
def candidate_detail(request, pk):
    candidate = get_object_or_404(DuplicateCandidate.objects.select_related("first", "second"), pk=pk)
    rows = field_rows(candidate.first, candidate.second)
    form = MergeForm(request.POST or None, candidate=candidate, rows=rows)
    if request.method == "POST" and candidate.status == CandidateStatus.PENDING and form.is_valid():
        survivor_pk = form.cleaned_data["survivor"]
        survivor, merged = (
            (candidate.first, candidate.second)
            if survivor_pk == candidate.first_id
            else (candidate.second, candidate.first)
        )
        try:
            actions.merge(survivor, merged, actor=request.user, choices=form.choices(), candidate=candidate)
        except actions.MergeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Les deux fiches ont été fusionnées."))
            return redirect(survivor)
    context = {"candidate": candidate, "rows": rows, "form": form, "pending": candidate.status == "pending"}
    return render(request, "dedup/candidate_detail.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("moderation.decide", get_object=_candidate)
def mark_distinct(request, pk):
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    try:
        actions.mark_distinct(candidate, actor=request.user)
    except actions.MergeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("dedup:candidate", pk=pk)
    messages.success(request, _("C'est noté : ces deux fiches ne seront plus proposées comme doublons."))
    return redirect("dedup:list")
