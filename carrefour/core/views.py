"""Home page and error pages."""

from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carrefour.catalog.models import Initiative, Organisation, Term, Vocabulary
from carrefour.territories.models import Region


def home(request):
    published = Initiative.published.all()
    themes = (
        Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, is_active=True)
        .annotate(count=Count("initiatives_by_theme", filter=Q(initiatives_by_theme__status="published")))
        .order_by("position", "label")
    )
    context = {
        "initiative_count": published.count(),
        "organisation_count": Organisation.objects.filter(stakes__initiative__status="published").distinct().count(),
        "commune_count": published.values("locations__commune").distinct().count(),
        "themes": themes,
        "regions": Region.objects.order_by("name"),
        "recent": published.order_by("-published_at", "-pk").prefetch_related("locations__commune")[:6],
    }
    return render(request, "core/home.html", context)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason: str = ""):
    """A refused form (missing or stale CSRF token): explained in French; in JSON under /api/."""
    if request.path.startswith("/api/"):
        message = _("Requête refusée : cette adresse n'accepte pas d'écriture sans jeton d'accès (protection CSRF).")
        return JsonResponse({"error": message}, status=403, json_dumps_params={"ensure_ascii": False})
    return render(request, "403_csrf.html", status=403)
