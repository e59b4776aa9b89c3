"""Components of the OpenAPI document: the JSON shapes of every response and of the partner's request body."""

from django.utils.translation import gettext_lazy as _

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
NUMBER_OR_NULL = {"type": ["number", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required: list[str] | None = None, description: str = "", closed: bool = False) -> dict:
    schema = {"type": "object", "properties": properties, "required": required or list(properties)}
    if description:
        schema["description"] = description
    if closed:
        schema["additionalProperties"] = False
    return schema


def array(items: dict, description: str = "") -> dict:
    schema = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    return schema


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


LICENCE_FIELDS = {
    "licence": {"type": "string", "description": _("Licence des données (etalab-2.0 par défaut).")},
    "licence_url": URL,
    "attribution": {"type": "string", "description": _("Producteur et date de dernière mise à jour.")},
}


def with_licence(properties: dict) -> dict:
    return {**properties, **LICENCE_FIELDS}


def page_of(item: str, description: str) -> dict:
    return obj(
        with_licence(
            {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": _("Nombre total de résultats (tous filtres)."),
                },
                "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
                "next": {**NULLABLE_URL, "description": _("Lien de la page suivante (curseur opaque), null à la fin.")},
                "results": array(ref(item)),
            }
        ),
        description=description,
    )


TERRITORY_REF = obj({"code": STRING, "name": NULLABLE_STRING, "api_url": URL})
THEME_COUNT = obj({"code": STRING, "label": STRING, "count": {"type": "integer", "minimum": 0}})
COUNTS = obj(
    {"initiatives": {"type": "integer", "minimum": 0}, "by_theme": array(THEME_COUNT)},
    description=_("Initiatives publiées situées dans le territoire, au total et par thématique de premier niveau."),
)

SCHEMAS = {
    "Error": obj(
        {
            "error": {"type": "string", "description": _("Message en français.")},
            "errors": array(obj({"param": STRING, "message": STRING}), _("Détail par paramètre ou par champ.")),
        },
        required=["error"],
    ),
    "Term": obj(
        {"code": STRING, "label": STRING, "parent": {**NULLABLE_STRING, "description": _("Code du thème parent.")}},
        required=["code", "label"],
    ),
    "RichText": obj(
        {"markdown": {"type": "string", "description": _("Texte source (Markdown).")}, "html": STRING},
        description=_("Le texte tel que saisi et sa version HTML nettoyée."),
    ),
    "Location": obj(
        {
            "label": STRING,
            "address": STRING,
            "postal_code": STRING,
            "commune": obj({"code": STRING, "name": STRING}),
            "departement": obj({"code": STRING, "name": STRING}),
            "region": obj({"code": STRING, "name": STRING}),
            "epci": nullable(obj({"code": STRING, "name": STRING})),
            "latitude": NUMBER_OR_NULL,
            "longitude": NUMBER_OR_NULL,
            "precision": {"type": "string", "enum": ["address", "commune", "departement"]},
        }
    ),
    "OrganisationRole": obj(
        {
            "id": INTEGER,
            "slug": STRING,
            "name": STRING,
            "role": {"type": "string", "enum": ["porteur", "partenaire", "financeur"]},
            "role_label": STRING,
        }
    ),
    "Provenance": obj(
        {
            "slug": STRING,
            "name": STRING,
            "licence": STRING,
            "attribution": STRING,
            "source_id": {"type": "string", "description": _("Identifiant de la fiche chez la source.")},
            "source_url": {"type": "string", "description": _("Lien vers la fiche d'origine (peut être vide).")},
            "source_updated_at": NULLABLE_DATETIME,
        }
    ),
    "Initiative": obj(
        {
            "id": INTEGER,
            "slug": STRING,
            "url": {**URL, "description": _("Page publique de la fiche.")},
            "api_url": URL,
            "name": STRING,
            "summary": STRING,
            "description": ref("RichText"),
            "themes": array(ref("Term")),
            "publics": array(ref("Term")),
            "place_types": array(ref("Term")),
            "innovation_forms": array(ref("Term")),
            "stage": nullable(ref("Term")),
            "scale": nullable(ref("Term")),
            "start_year": NULLABLE_INTEGER,
            "website": STRING,
            "links": array(obj({"kind": STRING, "url": STRING})),
            "locations": array(ref("Location")),
            "organisations": array(ref("OrganisationRole")),
            "sources": array(ref("Provenance")),
            "record_licence": {"type": "string", "description": _("Licence de la fiche : celle de ses sources.")},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "published_at": NULLABLE_DATETIME,
            "last_confirmed_at": NULLABLE_DATETIME,
            "version": {"type": "integer", "minimum": 1, "description": _("Version, augmentée à chaque modification.")},
        },
        description=_("Une fiche publiée. Aucune donnée personnelle (l'adresse de contact n'est jamais exposée)."),
    ),
    "Organisation": obj(
        {
            "id": INTEGER,
            "slug": STRING,
            "url": URL,
            "api_url": URL,
            "name": STRING,
            "structure_type": nullable(ref("Term")),
            "siren": STRING,
            "siret": STRING,
            "rna": STRING,
            "website": STRING,
            "description": ref("RichText"),
            "commune": nullable(obj({"code": STRING, "name": STRING})),
            "created_at": DATETIME,
            "updated_at": DATETIME,
        }
    ),
    "Source": obj(
        {
            "slug": STRING,
            "name": STRING,
            "website": STRING,
            "data_licence": {"type": "string", "description": _("Licence des données de ce partenaire.")},
            "data_licence_label": STRING,
            "data_attribution": {
                "type": "string",
                "description": _("Mention d'attribution demandée par le partenaire."),
            },
            "api_url": URL,
            "initiatives_count": {"type": "integer", "minimum": 0},
        }
    ),
    "Region": obj({"code": STRING, "name": STRING, "population": INTEGER}),
    "Departement": obj({"code": STRING, "name": STRING, "population": INTEGER, "region": TERRITORY_REF}),
    "Epci": obj({"code": STRING, "name": STRING, "kind": STRING, "population": INTEGER}),
    "Commune": obj(
        {
            "code": STRING,
            "name": STRING,
            "population": INTEGER,
            "latitude": NUMBER_OR_NULL,
            "longitude": NUMBER_OR_NULL,
            "postal_codes": array(STRING),
            "departement": TERRITORY_REF,
            "region": TERRITORY_REF,
            "epci": nullable(TERRITORY_REF),
        }
    ),
    "TaxonomyTerm": obj(
        {
            "code": STRING,
            "label": STRING,
            "slug": STRING,
            "description": STRING,
            "parent": NULLABLE_STRING,
            "position": INTEGER,
            "since_version": STRING,
            "is_active": {"type": "boolean"},
            "crosswalks": array(obj({"scheme": STRING, "code": STRING, "label": STRING})),
        }
    ),
    "Taxonomy": obj(
        with_licence(
            {"vocabularies": array(obj({"code": STRING, "label": STRING, "terms": array(ref("TaxonomyTerm"))}))}
        )
    ),
    "SearchHit": obj(
        {
            "id": INTEGER,
            "slug": STRING,
            "url": URL,
            "name": STRING,
            "summary": STRING,
            "commune": STRING,
            "commune_code": STRING,
            "departement": STRING,
            "region": STRING,
            "lat": NUMBER_OR_NULL,
            "lon": NUMBER_OR_NULL,
            "themes": array(STRING),
            "score": {"type": "number"},
            "distance_km": {"type": "number"},
            "explanation": {"type": "object"},
        },
        required=["id", "slug", "url", "name", "summary", "commune", "lat", "lon", "themes", "score"],
    ),
    "SearchResults": obj(
        with_licence(
            {
                "count": {"type": "integer", "minimum": 0},
                "results": array(ref("SearchHit")),
                "facets": {
                    "type": "object",
                    "additionalProperties": array(
                        obj({"value": STRING, "label": STRING, "count": INTEGER, "selected": {"type": "boolean"}})
                    ),
                },
                "query": {"type": "object", "description": _("La requête telle que comprise par le moteur.")},
                "next": NULLABLE_URL,
                "previous": NULLABLE_URL,
            }
        ),
        required=["count", "results", "facets", "query", "next", "previous", "licence"],
    ),
    "SearchPoints": obj(
        {
            "count": {"type": "integer", "minimum": 0},
            "points": array(
                {"type": "array", "minItems": 6, "maxItems": 6},
                _("Un point par résultat localisé : [id, lat, lon, nom, chemin de la fiche, commune]."),
            ),
            "truncated": {"type": "boolean"},
            "fields": array(STRING),
            **LICENCE_FIELDS,
        },
        required=["count", "points", "truncated", "fields", "licence"],
    ),
    "Suggestions": obj(
        {
            "q": STRING,
            "initiatives": array(obj({"label": STRING, "kind": STRING}, required=["label", "kind"])),
            "territories": array(obj({"label": STRING, "kind": STRING}, required=["label", "kind"])),
            "themes": array(obj({"label": STRING, "kind": STRING}, required=["label", "kind"])),
        }
    ),
    "InitiativeInput": {
        "type": "object",
        "additionalProperties": False,
        "description": (
            _(
                "Champs d'une fiche, validés comme le formulaire du site. Tout autre champ (status, version, source, "
                "merged_into…) est refusé (400)."
            )
        ),
        "properties": {
            "name": {"type": "string", "maxLength": 150},
            "summary": {"type": "string", "maxLength": 280},
            "description": {"type": "string", "maxLength": 20000, "description": "Markdown."},
            "carrier": {"type": "string", "maxLength": 200, "description": _("Nom de l'organisation porteuse.")},
            "commune": {"type": "string", "description": _("Code INSEE (COG) ou nom de la commune.")},
            "address": {"type": "string", "maxLength": 250},
            "postal_code": {"type": "string", "minLength": 5, "maxLength": 5},
            "themes": array(STRING, _("Codes de thématiques ou sous-thématiques (voir /api/v1/taxonomy).")),
            "publics": array(STRING),
            "place_types": array(STRING),
            "innovation_forms": array(STRING),
            "stage": NULLABLE_STRING,
            "scale": NULLABLE_STRING,
            "start_year": NULLABLE_INTEGER,
            "contact_channel": {"type": "string", "enum": ["relay", "website", "organisation"]},
            "contact_email": {
                "type": "string",
                "format": "email",
                "description": _("Jamais publiée ni renvoyée : reçoit les messages du formulaire de mise en relation."),
            },
            "website": {"type": "string", "maxLength": 500},
            "links": array(STRING, _("Adresses web (10 au plus).")),
            "source_id": {"type": "string", "maxLength": 200, "description": _("Création seulement.")},
            "source_url": {"type": "string", "maxLength": 500, "description": _("Création seulement.")},
        },
    },
    "InitiativeCreated": obj(
        {
            "id": INTEGER,
            "slug": STRING,
            "status": {"type": "string", "enum": ["submitted"]},
            "version": INTEGER,
            "revision": INTEGER,
            "message": STRING,
        }
    ),
}
