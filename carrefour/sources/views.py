"""Source pages: the partner-facing list of a source's records, and the back office (imports, run history)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carrefour.accounts.permissions import permission_required
from carrefour.sources import actions
from carrefour.sources.automap import propose
from carrefour.sources.config import ConfigError, to_yaml
from carrefour.sources.conflicts import current_value, field_label, readable
from carrefour.sources.connectors import ConnectorError
from carrefour.sources.forms import ConflictDecisionForm, MappingForm, UploadForm
from carrefour.sources.models import ConflictStatus, ImportRun, Source, SyncConflict
from carrefour.sources.sync import run_import

PREVIEW_ROWS = 20
SESSION_KEY = "source_upload"


def source_records(request, slug):
    source = get_object_or_404(Source, slug=slug)
    records = (
        source.records.select_related("initiative")
        .annotate(open_conflicts=Count("conflicts", filter=Q(conflicts__status=ConflictStatus.OPEN)))
        .order_by("initiative__name", "pk")
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    counts = {
        "total": source.records.count(),
        "absent": source.records.exclude(absent_since=None).count(),
        "conflicts": source.records.filter(conflicts__status=ConflictStatus.OPEN).distinct().count(),
    }
    last_run = source.runs.filter(dry_run=False).first()
    return render(request, "sources/source_records.html", {"source": source, "page": page, "counts": counts,
                                                           "last_run": last_run})  # fmt: skip


def _source(request, slug, **kwargs) -> Source:
    """The source a back-office URL names: its curators, and administrators, may work on it."""
    return get_object_or_404(Source, slug=slug)


def _conflict(request, pk, **kwargs) -> SyncConflict:
    return get_object_or_404(
        SyncConflict.objects.select_related("record__source", "record__initiative", "run", "decided_by"), pk=pk
    )


@permission_required("source.import")
def source_list(request):
    sources = Source.objects.annotate(record_count=Count("records")).order_by("name")
    return render(request, "sources/source_list.html", {"sources": sources})


@permission_required("source.import", get_object=_source)
def run_list(request, slug):
    source = request.permission_object
    page = Paginator(source.runs.all(), 30).get_page(request.GET.get("page"))
    return render(request, "sources/run_list.html", {"source": source, "page": page})


@permission_required("source.import", get_object=_source)
def run_detail(request, slug, run_id):
    run = get_object_or_404(ImportRun, pk=run_id, source__slug=slug)
    return render(request, "sources/run_detail.html", {"source": run.source, "run": run})


@require_POST
@permission_required("source.import", get_object=_source)
def run_now(request, slug):
    source = request.permission_object
    report = run_import(source, dry_run=request.POST.get("dry_run") == "1", actor=request.user)
    level = messages.SUCCESS if report.status == "succeeded" else messages.ERROR
    messages.add_message(request, level, report.message or _("Import terminé."))
    return redirect("sources:run_detail", slug=source.slug, run_id=report.run_id)


@permission_required("source.import", get_object=_source)
def config_yaml(request, slug):
    source = request.permission_object
    config = {key: value for key, value in source.config.items() if key != "upload"}
    response = HttpResponse(to_yaml(config), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}.yaml"'
    return response


@permission_required("source.import")
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = actions.store_upload(form.cleaned_data["file"])
        request.session[SESSION_KEY] = {"token": f"{path.parent.name}/{path.name}", "name": form.cleaned_data["name"]}
        return redirect("sources:import_mapping")
    return render(request, "sources/import_upload.html", {"form": form})


@permission_required("source.import")
def import_mapping(request):
    upload = request.session.get(SESSION_KEY) or {}
    path = actions.uploaded_path(upload.get("token", ""))
    if path is None:
        messages.error(request, _("Envoyez d'abord un fichier."))
        return redirect("sources:import_upload")
    try:
        proposal = propose(path)
    except ConnectorError as exc:
        messages.error(request, str(exc))
        return redirect("sources:import_upload")
    initial = {"name": upload["name"], **{f"map_{target}": column for target, column in proposal["fields"].items()}}
    form = MappingForm(request.POST or None, columns=proposal["columns"], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            source = actions.save_source_from_upload(
                form.cleaned_data["name"], proposal, form.mapping(), upload["token"], request.user
            )
        except ConfigError as exc:
            form.add_error(None, str(exc))
        else:
            del request.session[SESSION_KEY]
            messages.success(request, _("Source enregistrée : lancez un essai à blanc, puis l'import."))
            return redirect("sources:run_list", slug=source.slug)
    preview = [[row.get(column, "") for column in proposal["columns"]] for row in proposal["sample"][:PREVIEW_ROWS]]
    context = {"form": form, "proposal": proposal, "preview": preview, "file_name": path.name}
    return render(request, "sources/import_mapping.html", context)


@permission_required("moderation.decide", get_object=_conflict)
@require_GET
def conflict(request, pk):
    return _conflict_page(request, request.permission_object, ConflictDecisionForm())


@permission_required("moderation.decide", get_object=_conflict)
@require_POST
def decide_conflict(request, pk):
    conflict = request.permission_object
    form = ConflictDecisionForm(request.POST)
    if form.is_valid():
        decide = (
            actions.keep_local_value if form.cleaned_data["decision"] == "keep_local" else actions.take_incoming_value
        )
        try:
            decide(conflict, request.user)
        except actions.ConflictDecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Décision enregistrée."))
            return redirect("moderation:queue")
    conflict.refresh_from_db()
    return _conflict_page(request, conflict, form, status=400)


def _conflict_page(request, conflict, form, status=200):
    field, current = conflict.field, readable(conflict.field, current_value(conflict))
    local = readable(field, conflict.local_value)
    context = {
        "conflict": conflict,
        "initiative": conflict.initiative,
        "source": conflict.record.source,
        "form": form,
        "field": field_label(field),
        "local": local,
        "incoming": readable(field, conflict.incoming_value),
        "current": current,
        "changed_since": conflict.is_open and current != local,
    }
    return render(request, "sources/conflict.html", context, status=status)
