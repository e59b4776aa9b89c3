"""Initiatives: public reads, and partner writes authenticated by a Bearer token.

These two views are the only `csrf_exempt` ones of the project (R-SEC-04): writes are authenticated by the
`Authorization: Bearer` header alone, never by the session cookie, so a cross-site form cannot forge them. Reads go
to views_read; anything else needs a valid, unrevoked token.
"""

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from carrefour.api import actions, payload, views_read
from carrefour.api.responses import READ_METHODS, error, json_response, method_not_allowed
from carrefour.catalog.models import Initiative
from carrefour.contributions.actions import EditConflict
from carrefour.contributions.snapshot import snapshot

COLLECTION_METHODS = ("GET", "HEAD", "POST")
ITEM_METHODS = ("GET", "HEAD", "PATCH", "PUT")
NO_STORE = "no-store"


def unauthorised(message: str):
    return error(message, 401, WWW_Authenticate='Bearer realm="api"')


def token_of(request):
    """The request's valid token, or an error response (401)."""
    token = getattr(request, "api_token", None)
    if getattr(request, "api_token_invalid", False):
        return None, unauthorised(_("Jeton inconnu ou révoqué."))
    if token is None:
        message = _("Écriture réservée aux partenaires : ajoutez l'en-tête Authorization: Bearer <jeton>.")
        return None, unauthorised(message)
    return token, None


@csrf_exempt
def initiatives(request):
    if request.method in READ_METHODS:
        return views_read.initiative_list(request)
    if request.method != "POST":
        return method_not_allowed(COLLECTION_METHODS)
    token, refused = token_of(request)
    if refused:
        return refused
    try:
        data = payload.read_json(request)
        payload.check_fields(data, payload.WRITABLE + payload.PROVENANCE)
        external_id, source_url = payload.provenance(data)
        form = payload.validated_form(payload.form_data(data), creating=True)
    except payload.PayloadError as problem:
        return error(str(problem), problem.status, problem.errors)
    if actions.external_id_taken(token, external_id):
        message = _("Un enregistrement de votre source porte déjà l'identifiant « %(id)s » : modifiez-le (PATCH).")
        return error(message % {"id": external_id[:80]}, 409)
    revision = actions.submit_initiative(token, form.to_data({}), external_id, source_url)
    created = Initiative.objects.get(pk=revision.initiative_id)
    body = {
        "id": created.pk,
        "slug": created.slug,
        "status": created.status,
        "version": created.version,
        "revision": revision.pk,
        "message": _("Merci : la fiche est envoyée à la modération. Elle sera publique après sa validation."),
    }
    return json_response(body, 201, Cache_Control=NO_STORE)


@csrf_exempt
def initiative(request, key: str):
    if request.method in READ_METHODS:
        return views_read.initiative_detail(request, key)
    if request.method not in ITEM_METHODS:
        return method_not_allowed(ITEM_METHODS)
    token, refused = token_of(request)
    if refused:
        return refused
    target = _own_target(request, token, key)
    if not isinstance(target, Initiative):
        return target
    current = views_read.find_initiative(str(target.pk))
    _data, etag = views_read.initiative_representation(request, current)
    precondition = _check_if_match(request, etag)
    if precondition is not None:
        return precondition
    try:
        data = payload.read_json(request)
        payload.check_fields(data, payload.WRITABLE)
        values = payload.form_data(data)
        only = None if request.method == "PUT" else _fields_to_check(values, current)
        form = payload.validated_form(values, only=only)
    except payload.PayloadError as problem:
        return error(str(problem), problem.status, problem.errors)
    try:
        actions.update_initiative(token, current, form.to_data(snapshot(current)), base_version=current.version)
    except EditConflict:
        return error(_("La fiche a changé depuis votre lecture : relisez-la (GET) puis renvoyez la modification."), 412)
    updated = views_read.find_initiative(str(current.pk))
    data, new_etag = views_read.initiative_representation(request, updated)
    return json_response(data, 200, ETag=new_etag, Cache_Control=NO_STORE)


def _own_target(request, token, key: str):
    """The token's own published initiative behind `key`, or the response that refuses it."""
    lookup = {"pk": int(key)} if key.isascii() and key.isdigit() and len(key) < 19 else {"slug": key[:170]}
    found = Initiative.objects.filter(**lookup).first()
    if found is None:
        return error(_("Aucune fiche à cette adresse."), 404)
    owned = actions.owns(token, found)
    if not owned:
        if found.status != Initiative.Status.PUBLISHED:
            return error(_("Aucune fiche à cette adresse."), 404)
        message = _("Cette fiche n'appartient pas à votre source ni à votre organisation : modification refusée.")
        return error(message, 403)
    if found.status != Initiative.Status.PUBLISHED:
        message = _("Cette fiche n'est pas publiée (statut : %(status)s) : elle ne peut être modifiée par l'API.")
        return error(message % {"status": found.get_status_display()}, 409)
    return found


def _check_if_match(request, etag: str):
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header or header == "*":
        return error(
            _("En-tête If-Match obligatoire : renvoyez l'ETag reçu en lisant la fiche (GET), pour ne rien écraser."),
            428,
        )
    tags = [tag.strip() for tag in header.split(",")]
    if etag not in tags:  # strong comparison: a weak tag never matches
        return error(
            _("La fiche a changé depuis votre lecture (ETag différent) : relisez-la puis renvoyez la modification."),
            412,
            ETag=etag,
        )
    return None


def _fields_to_check(values: dict, current: Initiative) -> list[str]:
    """PATCH: only the fields sent are validated and changed. An address or postal code goes with its commune."""
    fields = list(values)
    if ("address" in values or "postal_code" in values) and "commune" not in values:
        first = current.locations.order_by("position", "id").first()
        if first is not None:
            values["commune"] = first.commune_id
            fields.append("commune")
    return fields
