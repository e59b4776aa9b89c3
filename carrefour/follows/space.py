"""The sections of « Mon espace »: « Mes suivis » (with the unread notifications) and « Mes listes de favoris »;
the follows part of the account export; what goes when an account is deleted."""

from carrefour.accounts.space import SpaceSection
from carrefour.accounts.space import register as register_section

RECENT = 5


def _follows(request) -> dict:
    from carrefour.follows.views_follow import follows_context

    recent = request.user.notifications.select_related("initiative", "organisation")[:RECENT]
    return {**follows_context(request.user), "recent": recent}


def _lists(request) -> dict:
    return {"lists": request.user.favourite_lists.all()}


def _when(value):
    return value.isoformat() if value else None


def export_follows(user) -> tuple[str, dict]:
    return "follows", {
        "follows": [
            {
                "kind": follow.kind,
                "initiative": follow.initiative.slug if follow.initiative_id else None,
                "organisation": follow.organisation.slug if follow.organisation_id else None,
                "territory": f"{follow.territory_level}:{follow.territory_code}" if follow.territory_code else None,
                "created_at": _when(follow.created_at),
            }
            for follow in user.follows.select_related("initiative", "organisation").order_by("created_at")
        ],
        "favourite_lists": [
            {
                "name": favourite_list.name,
                "is_shared": favourite_list.is_shared,
                "created_at": _when(favourite_list.created_at),
                "initiatives": [item.initiative.slug for item in favourite_list.items.select_related("initiative")],
            }
            for favourite_list in user.favourite_lists.order_by("created_at")
        ],
        "notifications": [
            {"summary": item.summary, "created_at": _when(item.created_at), "read_at": _when(item.read_at)}
            for item in user.notifications.order_by("created_at")
        ],
        "weekly_digest": hasattr(user, "follow_digest") and user.follow_digest is not None,
    }


def forget_account(sender, user, **kwargs) -> None:
    """`account_deleting` receiver: follows, lists (and their share links), notifications and the digest go."""
    from carrefour.follows.models import DigestSubscription, FavouriteList, Follow, Notification

    Follow.objects.filter(user=user).delete()
    FavouriteList.objects.filter(owner=user).delete()
    Notification.objects.filter(user=user).delete()
    DigestSubscription.objects.filter(user=user).delete()


def register() -> None:
    from carrefour.accounts.export import EXPORT_SECTIONS

    authenticated = lambda request: request.user.is_authenticated  # noqa: E731
    register_section(
        SpaceSection(
            key="follows", template="follows/space_follows.html", order=60, context=_follows, visible=authenticated
        )
    )
    register_section(
        SpaceSection(
            key="favourites", template="follows/space_lists.html", order=65, context=_lists, visible=authenticated
        )
    )
    if export_follows not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(export_follows)
