"""The moderation queue and the decision pages (thin: each decision is a named action in moderation/actions.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative
from carrefour.contributions import snapshot as snapshots
from carrefour.contributions.actions import ContributionError, EditConflict
from carrefour.contributions.display import Describer, person
from carrefour.contributions.models import Claim, Report, Revision
from carrefour.moderation import actions, queue
from carrefour.moderation.forms import ClaimDecisionForm, DecisionForm, QueueFilterForm, ReportDecisionForm


def _revision(request, pk, **kwargs) -> Revision:
    """A sheet's revision: an organisation's revisions are applied at once and shown in its history, never decided."""
    sheets = Revision.objects.filter(initiative__isnull=False).select_related("initiative", "author")
    return get_object_or_404(sheets, pk=pk)


def _claim(request, pk, **kwargs) -> Claim:
    return get_object_or_404(Claim.objects.select_related("initiative", "user"), pk=pk)


def _reported(request, slug, **kwargs) -> Initiative:
    return get_object_or_404(Initiative, slug=slug)


@permission_required("moderation.view_queue")
@require_GET
def queue_page(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else queue.QueueFilters()
    items = queue.collect(filters, request.user)
    return render(request, "moderation/queue.html", {"form": form, "items": items, "filters": filters})


def _revision_context(revision: Revision, form, conflict: EditConflict | None = None) -> dict:
    describer = Describer(show_private=True)
    initiative = revision.initiative
    context = {
        "revision": revision,
        "initiative": initiative,
        "form": form,
        "author": person(revision.author, for_moderator=True),
        "changes": describer.diff(revision.previous_data, revision.data),
        "stale": revision.kind != Revision.Kind.PROPOSAL and revision.base_version != initiative.version,
        "conflict": conflict,
    }
    if context["stale"] and revision.is_open:
        current = snapshots.snapshot(initiative)
        context["changed_meanwhile"] = describer.diff(revision.previous_data, current)
        context["current_vs_suggestion"] = describer.diff(current, revision.data)
        context["current_version"] = initiative.version
    return context


@permission_required("moderation.decide", get_object=_revision)
@require_GET
def revision(request, pk):
    revision = request.permission_object
    form = DecisionForm()
    return render(request, "moderation/revision.html", _revision_context(revision, form))


@permission_required("moderation.decide", get_object=_revision)
@require_POST
def decide_revision(request, pk):
    revision = request.permission_object
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == "approve":
                actions.approve_revision(revision, request.user, seen_version=form.cleaned_data["seen_version"])
            elif decision == "request_changes":
                actions.request_changes(revision, request.user, message)
            else:
                actions.reject_revision(revision, request.user, message)
        except EditConflict as conflict:
            revision.refresh_from_db()
            context = _revision_context(revision, DecisionForm(initial={"decision": "approve"}), conflict)
            return render(request, "moderation/revision.html", context, status=409)
        except ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Décision enregistrée ; la personne est prévenue par e-mail."))
            return redirect("moderation:queue")
    revision.refresh_from_db()
    return render(request, "moderation/revision.html", _revision_context(revision, form), status=400)


@permission_required("moderation.decide", get_object=_claim)
@require_GET
def claim(request, pk):
    return _claim_page(request, request.permission_object, ClaimDecisionForm())


def _claim_page(request, claim, form, status=200):
    context = {"claim": claim, "form": form, "person": person(claim.user, for_moderator=True)}
    return render(request, "moderation/claim.html", context, status=status)


@permission_required("moderation.decide", get_object=_claim)
@require_POST
def decide_claim(request, pk):
    claim = request.permission_object
    form = ClaimDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                actions.approve_claim(claim, request.user)
            else:
                actions.reject_claim(claim, request.user, form.cleaned_data["message"])
        except ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Décision enregistrée ; la personne est prévenue par e-mail."))
            return redirect("moderation:queue")
    return _claim_page(request, claim, form, status=400)


@permission_required("moderation.decide", get_object=_reported)
@require_GET
def reports(request, slug):
    return _reports_page(request, request.permission_object, ReportDecisionForm())


def _reports_page(request, initiative, form, status=200):
    rows = initiative.reports.select_related("user", "decided_by").order_by("status", "-created_at")
    context = {
        "initiative": initiative,
        "form": form,
        "reports": [(report, person(report.user, for_moderator=True)) for report in rows],
        "open_count": sum(1 for report in rows if report.status == Report.Status.OPEN),
    }
    return render(request, "moderation/reports.html", context, status=status)


@permission_required("moderation.decide", get_object=_reported)
@require_POST
def decide_reports(request, slug):
    initiative = request.permission_object
    form = ReportDecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.resolve_reports(
                initiative, request.user, form.cleaned_data["decision"], form.cleaned_data["message"]
            )
        except ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Signalements traités."))
            return redirect("moderation:queue")
    return _reports_page(request, initiative, form, status=400)
