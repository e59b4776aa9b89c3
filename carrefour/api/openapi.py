"""The OpenAPI 3.1 document of the public API, written by hand as data. `/api/v1/openapi.json` serves it and
`/api/docs` renders it; tests check that every URL pattern of the app appears here and run schemathesis on it."""

from copy import deepcopy

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from carrefour.api.openapi_schemas import SCHEMAS, ref
from carrefour.search.types import FACETS, MAX_QUERY_LENGTH

FACET_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$"
FACET_HELP = {
    "theme": _("Code de thématique (premier niveau), par exemple ENV."),
    "subtheme": _("Code de sous-thématique."),
    "public": _("Code de public."),
    "type": _("Code de type de lieu ou d'initiative."),
    "stage": _("Code de stade."),
    "scale": _("Code d'échelle d'action."),
    "region": _("Code INSEE de région, par exemple 53."),
    "departement": _("Code INSEE de département, par exemple 29 ou 2A."),
    "epci": _("SIREN de l'EPCI."),
    "commune": _("Code INSEE (COG) de commune, par exemple 29232."),
    "source": _("Identifiant (slug) de la source partenaire."),
    "org_type": _("Code du type de structure de l'organisation porteuse."),
}


def query(name: str, schema: dict, description: str, example=None) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if example is not None:
        parameter["example"] = example
    return parameter


def path_param(name: str, description: str, example: str, pattern: str = "^[-A-Za-z0-9_]{1,220}$") -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "pattern": pattern},
        "example": example,
    }


FACET_PARAMS = [
    query(
        facet,
        {"type": "array", "items": {"type": "string", "pattern": FACET_PATTERN}, "maxItems": 20},
        format_lazy(
            "{} {}", FACET_HELP[facet], _("Plusieurs valeurs : l'une ou l'autre. 20 valeurs de filtre au plus en tout.")
        ),
    )
    for facet in FACETS
]
for _parameter in FACET_PARAMS:
    _parameter.update(style="form", explode=True)
CURSOR = query("cursor", {"type": "string", "maxLength": 500}, _("Curseur opaque, repris du lien « next »."))
PAGE_SIZE = query("page_size", {"type": "integer", "minimum": 1, "maximum": 100}, _("Taille de page (20 par défaut)."))
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": _("ETag déjà reçu : la réponse est 304 sans corps s'il est toujours valable."),
    "schema": {"type": "string", "maxLength": 200},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": _("ETag de la fiche lue (GET). Sans lui : 428 ; s'il n'est plus valable : 412."),
    "schema": {"type": "string", "maxLength": 200},
}
CACHE_HEADERS = {
    "ETag": {"description": _("Empreinte de la réponse."), "required": True, "schema": {"type": "string"}},
    "Cache-Control": {"description": _("Mise en cache publique courte."), "schema": {"type": "string"}},
}


def json_content(schema: dict, example=None) -> dict:
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"application/json": content}


def error_response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": json_content(ref("Error"))}
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {
    "Retry-After": {"description": _("Secondes à attendre."), "required": True, "schema": {"type": "string"}}
}
COMMON_ERRORS = {"429": error_response(_("Trop de requêtes : attendre Retry-After secondes."), RETRY_AFTER)}
NOT_MODIFIED = {"304": {"description": _("Non modifié depuis l'ETag envoyé (If-None-Match).")}}
BAD_REQUEST = {"400": error_response(_("Paramètre invalide (message en français, détail par paramètre)."))}
NOT_FOUND = {"404": error_response(_("Aucune ressource publique à cette adresse."))}


def read(summary: str, description: str, schema: str, parameters: list, tag: str, *, detail: bool = False) -> dict:
    responses = {
        "200": {"description": _("Succès."), "headers": deepcopy(CACHE_HEADERS), "content": json_content(ref(schema))},
        **NOT_MODIFIED,
        **BAD_REQUEST,
        **COMMON_ERRORS,
    }
    if detail:
        responses.update(NOT_FOUND)
    return {
        "tags": [tag],
        "summary": summary,
        "description": description,
        "parameters": [*parameters, IF_NONE_MATCH],
        "responses": responses,
    }


INITIATIVE_KEY = path_param("key", _("Identifiant numérique ou slug de la fiche."), "42")
INITIATIVE_FILTERS = [
    *FACET_PARAMS,
    query("sort", {"type": "string", "enum": ["id", "updated_at"]}, _("Ordre : id (défaut) ou date de mise à jour.")),
    query(
        "updated_since",
        {"type": "string", "format": "date-time"},
        _("Seulement les fiches mises à jour depuis cette date (ISO 8601 avec fuseau)."),
        "2025-01-31T00:00:00Z",
    ),
    CURSOR,
    PAGE_SIZE,
]
WRITE_ERRORS = {
    "400": error_response(_("Champ invalide ou refusé (moderation : status, version, source…).")),
    "401": error_response(
        _("Jeton absent, inconnu ou révoqué."),
        {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    ),
    "413": error_response(_("Corps trop volumineux.")),
    "415": error_response(_("Le corps doit être du JSON (Content-Type: application/json).")),
    **COMMON_ERRORS,
}
INPUT_BODY = {"required": True, "content": json_content(ref("InitiativeInput"))}
INITIATIVE_EXAMPLE = {
    "name": "Repair Café de Quimper",
    "summary": "Un atelier mensuel où des bénévoles aident chacun à réparer ses objets.",
    "commune": "29232",
    "themes": ["ENV"],
    "contact_channel": "website",
    "website": "https://repaircafe-quimper.example.fr",
    "source_id": "RC-29-001",
}


def _initiative_paths() -> dict:
    collection = {
        "get": read(
            _("Lister les fiches publiées"),
            _(
                "Toutes les fiches publiées, dans un ordre stable (id ou date de mise à jour), page par page avec un "
                "curseur. Les filtres portent les mêmes noms et valeurs que ceux de la recherche ; pour chercher du "
                "texte ou autour d'un lieu, utiliser /api/v1/search."
            ),
            "InitiativePage",
            INITIATIVE_FILTERS,
            _("Initiatives"),
        ),
        "post": {
            "tags": [_("Écriture partenaire")],
            "summary": _("Proposer une fiche (partenaire)"),
            "description": (
                _(
                    "Crée une fiche pour la source (ou l'organisation) du jeton. Validée comme le formulaire du site, "
                    "elle est envoyée à la modération et ne devient publique qu'après validation."
                )
            ),
            "security": [{"bearerAuth": []}],
            "requestBody": {**INPUT_BODY, "content": json_content(ref("InitiativeInput"), INITIATIVE_EXAMPLE)},
            "responses": {
                "201": {
                    "description": _("Fiche créée et soumise à la modération."),
                    "content": json_content(ref("InitiativeCreated")),
                },
                **WRITE_ERRORS,
                "409": error_response(_("Identifiant source_id déjà utilisé par votre source.")),
            },
        },
    }
    item_write = {
        "tags": [_("Écriture partenaire")],
        "security": [{"bearerAuth": []}],
        "parameters": [INITIATIVE_KEY, IF_MATCH],
        "requestBody": INPUT_BODY,
        "responses": {
            "200": {
                "description": _("Fiche modifiée (publiée aussitôt) ; nouvel ETag."),
                "headers": {"ETag": CACHE_HEADERS["ETag"]},
                "content": json_content(ref("InitiativeDetail")),
            },
            **WRITE_ERRORS,
            "403": error_response(_("La fiche n'appartient ni à la source ni à l'organisation du jeton.")),
            "404": error_response(_("Aucune fiche à cette adresse.")),
            "409": error_response(_("La fiche n'est pas publiée (en attente de modération).")),
            "412": error_response(_("If-Match ne correspond plus : la fiche a changé depuis la lecture.")),
            "428": error_response(_("If-Match manquant.")),
        },
    }
    item = {
        "get": read(
            _("Lire une fiche publiée"),
            _("La fiche complète. ETag fort (version et contenu) : à renvoyer dans If-Match pour la modifier."),
            "InitiativeDetail",
            [INITIATIVE_KEY],
            _("Initiatives"),
            detail=True,
        ),
        "patch": {
            **deepcopy(item_write),
            "summary": _("Modifier une fiche (partenaire, champs envoyés seulement)"),
            "description": _("Seuls les champs envoyés changent. If-Match obligatoire."),
        },
        "put": {
            **deepcopy(item_write),
            "summary": _("Remplacer une fiche (partenaire, tous les champs)"),
            "description": _("Tous les champs sont remplacés ; les champs obligatoires du formulaire doivent y être."),
        },
    }
    item["get"]["responses"]["301"] = {"description": _("Ancienne adresse d'une fiche renommée.")}
    return {"/api/v1/initiatives": collection, "/api/v1/initiatives/{key}": item}


# (kind in the URL, schema, list summary, list description, detail summary, code help, example code, parents)
TERRITORY_KINDS = (
    ("regions", "Region", _("Lister les régions"), _("Les régions du référentiel (COG)."),
     _("Lire un territoire (régions)"), _("Code INSEE de la région."), "53", []),
    ("departements", "Departement", _("Lister les départements"), _("Les départements du référentiel (COG)."),
     _("Lire un territoire (départements)"), _("Code INSEE du département."), "29", ["region"]),
    ("epci", "Epci", _("Lister les EPCI"), _("Les EPCI du référentiel (COG)."),
     _("Lire un territoire (EPCI)"), _("SIREN de l'EPCI."), "242900314", []),
    ("communes", "Commune", _("Lister les communes"), _("Les communes du référentiel (COG)."),
     _("Lire un territoire (communes)"), _("Code INSEE (COG) de la commune."), "29232",
     ["region", "departement", "epci"]),
)  # fmt: skip


def _territory_paths() -> dict:
    paths = {}
    for kind, schema, list_summary, list_description, detail_summary, code_help, example, parents in TERRITORY_KINDS:
        filters = [
            query(
                parent,
                {"type": "string", "pattern": "^[A-Za-z0-9]{1,9}$"},
                format_lazy(_("Code du territoire parent ({parent})."), parent=parent),
            )
            for parent in parents
        ]
        paths[f"/api/v1/territories/{kind}"] = {
            "get": read(
                list_summary,
                list_description,
                f"{schema}Page",
                [*filters, CURSOR, PAGE_SIZE],
                _("Territoires"),
            )  # fmt: skip
        }
        code = path_param("code", code_help, example, "^[A-Za-z0-9]{1,9}$")
        paths[f"/api/v1/territories/{kind}/{{code}}"] = {
            "get": read(
                detail_summary,
                _("Avec le nombre de fiches publiées, par thématique."),
                f"{schema}Detail",
                [code],
                _("Territoires"),
                detail=True,
            )  # fmt: skip
        }
    return paths


SEARCH_PARAMS = [
    query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH}, _("Texte recherché."), "jardin partagé"),
    *FACET_PARAMS,
    query("near", {"type": "string"}, _("Point de départ : latitude,longitude."), "48.8566,2.3522"),
    query("autour", {"type": "string"}, _("Point de départ : code INSEE d'une commune."), "29232"),
    query("radius_km", {"type": "number", "exclusiveMinimum": 0, "maximum": 1000}, _("Rayon autour du point (km).")),
    query("bbox", {"type": "string"}, _("Zone ouest,sud,est,nord (degrés décimaux).")),
    query("sort", {"type": "string", "enum": ["relevance", "distance", "freshness"]}, _("Tri.")),
]


def _search_paths() -> dict:
    def search_op(summary, description, schema, parameters):
        operation = read(summary, description, schema, parameters, _("Recherche"))
        operation["parameters"] = parameters  # no ETag: results follow the index
        operation["responses"] = {
            "200": {"description": _("Succès."), "content": json_content(ref(schema))},
            **BAD_REQUEST,
            **COMMON_ERRORS,
            "503": error_response(_("Index de recherche en cours de reconstruction.")),
        }
        return operation

    pages = [
        query("page", {"type": "integer", "minimum": 1}, _("Numéro de page (10 000 résultats au plus).")),
        query("page_size", {"type": "integer", "minimum": 1, "maximum": 100}, _("Résultats par page.")),
        query("facets", {"type": "string"}, _("Facettes à compter, séparées par des virgules.")),
        query("explain", {"type": "string", "enum": ["0", "1"]}, _("1 : détail du classement de chaque résultat.")),
    ]
    suggest = search_op(_("Suggestions"), _("Autocomplétion : fiches, territoires, thèmes."), "Suggestions", [
        query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH}, _("Début du texte."), "jard"),
        query("limit", {"type": "integer", "minimum": 1, "maximum": 20}, _("Suggestions par catégorie.")),
    ])  # fmt: skip
    del suggest["responses"]["503"]
    return {
        "/api/v1/search": {
            "get": search_op(
                _("Rechercher"),
                _("Recherche plein texte classée par pertinence (ou distance, fraîcheur), avec facettes."),
                "SearchResults",
                [*SEARCH_PARAMS, *pages],
            )
        },
        "/api/v1/search/points": {
            "get": search_op(
                _("Points de la carte"),
                _("Tous les résultats localisés (5 000 au plus)."),
                "SearchPoints",
                SEARCH_PARAMS[:-1],
            )  # fmt: skip
        },
        "/api/v1/suggest": {"get": suggest},
    }


def _reference_paths() -> dict:
    organisation_key = path_param("key", _("Identifiant numérique ou slug de l'organisation."), "7")
    source_slug = path_param("slug", _("Identifiant (slug) de la source."), "mednum")
    commune = query("commune", {"type": "string", "pattern": "^[0-9AB]{5}$"}, _("Code INSEE de la commune du siège."))
    vocabulary = query(
        "vocabulary",
        {"type": "string", "enum": ["theme", "public", "place_type", "innovation_form", "stage", "scale",
                                    "structure_type", "profile", "activity"]},
        _("Un seul vocabulaire."),
    )  # fmt: skip
    return {
        "/api/v1/organisations": {
            "get": read(
                _("Lister les organisations"),
                _("Les organisations impliquées dans au moins une fiche publiée."),
                "OrganisationPage",
                [commune, CURSOR, PAGE_SIZE],
                _("Organisations"),
            )  # fmt: skip
        },
        "/api/v1/organisations/{key}": {
            "get": read(
                _("Lire une organisation"),
                _("Avec ses fiches publiées et son rôle dans chacune."),
                "OrganisationDetail",
                [organisation_key],
                _("Organisations"),
                detail=True,
            )  # fmt: skip
        },
        "/api/v1/sources": {
            "get": read(
                _("Lister les sources partenaires"),
                _("Avec leur licence et leur mention d'attribution."),
                "SourcePage",
                [CURSOR, PAGE_SIZE],
                _("Sources"),
            )  # fmt: skip
        },
        "/api/v1/sources/{slug}": {
            "get": read(
                _("Lire une source"),
                _("Licence, attribution, nombre de fiches publiées."),
                "SourceDetail",
                [source_slug],
                _("Sources"),
                detail=True,
            )  # fmt: skip
        },
        "/api/v1/taxonomy": {
            "get": read(
                _("Taxonomie"),
                _("Vocabulaires, termes (codes stables) et correspondances avec d'autres nomenclatures."),
                "Taxonomy",
                [vocabulary],
                _("Référentiels"),
            )  # fmt: skip
        },
        "/api/v1/tombstones": {
            "get": read(
                _("Effacements à propager"),
                _(
                    "Les effacements de données personnelles (RGPD, art. 19) : type et identifiant de l'objet, champs "
                    "effacés, date. Les réutilisateurs effacent de même leurs copies. Du plus ancien au plus récent."
                ),
                "TombstonePage",
                [
                    query(
                        "since",
                        {"type": "string", "format": "date-time"},
                        _("Seulement les effacements depuis cette date (ISO 8601 avec fuseau)."),
                        "2025-01-31T00:00:00Z",
                    ),
                    CURSOR,
                    PAGE_SIZE,
                ],
                _("Référentiels"),
            )  # fmt: skip
        },
        "/api/v1/openapi.json": {
            "get": {
                "tags": [_("Référentiels")],
                "summary": _("Ce document OpenAPI"),
                "responses": {"200": {"description": _("Le document."), "content": json_content({"type": "object"})}},
            }
        },
    }


def _schemas() -> dict:
    from carrefour.api.openapi_schemas import LICENCE_FIELDS, page_of, with_licence

    schemas = deepcopy(SCHEMAS)
    page_descriptions = {
        "Initiative": _("Une page de fiches."),
        "Organisation": _("Une page d'organisations."),
        "Source": _("Une page de sources."),
        "Region": _("Une page de régions."),
        "Departement": _("Une page de départements."),
        "Epci": _("Une page d'EPCI."),
        "Commune": _("Une page de communes."),
    }
    for name, description in page_descriptions.items():
        schemas[f"{name}Page"] = page_of(name, description)
    schemas["InitiativeDetail"] = {"allOf": [ref("Initiative"), {"type": "object", "properties": LICENCE_FIELDS,
                                                                    "required": list(LICENCE_FIELDS)}]}  # fmt: skip
    schemas["OrganisationDetail"] = {
        "allOf": [
            ref("Organisation"),
            {
                "type": "object",
                "properties": with_licence(
                    {
                        "initiatives": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "slug": {"type": "string"},
                                    "name": {"type": "string"},
                                    "role": {"type": "string"},
                                    "api_url": {"type": "string", "format": "uri"},
                                },
                                "required": ["id", "slug", "name", "role", "api_url"],
                            },
                        }
                    }
                ),
                "required": ["initiatives", *LICENCE_FIELDS],
            },
        ]
    }
    schemas["Tombstone"] = {
        "type": "object",
        "properties": {
            "object_type": {"type": "string", "description": _("initiative, account ou person.")},
            "object_id": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string"}, "description": _("Champs effacés.")},
            "erased_at": {"type": "string", "format": "date-time"},
            "api_url": {"type": "string", "format": "uri"},
        },
        "required": ["object_type", "object_id", "fields", "erased_at"],
    }
    schemas["TombstonePage"] = page_of("Tombstone", _("Une page d'effacements."))
    schemas["SourceDetail"] = {"allOf": [ref("Source"), {"type": "object", "required": list(LICENCE_FIELDS)}]}
    from carrefour.api.openapi_schemas import COUNTS

    for name in ("Region", "Departement", "Epci", "Commune"):
        schemas[f"{name}Detail"] = {
            "allOf": [
                ref(name),
                {"type": "object", "properties": {"counts": COUNTS}, "required": ["counts", *LICENCE_FIELDS]},
            ]
        }
    return schemas


def resolved(value):
    """The same data with every lazy translation turned into a plain string, in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolved(item) for item in value]
    return value


def document() -> dict:
    """A fresh copy of the document in the active language, made of plain strings (callers may change it)."""
    return resolved(_document())


def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("API publique du Carrefour des innovations sociales"),
            "version": "1.0.0",
            "description": (
                _(
                    "Lecture libre (JSON, sans compte) des fiches publiées, des organisations, des territoires, de la "
                    "taxonomie et des sources ; écriture réservée aux partenaires munis d'un jeton. Chaque réponse "
                    "indique la licence (Licence Ouverte etalab-2.0 par défaut) et l'attribution. Lecture anonyme "
                    "limitée à 60 requêtes par minute et par adresse IP (429 et Retry-After au-delà) ; pour tout le "
                    "catalogue, préférer les exports de données ouvertes. CORS ouvert (*) en lecture. GET accepte "
                    "aussi HEAD."
                )
            ),
            "license": {"name": "Licence Ouverte / Open Licence 2.0", "identifier": "etalab-2.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": name}
            for name in (
                _("Initiatives"),
                _("Recherche"),
                _("Organisations"),
                _("Territoires"),
                _("Référentiels"),
                _("Sources"),
                _("Écriture partenaire"),
            )
        ],  # fmt: skip
        "paths": {**_initiative_paths(), **_search_paths(), **_reference_paths(), **_territory_paths()},
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": _("Jeton de partenaire (commande « carrefour api_token create »)."),
                }
            },
        },
    }
