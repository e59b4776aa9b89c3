"""The OpenAPI document as JSON, and the readable documentation page rendered from the same document."""

import json

from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carrefour.api import openapi
from carrefour.api.responses import conditional, read_only

METHODS = ("get", "post", "put", "patch")


@read_only
def openapi_json(request):
    return conditional(request, openapi.document(), cache="public, max-age=300")


def _schema_type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = f" {_('ou')} ".join(kind)
    if kind == "array":
        return _("liste de %(items)s") % {"items": _schema_type(schema.get("items", {}))}
    if "enum" in schema:
        return _("%(kind)s : %(values)s") % {"kind": kind, "values": " | ".join(str(value) for value in schema["enum"])}
    return kind or _("objet")


def _operations(doc: dict) -> list[dict]:
    operations = []
    for route, item in doc["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = ((operation.get("requestBody") or {}).get("content") or {}).get("application/json", {})
            operations.append(
                {
                    "anchor": slugify(f"{method}-{route}"),
                    "method": method.upper(),
                    "route": route,
                    "tag": operation.get("tags", [""])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "token": bool(operation.get("security")),
                    "parameters": [
                        {**parameter, "type": _schema_type(parameter.get("schema", {}))}
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": [
                        {"status": status, "description": response.get("description", "")}
                        for status, response in operation.get("responses", {}).items()
                    ],
                    "example": json.dumps(body["example"], ensure_ascii=False, indent=2) if "example" in body else "",
                    "curl": _curl(method.upper(), route, operation),
                }
            )
    return operations


def _curl(method: str, route: str, operation: dict) -> str:
    path = route
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(parameter.get("example", "1")))
    if method == "GET":
        return f"curl -i 'https://exemple.fr{path}'"
    token = _("<jeton>")
    headers = f"-H 'Authorization: Bearer {token}' -H 'Content-Type: application/json'"
    if method in ("PATCH", "PUT"):
        etag = _("<ETag lu>")
        headers += f" -H 'If-Match: \"{etag}\"'"
    return f"curl -i -X {method} {headers} -d @fiche.json 'https://exemple.fr{path}'"


def _input_fields(doc: dict) -> list[dict]:
    schema = doc["components"]["schemas"]["InitiativeInput"]
    return [
        {"name": name, "type": _schema_type(field), "description": field.get("description", "")}
        for name, field in schema["properties"].items()
    ]


@read_only
def docs(request):
    doc = openapi.document()
    operations = _operations(doc)
    groups: dict[str, list[dict]] = {}
    for operation in operations:
        groups.setdefault(operation["tag"], []).append(operation)
    context = {
        "info": doc["info"],
        "groups": [{"name": name, "anchor": slugify(name), "operations": ops} for name, ops in groups.items()],
        "input_fields": _input_fields(doc),
    }
    return render(request, "api/docs.html", context)
