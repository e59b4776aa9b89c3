"""The permission matrix (R-SEC-05, R-SEC-21): every URL pattern is in permissions.yaml, and every mutating URL
answers each role as the file says: anonymous → login page, not allowed → 403, allowed → anything else."""

from fnmatch import fnmatchcase
from functools import reduce

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carrefour.accounts import scopes
from carrefour.accounts.rules import permission_file
from carrefour.territories.models import Region
from tests import factories

ROLES = [
    "anonymous",
    "contributor",
    "holder",
    "other_contributor",
    "curator",
    "moderator_in_scope",
    "moderator_out_of_scope",
    "administrator",
]


def walk(resolver: URLResolver | None = None, namespace: str = "", prefix: str = "", kwargs: tuple = ()):
    """(key, route, kwarg names) of every URL pattern, included ones too."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + tuple(getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            child_namespace = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
            yield from walk(entry, child_namespace, route, names)
        elif isinstance(entry, URLPattern):
            # Unnamed patterns go by their route, inside their namespace (so `admin:*` covers the admin's).
            key = ":".join(filter(None, [namespace, entry.name or "/" + route]))
            yield key, route, names


def entry_for(key: str):
    urls = permission_file().urls
    if key in urls:
        return urls[key]
    return next((entry for pattern, entry in urls.items() if "*" in pattern and fnmatchcase(key, pattern)), None)


def test_every_url_pattern_is_in_the_permission_file():
    patterns = list(walk())
    assert any(key.startswith("admin:") for key, _route, _names in patterns)  # the walk does reach includes
    missing = sorted({key for key, _route, _names in patterns if entry_for(key) is None})
    assert not missing, f"URL patterns missing from carrefour/accounts/data/permissions.yaml: {', '.join(missing)}"


def test_the_permission_file_names_no_url_that_does_not_exist():
    keys = {key for key, _route, _names in walk()}
    stale = [key for key in permission_file().urls if "*" not in key and key not in keys]
    assert not stale, f"permissions.yaml lists URLs that no longer exist: {', '.join(stale)}"


def test_every_mutating_url_with_kwargs_names_its_object_kind():
    for key, _route, names in walk():
        entry = entry_for(key)
        if entry and entry.action and names:
            assert entry.object_kind, f"{key} takes {names}: give it an `object:` kind in permissions.yaml"


def mutating_urls():
    kwargs_of = {key: names for key, _route, names in walk()}
    return [
        pytest.param(entry, kwargs_of.get(entry.key, ()), id=entry.key)
        for entry in permission_file().urls.values()
        if entry.action
    ]


def expected_allowed(role: str, allow: dict[str, str], obj) -> bool:
    """Read straight from the file: which conditions does each test person satisfy for this object?"""
    if "visitor" in allow:
        return True
    if role == "anonymous":
        return False
    if "authenticated" in allow or "contributor" in allow:
        return True  # every other test person is a verified contributor
    related = scopes.initiative_of(obj) is not None or scopes.organisation_of(obj) is not None
    satisfied = {
        "holder": {"holder": {"any", "holder"} if scopes.initiative_of(obj) else {"any"}},
        "curator": {"curator": {"any", "curator"} if related else {"any"}},
        "moderator_in_scope": {"moderator": {"any", "scope"}},
        "moderator_out_of_scope": {"moderator": {"any"}},
        "administrator": {"administrator": {"any"}},
    }.get(role, {})
    return any(condition in satisfied.get(name, set()) for name, condition in allow.items())


def person(role: str, obj):
    initiative = scopes.initiative_of(obj)
    organisation = scopes.organisation_of(obj)
    if organisation is None and initiative is not None:
        organisation = initiative.stakeholders.first().organisation if initiative.stakeholders.exists() else None
    regions_here = Region.objects.filter(communes__locations__initiative=initiative).distinct() if initiative else []
    if role in ("contributor", "other_contributor"):
        return factories.make_user()
    if role == "holder":
        return factories.make_holder(initiative).user if initiative else factories.make_user()
    if role == "curator":
        organisation = organisation or factories.make_organisation("Organisation sans lien")
        return factories.make_curator(organisation=organisation)
    if role == "moderator_in_scope":
        return factories.make_moderator(regions=list(regions_here)[:1]) if initiative else factories.make_moderator()
    if role == "moderator_out_of_scope":
        elsewhere = Region.objects.exclude(pk__in=[region.pk for region in regions_here]).order_by("code").first()
        return factories.make_moderator(regions=[elsewhere])
    if role == "administrator":
        return factories.make_administrator()
    raise AssertionError(role)


def attribute(obj, path: str):
    return reduce(getattr, path.split("."), obj)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("entry", "kwarg_names"), mutating_urls())
def test_mutating_url_answers_each_role_as_the_permission_file_says(client, role, entry, kwarg_names):
    obj = None
    if entry.object_kind:
        make = getattr(factories, f"make_{entry.object_kind}", None)
        assert make is not None, f"tests/factories.py needs make_{entry.object_kind}() for {entry.key}"
        obj = make()
    kwargs = {name: attribute(obj, entry.kwargs.get(name, name)) for name in kwarg_names}
    url = reverse(entry.key, kwargs=kwargs)
    user = None if role == "anonymous" else person(role, obj)
    if user is not None:
        if role in ("moderator_in_scope", "moderator_out_of_scope", "administrator"):
            factories.login_with_second_factor(client, user)
        else:
            client.force_login(user)

    response = client.post(url, {})

    login_url = reverse("account_login")
    to_login = response.status_code == 302 and response["Location"].startswith(login_url)
    allowed = expected_allowed(role, permission_file().actions[entry.action].allow, obj)
    if role == "anonymous" and not allowed:
        assert to_login, f"{entry.key}: anonymous got {response.status_code}, expected a redirect to {login_url}"
    elif not allowed:
        assert response.status_code == 403, f"{entry.key} as {role}: got {response.status_code}, expected 403"
    else:
        assert response.status_code != 403 and not to_login, f"{entry.key} as {role}: refused ({response.status_code})"
