"""The « Essaimage » block of a sheet: « Essaimée depuis », « Ses essaimages » on a map, « Je veux essaimer »."""

from django import template

from carrefour.catalog.models import Initiative

register = template.Library()


def replications_of(initiative: Initiative) -> list[Initiative]:
    """Read once per sheet: the block and the sheet's map script both ask for them."""
    if not hasattr(initiative, "_published_replications"):
        initiative._published_replications = list(
            initiative.replications.filter(status=Initiative.Status.PUBLISHED, merged_into__isnull=True)
            .prefetch_related("locations__commune")
            .order_by("name")
        )
    return initiative._published_replications


def points(replications: list[Initiative]) -> list[dict]:
    """One marker per location of each replication (the map reuses the sheet map's marker format)."""
    return [
        {
            "name": copy.name,
            "commune": location.commune.name,
            "lat": location.latitude,
            "lon": location.longitude,
            "url": copy.get_absolute_url(),
        }
        for copy in replications
        for location in copy.locations.all()
        if location.latitude is not None and location.longitude is not None
    ]


@register.simple_tag
def replication_points(initiative) -> list[dict]:
    return points(replications_of(initiative)) if initiative.is_public else []


@register.inclusion_tag("contacts/_replication_block.html", takes_context=True)
def replication_block(context, initiative):
    replications = replications_of(initiative) if initiative.is_public else []
    source = initiative.replicated_from
    return {
        "initiative": initiative,
        "replicated_from": source if source is not None and source.is_public else None,
        "replications": replications,
        "replication_points": points(replications),
        "request": context.get("request"),
    }
