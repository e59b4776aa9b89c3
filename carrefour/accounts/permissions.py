"""The permission API every view uses, driven by data/permissions.yaml.

can(user, "initiative.edit_directly", initiative) -> bool
require(user, action, obj=None)                    raises PermissionDenied
@permission_required(action, get_object=...)       for function views
roles_of(user, obj=None) -> set[Role]
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from carrefour.accounts import scopes
from carrefour.accounts.models import Role
from carrefour.accounts.rules import AUTHENTICATED, EVERYONE, action_rule


def roles_of(user, obj=None) -> set[Role]:
    """The roles a user holds; with an object, holder/curator/moderator only count when they apply to that object."""
    if not scopes.is_active_user(user):
        return set()
    roles: set[Role] = set()
    if scopes.is_administrator(user):
        roles |= {Role.ADMINISTRATOR, Role.CONTRIBUTOR}
    elif scopes.has_verified_email(user):
        roles.add(Role.CONTRIBUTOR)
    if scopes.is_holder(user, obj):
        roles.add(Role.HOLDER)
    if scopes.is_curator(user, obj):
        roles.add(Role.CURATOR)
    if scopes.is_moderator(user, obj, in_scope=obj is not None):
        roles.add(Role.MODERATOR)
    return roles


def _meets(user, role: str, condition: str, obj) -> bool:
    if role == Role.CONTRIBUTOR:
        return scopes.has_verified_email(user) or scopes.is_administrator(user)
    if role == Role.ADMINISTRATOR:
        return scopes.is_administrator(user)
    if condition in ("holder", "curator") and obj is None:
        return False
    if role == Role.HOLDER:
        return scopes.is_holder(user, obj if condition == "holder" else None)
    if role == Role.CURATOR:
        return scopes.is_curator(user, obj if condition == "curator" else None)
    if role == Role.MODERATOR:
        return scopes.is_moderator(user, obj, in_scope=condition == "scope")
    return False


def can(user, action: str, obj=None) -> bool:
    """May `user` perform `action` (on `obj`)? Unknown actions raise ValueError."""
    rule = action_rule(action)
    if EVERYONE in rule.allow:
        return True
    if not scopes.is_active_user(user):
        return False
    if AUTHENTICATED in rule.allow:
        return True
    # Holder and curator conditions fail without an object; a scoped moderator needs one too (see scopes).
    return any(_meets(user, role, condition, obj) for role, condition in rule.allow.items())


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


def permission_required(action: str, get_object=None):
    """Guard a function view: anonymous → login page with ?next=, forbidden → 403.

    `get_object(request, **kwargs)` returns the object the action applies to (or raises Http404); the view finds it
    again in `request.permission_object`.
    """
    rule = action_rule(action)  # an unknown action fails at import time, not at the first request

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if EVERYONE not in rule.allow and not request.user.is_authenticated:
                # Before looking the object up: an anonymous visitor learns nothing about which objects exist.
                return redirect_to_login(request.get_full_path())
            obj = get_object(request, **kwargs) if get_object is not None else None
            request.permission_object = obj
            if can(request.user, action, obj):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(action)

        return guarded

    return decorator
