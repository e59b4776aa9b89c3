"""« Proposer une initiative »: step-by-step form saving a draft at each step, duplicates check, submission."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.catalog.models import Initiative, Organisation
from carrefour.contributions import actions, steps
from carrefour.contributions.access import own_proposal
from carrefour.contributions.display import Describer
from carrefour.contributions.duplicates import likely_duplicates
from carrefour.contributions.forms import ImageForm, InitiativeForm, initial_from
from carrefour.contributions.models import Claim, Report, Revision

ORGANISATION_SUGGESTIONS = 10


def _step_url(revision: Revision, step: steps.Step) -> str:
    return reverse("contributions:propose_step", kwargs={"pk": revision.pk, "step": step.slug})


def _render_step(request, step, form, revision=None, status=200, **extra):
    context = {"step": step, "steps": steps.STEPS, "form": form, "revision": revision, **extra}
    return render(request, "contributions/propose_step.html", context, status=status)


@permission_required("initiative.propose")
@require_http_methods(["GET", "POST"])
def propose(request):
    step = steps.FIRST
    form = InitiativeForm(request.POST or None, only=step.fields)
    if request.method == "POST" and form.is_valid():
        revision = actions.start_proposal(request.user, form.to_data({}))
        messages.success(request, _("Brouillon enregistré. Vous pourrez le reprendre à tout moment."))
        return redirect(_step_url(revision, steps.next_step(step)))
    return _render_step(request, step, form, status=400 if form.errors else 200)


@permission_required("initiative.propose", get_object=own_proposal)
@require_http_methods(["GET", "POST"])
def propose_step(request, pk, step):
    revision = request.permission_object
    step = steps.BY_SLUG.get(step)
    if step is None:
        raise Http404
    editable = revision.is_open and revision.initiative.status == Initiative.Status.DRAFT
    if not editable:
        if request.method == "POST":
            messages.error(request, _("Cette proposition a été envoyée : elle n'est plus modifiable."))
        return render(request, "contributions/proposal_readonly.html", _review_context(revision, request.user))
    if step.slug == "images":
        return _images_step(request, revision, step)
    if step.slug == "verifier":
        return render(request, "contributions/propose_review.html", _review_context(revision, request.user))
    form = InitiativeForm(
        request.POST or None, only=step.fields, initial=initial_from(revision.data), require_relay_email=True
    )
    if request.method == "POST" and form.is_valid():
        actions.save_proposal_step(revision, form.to_data(revision.data), request.user)
        if "save_and_quit" in request.POST:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("contributions:mine")
        return redirect(_step_url(revision, steps.next_step(step)))
    return _render_step(request, step, form, revision, status=400 if form.errors else 200)


def _images_step(request, revision, step):
    form = ImageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if "skip" in request.POST:
            return redirect(_step_url(revision, steps.next_step(step)))
        if form.is_valid():
            try:
                data = form.cleaned_data
                actions.add_image(revision.initiative, data["image"], data["alt_text"], data["credit"], request.user)
            except actions.ContributionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Image ajoutée."))
                return redirect(_step_url(revision, step))
        status = 400
    images = revision.initiative.images.all()
    return _render_step(request, step, form, revision, status=status, images=images, multipart=True)


def _review_context(revision, user) -> dict:
    data = revision.data
    first = (data.get("locations") or [{}])[0]
    return {
        "revision": revision,
        "initiative": revision.initiative,
        "steps": steps.STEPS,
        "step": steps.BY_SLUG["verifier"],
        "fields": Describer(show_private=True).diff({}, data),
        "incomplete": steps.incomplete_steps(data),
        "duplicates": likely_duplicates(data.get("name", ""), first.get("commune"), exclude_id=revision.initiative_id),
        "images": revision.initiative.images.all(),
    }


@permission_required("initiative.propose", get_object=own_proposal)
@require_POST
def submit(request, pk):
    revision = request.permission_object
    if steps.incomplete_steps(revision.data):
        messages.error(request, _("Certaines étapes sont incomplètes : complétez-les avant d'envoyer la proposition."))
        return redirect(_step_url(revision, steps.BY_SLUG["verifier"]))
    try:
        actions.submit_proposal(revision, request.user)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Merci ! Votre proposition est envoyée à la modération. Vous recevrez un e-mail à sa décision.")
        )
    return redirect("contributions:mine")


@permission_required("initiative.propose")
@require_GET
def mine(request):
    return render(request, "contributions/mine.html", my_contributions(request.user))


def my_contributions(user) -> dict:
    """What « Mes contributions » shows: proposals (drafts first), suggested edits, claims and reports."""
    revisions = Revision.objects.filter(author=user).select_related("initiative", "organisation")
    proposals = revisions.filter(kind=Revision.Kind.PROPOSAL, initiative__isnull=False).order_by("-updated_at")
    return {
        "drafts": [r for r in proposals if r.is_open and r.initiative.status == Initiative.Status.DRAFT],
        "proposals": [r for r in proposals if not (r.is_open and r.initiative.status == Initiative.Status.DRAFT)],
        "edits": revisions.filter(kind__in=[Revision.Kind.SUGGESTED_EDIT, Revision.Kind.DIRECT_EDIT]).order_by(
            "-created_at"
        )[:50],
        "claims": Claim.objects.filter(user=user).select_related("initiative")[:50],
        "reports": Report.objects.filter(user=user).select_related("initiative")[:50],
    }


@require_GET
def organisation_suggestions(request):
    """Existing organisations for the « Qui la porte » autocomplete (only those already shown publicly)."""
    text = (request.GET.get("q") or "").strip()[:100]
    if len(text) < 2:
        return JsonResponse({"organisations": []})
    public = Q(stakes__initiative__status=Initiative.Status.PUBLISHED)
    names = (
        Organisation.objects.filter(public, name__icontains=text)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:ORGANISATION_SUGGESTIONS]
    )
    return JsonResponse({"organisations": list(names)})
