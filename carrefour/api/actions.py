"""Named actions of the public API: partner tokens, and partner creations and updates of initiatives.

Creations and updates go through the contributions workflow, as on the site for a partner curator: a new record is
a proposal submitted to moderation; an update of one of the partner's own published records is a direct edit
(published at once, kept in the history as an applied revision). Each runs in one transaction and writes a typed
audit event naming the token.
"""

from django.db import transaction
from django.utils import timezone

from carrefour.api import tokens
from carrefour.api.models import ApiToken
from carrefour.catalog.models import Initiative, Role, Stakeholder
from carrefour.contributions import actions as contributions
from carrefour.contributions.models import Revision
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.sources.models import Source, SourceRecord


@transaction.atomic
def create_token(name: str, *, source: Source | None = None, organisation=None, actor=None) -> tuple[ApiToken, str]:
    """A new token; returns it with its clear value, which is never stored and cannot be shown again."""
    if source is None and organisation is None:
        raise ValueError("a token needs a source or an organisation")
    value = tokens.new_token()
    token = ApiToken.objects.create(
        name=name,
        prefix=value[: tokens.SHOWN_PREFIX_LENGTH],
        token_hash=tokens.token_hash(value),
        source=source,
        organisation=organisation,
        created_by=actor,
    )
    record_event(
        EventType.API_TOKEN_CREATED,
        token,
        actor,
        prefix=token.prefix,
        source=source.slug if source else None,
        organisation=organisation.pk if organisation else None,
    )
    return token, value


@transaction.atomic
def revoke_token(token: ApiToken, actor=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(EventType.API_TOKEN_REVOKED, token, actor, prefix=token.prefix)
    return token


def owns(token: ApiToken, initiative: Initiative) -> bool:
    """Is `initiative` one of the token's records: from its source, or carried by (or involving) its organisation?"""
    if token.source_id and initiative.source_records.filter(source_id=token.source_id).exists():
        return True
    if not token.organisation_id:
        return False
    return initiative.stakeholders.filter(organisation_id=token.organisation_id).exists()


@transaction.atomic
def submit_initiative(token: ApiToken, data: dict, external_id: str = "", source_url: str = "") -> Revision:
    """A partner's new record: a proposal submitted to moderation, linked to the token's source and organisation."""
    author = token.created_by
    revision = contributions.start_proposal(author, data)
    initiative = revision.initiative
    assert initiative is not None, "a proposal comes with its draft sheet"
    if token.source_id:
        SourceRecord.objects.create(
            source_id=token.source_id,
            external_id=external_id or f"api-{initiative.pk}",
            initiative=initiative,
            url=source_url,
            fetched_at=timezone.now(),
            payload={"api_token": token.prefix},
        )
    if token.organisation_id and not initiative.stakeholders.filter(organisation_id=token.organisation_id).exists():
        role = Role.PARTNER if initiative.stakeholders.filter(role=Role.CARRIER).exists() else Role.CARRIER
        Stakeholder.objects.create(initiative=initiative, organisation_id=token.organisation_id, role=role)
    revision = contributions.submit_proposal(revision, author)
    record_event(
        EventType.API_INITIATIVE_SUBMITTED,
        initiative,
        author,
        token=token.pk,
        prefix=token.prefix,
        revision=revision.pk,
        external_id=external_id,
    )
    return revision


@transaction.atomic
def update_initiative(token: ApiToken, initiative: Initiative, data: dict, base_version: int) -> Revision | None:
    """Apply a partner's update to one of its records. Raises contributions.EditConflict when `base_version` is
    stale; returns None when nothing changed."""
    author = token.created_by
    try:
        revision = contributions.direct_edit(initiative, data, author, base_version, comment="API")
    except contributions.ContributionError:
        return None  # nothing changed
    record_event(
        EventType.API_INITIATIVE_UPDATED,
        initiative,
        author,
        token=token.pk,
        prefix=token.prefix,
        revision=revision.pk,
        version=revision.applied_version,
    )
    return revision


def external_id_taken(token: ApiToken, external_id: str) -> bool:
    return bool(
        token.source_id
        and external_id
        and SourceRecord.objects.filter(source_id=token.source_id, external_id=external_id).exists()
    )
