"""The public records every export is made of: published initiatives, read in chunks, reduced to public fields.

Only the fields named here leave the database (R-GDPR-09: an allowlist). Never the private contact address
(`contact_email`), never a partner's raw payload (it may hold a person's name or phone), never an account.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet

from carrefour.catalog.models import Initiative, Location, Role, Stakeholder
from carrefour.opendata.licences import Distribution, eligible
from carrefour.sources.models import SourceRecord

CHUNK_SIZE = 500
MULTI_VALUE_SEPARATOR = "|"


@dataclass(frozen=True)
class ExportContext:
    """What every writer needs: the distribution, its attribution and the date of the data's last update."""

    distribution: Distribution
    last_update: datetime | None
    chunk_size: int = CHUNK_SIZE

    @property
    def attribution(self) -> str:
        date = self.last_update.date().isoformat() if self.last_update else "-"
        return f"{settings.OPENDATA_PUBLISHER} et ses sources partenaires, mise à jour du {date}"


def published(dist: Distribution) -> QuerySet[Initiative]:
    return eligible(Initiative.published.all(), dist)


def context_for(dist: Distribution, chunk_size: int = CHUNK_SIZE) -> ExportContext:
    last = published(dist).aggregate(last=Max("updated_at"))["last"]
    return ExportContext(distribution=dist, last_update=last, chunk_size=chunk_size)


def initiatives(context: ExportContext) -> Iterator[Initiative]:
    """Each initiative of the distribution, with what the exports show, `chunk_size` at a time (constant memory)."""
    dist = context.distribution
    queryset = (
        published(dist)
        .select_related("stage", "scale")
        .order_by("pk")
        .prefetch_related(
            "themes",
            "publics",
            "place_types",
            "innovation_forms",
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("commune__departement", "commune__region"),
                to_attr="public_locations",
            ),
            Prefetch(
                "stakeholders",
                queryset=Stakeholder.objects.filter(role=Role.CARRIER)
                .select_related("organisation__structure_type", "organisation__commune")
                .order_by("pk"),
                to_attr="carrier_stakes",
            ),
            Prefetch(
                "source_records",
                queryset=SourceRecord.objects.filter(source__licence__in=dist.accepts)
                .select_related("source")
                .only("initiative_id", "external_id", "url", "source_updated_at", "source__slug")
                .order_by("pk"),
                to_attr="public_sources",
            ),
        )
    )
    return queryset.iterator(chunk_size=context.chunk_size)


def page_url(obj) -> str:
    return settings.SITE_URL + obj.get_absolute_url()


def joined(values) -> str:
    """Multiple values in one CSV cell, `|` between them; a `|` inside a value becomes `/`.

    Empty values are kept, so parallel lists stay aligned (`porteurs` and `porteurs_siret`).
    """
    return MULTI_VALUE_SEPARATOR.join(str(value or "").replace(MULTI_VALUE_SEPARATOR, "/") for value in values)


def initiative_fields(initiative: Initiative, context: ExportContext) -> dict:
    """The public fields of an initiative, location apart; lists stay lists (each format joins them its own way)."""
    carriers = [stake.organisation for stake in initiative.carrier_stakes]
    sources = initiative.public_sources
    return {
        "id": initiative.slug,
        "nom": initiative.name,
        "resume": initiative.summary,
        "description": initiative.description,
        "url": page_url(initiative),
        "site_web": initiative.website,
        "annee_lancement": initiative.start_year,
        "stade": initiative.stage.code if initiative.stage else "",
        "echelle": initiative.scale.code if initiative.scale else "",
        "thematiques": [term.code for term in initiative.themes.all()],
        "thematiques_libelles": [term.label for term in initiative.themes.all()],
        "publics": [term.code for term in initiative.publics.all()],
        "types_lieu": [term.code for term in initiative.place_types.all()],
        "formes_innovation": [term.code for term in initiative.innovation_forms.all()],
        "porteurs": [organisation.name for organisation in carriers],
        "porteurs_siret": [organisation.siret for organisation in carriers],
        "porteurs_rna": [organisation.rna for organisation in carriers],
        "source": [record.source.slug for record in sources],
        "source_id": [record.external_id for record in sources],
        "lien_source": [record.url for record in sources],
        "date_maj": initiative.updated_at.date().isoformat(),
        "date_publication": initiative.published_at.date().isoformat() if initiative.published_at else "",
        "licence": context.distribution.licence,
    }


def location_fields(location: Location | None) -> dict:
    if location is None:
        return dict.fromkeys(("adresse", "code_postal", "commune", "code_insee", "departement", "region"), "") | {
            "latitude": None,
            "longitude": None,
        }
    commune = location.commune
    return {
        "adresse": location.address,
        "code_postal": location.postal_code,
        "commune": commune.name,
        "code_insee": commune.code,
        "departement": commune.departement_id,
        "region": commune.region_id,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }
