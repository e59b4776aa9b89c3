"""Explicit serializers: each lists the public fields it outputs, never a model's whole row (R-SEC-15).

Never output: `contact_email`, `contact_channel` details, partner payloads, source configurations, accounts.
"""

from django.db.models import Max, Prefetch
from django.urls import reverse

from carrefour.catalog.models import Initiative, Location, Organisation, Stakeholder, Term
from carrefour.core.richtext import render_markdown
from carrefour.sources.models import Licence, SourceRecord

SHARE_ALIKE = {Licence.ODBL, Licence.CC_BY_SA}


def last_update():
    return Initiative.published.aggregate(last=Max("updated_at"))["last"]


def initiatives_queryset():
    """Published initiatives with everything the serializer reads, in a fixed number of queries per page."""
    return Initiative.published.select_related("stage", "scale").prefetch_related(
        Prefetch("themes", queryset=Term.objects.select_related("parent")),
        "publics",
        "place_types",
        "innovation_forms",
        "links",
        Prefetch(
            "locations",
            queryset=Location.objects.select_related("commune__departement", "commune__region", "commune__epci"),
        ),
        Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("organisation").order_by("id")),
        Prefetch("source_records", queryset=SourceRecord.objects.select_related("source").order_by("id")),
    )


def term(value: Term | None) -> dict | None:
    if value is None:
        return None
    data = {"code": value.code, "label": value.label}
    if value.vocabulary == "theme":
        data["parent"] = value.parent.code if value.parent_id else None
    return data


def terms(values) -> list[dict]:
    return [term(value) for value in sorted(values, key=lambda t: (t.position, t.code))]


def rich_text(text: str) -> dict:
    return {"markdown": text or "", "html": str(render_markdown(text)) if text else ""}


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def location(loc: Location) -> dict:
    commune = loc.commune
    return {
        "label": loc.label,
        "address": loc.address,
        "postal_code": loc.postal_code,
        "commune": {"code": commune.code, "name": commune.name},
        "departement": {"code": commune.departement_id, "name": commune.departement.name},
        "region": {"code": commune.region_id, "name": commune.region.name},
        "epci": {"code": commune.epci_id, "name": commune.epci.name} if commune.epci_id else None,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "precision": loc.precision,
    }


def provenance(record: SourceRecord) -> dict:
    source = record.source
    return {
        "slug": source.slug,
        "name": source.name,
        "licence": source.licence,
        "attribution": source.attribution or source.name,
        "source_id": record.external_id,
        "source_url": record.url,
        "source_updated_at": record.source_updated_at,
    }


def record_licence(records) -> str:
    """The licence a record is served under: share-alike when one of its sources requires it."""
    licences = {record.source.licence for record in records}
    for share_alike in (Licence.ODBL, Licence.CC_BY_SA):
        if share_alike in licences:
            return share_alike
    return Licence.ETALAB


def initiative(request, item: Initiative) -> dict:
    records = list(item.source_records.all())
    return {
        "id": item.pk,
        "slug": item.slug,
        "url": absolute(request, item.get_absolute_url()),
        "api_url": absolute(request, reverse("api:initiative", kwargs={"key": str(item.pk)})),
        "name": item.name,
        "summary": item.summary,
        "description": rich_text(item.description),
        "themes": terms(item.themes.all()),
        "publics": terms(item.publics.all()),
        "place_types": terms(item.place_types.all()),
        "innovation_forms": terms(item.innovation_forms.all()),
        "stage": term(item.stage),
        "scale": term(item.scale),
        "start_year": item.start_year,
        "website": item.website,
        "links": [{"kind": link.kind, "url": link.url} for link in sorted(item.links.all(), key=lambda x: x.pk)],
        "locations": [location(loc) for loc in item.locations.all()],
        "organisations": [
            {
                "id": stake.organisation_id,
                "slug": stake.organisation.slug,
                "name": stake.organisation.name,
                "role": stake.role,
                "role_label": stake.get_role_display(),
            }
            for stake in item.stakeholders.all()
        ],
        "sources": [provenance(record) for record in records],
        "record_licence": record_licence(records),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "published_at": item.published_at,
        "last_confirmed_at": item.last_confirmed_at,
        "version": item.version,
    }


def organisation(request, item: Organisation, initiatives: list | None = None) -> dict:
    data = {
        "id": item.pk,
        "slug": item.slug,
        "url": absolute(request, item.get_absolute_url()),
        "api_url": absolute(request, reverse("api:organisation", kwargs={"key": str(item.pk)})),
        "name": item.name,
        "structure_type": term(item.structure_type),
        "siren": item.siren,
        "siret": item.siret,
        "rna": item.rna,
        "website": item.website,
        "description": rich_text(item.description),
        "commune": {"code": item.commune_id, "name": item.commune.name} if item.commune_id else None,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }
    if initiatives is not None:
        data["initiatives"] = [
            {
                "id": stake.initiative_id,
                "slug": stake.initiative.slug,
                "name": stake.initiative.name,
                "role": stake.role,
                "api_url": absolute(request, reverse("api:initiative", kwargs={"key": str(stake.initiative_id)})),
            }
            for stake in initiatives
        ]
    return data


def source(request, item, count: int | None = None) -> dict:
    data = {
        "slug": item.slug,
        "name": item.name,
        "website": item.website,
        # The partner's own licence and credit line (the response's `licence` is the API's envelope).
        "data_licence": item.licence,
        "data_licence_label": str(item.get_licence_display()),
        "data_attribution": item.attribution or item.name,
        "api_url": absolute(request, reverse("api:source", kwargs={"slug": item.slug})),
    }
    if count is not None:
        data["initiatives_count"] = count
    return data
