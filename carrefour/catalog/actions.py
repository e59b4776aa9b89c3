"""Named actions on the catalogue. Each runs in one transaction and writes a typed audit event."""

from django.db import transaction
from django.utils import timezone

from carrefour.catalog.models import Initiative, Organisation, SlugRedirect
from carrefour.catalog.models.initiative import Status
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.core.text import unique_slug

REDIRECT_MODELS = {Initiative: "initiative", Organisation: "organisation"}


def assign_slug(obj: Initiative | Organisation) -> None:
    """Give a new sheet a slug no current sheet and no old address uses."""
    model = type(obj)
    key = REDIRECT_MODELS[model]
    max_length = (model._meta.get_field("slug").max_length or 50) - 10

    def taken(slug: str) -> bool:
        return (
            model.objects.filter(slug=slug).exclude(pk=obj.pk).exists()
            or SlugRedirect.objects.filter(model=key, old_slug=slug).exists()
        )

    obj.slug = unique_slug(obj.name, taken, max_length=max_length)


@transaction.atomic
def save_initiative(initiative: Initiative, actor=None, changed_fields: list[str] | None = None) -> Initiative:
    created = initiative.pk is None
    if created:
        assign_slug(initiative)
    if initiative.status == Status.PUBLISHED and initiative.published_at is None:
        initiative.published_at = timezone.now()
    initiative.save()
    event = EventType.INITIATIVE_CREATED if created else EventType.INITIATIVE_UPDATED
    record_event(event, initiative, actor, fields=sorted(changed_fields or []))
    return initiative


@transaction.atomic
def save_organisation(organisation: Organisation, actor=None, changed_fields: list[str] | None = None) -> Organisation:
    created = organisation.pk is None
    if created:
        assign_slug(organisation)
    organisation.save()
    event = EventType.ORGANISATION_CREATED if created else EventType.ORGANISATION_UPDATED
    record_event(event, organisation, actor, fields=sorted(changed_fields or []))
    return organisation


@transaction.atomic
def rename(obj: Initiative | Organisation, new_name: str, actor=None) -> Initiative | Organisation:
    """Rename a sheet: its address follows the new name and the old address redirects forever."""
    old_name, old_slug = obj.name, obj.slug
    obj.name = new_name
    assign_slug(obj)
    if obj.slug != old_slug:
        key = REDIRECT_MODELS[type(obj)]
        SlugRedirect.objects.update_or_create(model=key, old_slug=old_slug, defaults={"object_id": obj.pk})
    obj.save(update_fields=["name", "slug", "updated_at"])
    event = EventType.INITIATIVE_RENAMED if isinstance(obj, Initiative) else EventType.ORGANISATION_RENAMED
    record_event(event, obj, actor, old_name=old_name, new_name=new_name, old_slug=old_slug, new_slug=obj.slug)
    return obj


@transaction.atomic
def change_status(initiative: Initiative, new_status: str, actor=None) -> Initiative:
    old_status = initiative.status
    initiative.status = new_status
    if new_status == Status.PUBLISHED and initiative.published_at is None:
        initiative.published_at = timezone.now()
    initiative.save(update_fields=["status", "published_at", "updated_at"])
    record_event(EventType.INITIATIVE_STATUS_CHANGED, initiative, actor, old=old_status, new=new_status)
    return initiative


def resolve_redirect(model: type[Initiative] | type[Organisation], slug: str):
    """The current sheet behind an old address, or None."""
    row = SlugRedirect.objects.filter(model=REDIRECT_MODELS[model], old_slug=slug).first()
    return model.objects.filter(pk=row.object_id).first() if row else None
