"""Loader of the one permission file, data/permissions.yaml: actions (roles × conditions) and the URL map."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

from carrefour.accounts.models import Role

PERMISSIONS_FILE = Path(__file__).resolve().parent / "data" / "permissions.yaml"

EVERYONE = "visitor"
AUTHENTICATED = "authenticated"
ROLE_NAMES = {EVERYONE, AUTHENTICATED, *Role.values}
CONDITIONS = {"any", "holder", "curator", "scope"}
READ = "read"


@dataclass(frozen=True)
class ActionRule:
    action: str
    description: str
    allow: dict[str, str]


@dataclass(frozen=True)
class UrlEntry:
    key: str
    read: bool = False
    action: str = ""
    object_kind: str = ""
    kwargs: dict[str, str] = field(default_factory=dict)
    delegated: str = ""


@dataclass(frozen=True)
class PermissionFile:
    actions: dict[str, ActionRule]
    urls: dict[str, UrlEntry]


def _fail(message: str):
    raise ImproperlyConfigured(f"{PERMISSIONS_FILE.name}: {message}")


def _parse_action(name: str, raw) -> ActionRule:
    if not isinstance(raw, dict) or not isinstance(raw.get("allow"), dict) or not raw["allow"]:
        _fail(f"action {name!r} needs a non-empty `allow:` map of role → condition")
    for role, condition in raw["allow"].items():
        if role not in ROLE_NAMES:
            _fail(f"action {name!r}: unknown role {role!r} (known: {', '.join(sorted(ROLE_NAMES))})")
        if condition not in CONDITIONS:
            _fail(f"action {name!r}: unknown condition {condition!r} for role {role!r}")
    return ActionRule(action=name, description=str(raw.get("description", "")), allow=dict(raw["allow"]))


def _parse_url(key: str, raw, actions: dict[str, ActionRule]) -> UrlEntry:
    if raw == READ:
        return UrlEntry(key=key, read=True)
    if not isinstance(raw, dict):
        _fail(f"URL {key!r}: expected `read` or a map with `action:` or `delegated:`")
    if raw.get("delegated"):
        if "*" not in key:
            _fail(f"URL {key!r}: only wildcard entries may be delegated")
        return UrlEntry(key=key, delegated=str(raw["delegated"]))
    action = raw.get("action")
    if action not in actions:
        _fail(f"URL {key!r}: unknown action {action!r}")
    kwargs = raw.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        _fail(f"URL {key!r}: `kwargs:` must map URL kwargs to attribute paths")
    return UrlEntry(key=key, action=action, object_kind=str(raw.get("object") or ""), kwargs=dict(kwargs))


@cache
def permission_file() -> PermissionFile:
    raw = yaml.safe_load(PERMISSIONS_FILE.read_text(encoding="utf-8")) or {}
    actions = {name: _parse_action(name, value) for name, value in (raw.get("actions") or {}).items()}
    urls = {str(key): _parse_url(str(key), value, actions) for key, value in (raw.get("urls") or {}).items()}
    return PermissionFile(actions=actions, urls=urls)


def action_rule(action: str) -> ActionRule:
    try:
        return permission_file().actions[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}: declare it in {PERMISSIONS_FILE.name}") from None
