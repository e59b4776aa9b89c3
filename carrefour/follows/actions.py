"""Named actions on follows, favourite lists and the weekly digest. Each runs in one transaction and is audited."""

from django.db import transaction
from django.utils import timezone

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.follows.models import DigestSubscription, FavouriteItem, FavouriteList, Follow, FollowKind, new_token
from carrefour.follows.territories import Territory

MAX_LISTS = 50
MAX_ITEMS_PER_LIST = 500


class FavouriteError(Exception):
    """A limit reached: `str(error)` is "lists" (too many lists) or "items" (a full list); views word it."""


def _target(initiative=None, organisation=None, territory: Territory | None = None) -> dict:
    if initiative is not None:
        return {"kind": FollowKind.INITIATIVE, "initiative": initiative}
    if organisation is not None:
        return {"kind": FollowKind.ORGANISATION, "organisation": organisation}
    if territory is not None:
        return {"kind": FollowKind.TERRITORY, "territory_level": territory.level, "territory_code": territory.code}
    raise ValueError("follow what? give an initiative, an organisation or a territory")


def follows_of(user, **target):
    return Follow.objects.filter(user=user, **_target(**target))


def is_following(user, **target) -> bool:
    return user.is_authenticated and follows_of(user, **target).exists()


@transaction.atomic
def follow(user, **target) -> Follow:
    """Follow (idempotent)."""
    fields = _target(**target)
    existing = Follow.objects.filter(user=user, **fields).first()
    if existing is not None:
        return existing
    created = Follow.objects.create(user=user, **fields)
    record_event(EventType.FOLLOW_ADDED, created, user, **_audit(fields))
    return created


@transaction.atomic
def unfollow(user, **target) -> bool:
    fields = _target(**target)
    deleted, _details = Follow.objects.filter(user=user, **fields).delete()
    if deleted:
        record_event(EventType.FOLLOW_REMOVED, None, user, **_audit(fields))
    return bool(deleted)


def _audit(fields: dict) -> dict:
    return {key: getattr(value, "pk", value) for key, value in fields.items()}


# Favourite lists -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_list(owner, name: str) -> FavouriteList:
    if FavouriteList.objects.filter(owner=owner).count() >= MAX_LISTS:
        raise FavouriteError("lists")
    favourite_list = FavouriteList.objects.create(owner=owner, name=name)
    record_event(EventType.FAVOURITE_LIST_CREATED, favourite_list, owner)
    return favourite_list


@transaction.atomic
def update_list(favourite_list: FavouriteList, actor, *, name: str, is_shared: bool) -> FavouriteList:
    """Rename and share or stop sharing; sharing again gives a new link (the old one stops working)."""
    if is_shared and not favourite_list.is_shared:
        favourite_list.share_token = new_token()
    favourite_list.name = name
    favourite_list.is_shared = is_shared
    favourite_list.save()
    record_event(EventType.FAVOURITE_LIST_UPDATED, favourite_list, actor, is_shared=is_shared)
    return favourite_list


@transaction.atomic
def delete_list(favourite_list: FavouriteList, actor) -> None:
    record_event(EventType.FAVOURITE_LIST_DELETED, favourite_list, actor)
    favourite_list.delete()


@transaction.atomic
def add_favourite(favourite_list: FavouriteList, initiative, actor) -> bool:
    """True when the initiative was added (False: it already was in the list)."""
    if favourite_list.items.count() >= MAX_ITEMS_PER_LIST:
        raise FavouriteError("items")
    _item, created = FavouriteItem.objects.get_or_create(favourite_list=favourite_list, initiative=initiative)
    if created:
        FavouriteList.objects.filter(pk=favourite_list.pk).update(updated_at=timezone.now())
        record_event(EventType.FAVOURITE_ADDED, favourite_list, actor, initiative=initiative.pk)
    return created


@transaction.atomic
def remove_favourite(favourite_list: FavouriteList, initiative_id: int, actor) -> bool:
    deleted, _details = FavouriteItem.objects.filter(
        favourite_list=favourite_list, initiative_id=initiative_id
    ).delete()
    if deleted:
        record_event(EventType.FAVOURITE_REMOVED, favourite_list, actor, initiative=initiative_id)
    return bool(deleted)


# Weekly digest ---------------------------------------------------------------------------------------------------


@transaction.atomic
def set_digest(user, enabled: bool, actor=None, one_click: bool = False) -> bool:
    """Subscribe to or unsubscribe from the weekly digest; True when something changed."""
    if enabled:
        _subscription, changed = DigestSubscription.objects.get_or_create(user=user)
    else:
        changed = bool(DigestSubscription.objects.filter(user=user).delete()[0])
    if changed:
        record_event(EventType.FOLLOW_DIGEST_CHANGED, None, actor, user=user.pk, enabled=enabled, one_click=one_click)
    return changed


def mark_notifications_read(user, now=None) -> int:
    return user.notifications.filter(read_at__isnull=True).update(read_at=now or timezone.now())
