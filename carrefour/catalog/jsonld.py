"""schema.org JSON-LD for a public sheet. Only public fields: never the contact address (R-GDPR-02)."""

from django.conf import settings

from carrefour.catalog.models import Initiative, Organisation, Role


def _address(location) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressLocality": location.commune.name,
        "addressRegion": location.commune.region.name,
        "addressCountry": "FR",
    }
    if location.address:
        address["streetAddress"] = location.address
    if location.postal_code:
        address["postalCode"] = location.postal_code
    return address


def _geo(location) -> dict | None:
    if location.latitude is None or location.longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": location.latitude, "longitude": location.longitude}


def organisation_jsonld(organisation: Organisation) -> dict:
    data = {
        "@type": "NGO" if organisation.rna else "Organization",
        "name": organisation.name,
        "url": settings.SITE_URL + organisation.get_absolute_url(),
    }
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (
            ("SIRET", organisation.siret),
            ("SIREN", organisation.siren),
            ("RNA", organisation.rna),
        )
        if value
    ]
    if identifiers:
        data["identifier"] = identifiers
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def initiative_jsonld(initiative: Initiative, locations, stakeholders) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": initiative.name,
        "description": initiative.summary,
        "url": settings.SITE_URL + initiative.get_absolute_url(),
        "dateModified": initiative.updated_at.isoformat(),
    }
    if locations:
        data["address"] = _address(locations[0])
        geo = _geo(locations[0])
        if geo:
            data["geo"] = geo
    if initiative.start_year:
        data["foundingDate"] = str(initiative.start_year)
    if initiative.website:
        data["sameAs"] = initiative.website
    carriers = [s.organisation for s in stakeholders if s.role == Role.CARRIER]
    if carriers:
        data["parentOrganization"] = organisation_jsonld(carriers[0])
    themes = [term.label for term in initiative.themes.all()]
    if themes:
        data["keywords"] = ", ".join(themes)
    return data
