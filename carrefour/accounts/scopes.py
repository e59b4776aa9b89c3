"""Facts behind the roles: who carries, curates or moderates which object."""

from allauth.account.models import EmailAddress

from carrefour.accounts.models import InitiativeHolder, Role, RoleGrant
from carrefour.catalog.models import Initiative, Organisation, Term
from carrefour.sources.models import Source


def initiative_of(obj) -> Initiative | None:
    """The initiative an object is about: itself, or its `initiative` (a revision, a claim, a report…)."""
    if isinstance(obj, Initiative):
        return obj
    initiative = getattr(obj, "initiative", None)
    return initiative if isinstance(initiative, Initiative) else None


def organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    organisation = getattr(obj, "organisation", None)
    return organisation if isinstance(organisation, Organisation) else None


def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def is_administrator(user) -> bool:
    return user.is_superuser or RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()


def is_holder(user, obj=None) -> bool:
    holdings = InitiativeHolder.objects.filter(user=user)
    if obj is None:
        return holdings.exists()
    initiative = initiative_of(obj)
    return initiative is not None and holdings.filter(initiative=initiative).exists()


def is_curator(user, obj=None) -> bool:
    grants = RoleGrant.objects.filter(user=user, role=Role.CURATOR)
    if obj is None:
        return grants.exists()
    if isinstance(obj, Source):
        return grants.filter(source=obj).exists()
    organisation = organisation_of(obj)
    if organisation is not None:
        return grants.filter(organisation=organisation).exists()
    initiative = initiative_of(obj)
    if initiative is None:
        return False
    sources = initiative.source_records.values("source_id")
    organisations = initiative.stakeholders.values("organisation_id")
    return grants.filter(source_id__in=sources).exists() or grants.filter(organisation_id__in=organisations).exists()


def theme_ids_with_descendants(theme_ids: set[int]) -> set[int]:
    covered, frontier = set(theme_ids), set(theme_ids)
    while frontier:
        frontier = set(Term.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - covered
        covered |= frontier
    return covered


def _initiatives_of(obj) -> list[Initiative]:
    initiative = initiative_of(obj)
    if initiative is not None:
        return [initiative]
    organisation = organisation_of(obj)
    if organisation is not None:
        return list(Initiative.objects.filter(stakeholders__organisation=organisation).distinct())
    return []


def _grant_covers(grant: RoleGrant, obj) -> bool:
    theme_ids = {term.pk for term in grant.themes.all()}
    region_codes = {region.pk for region in grant.regions.all()}
    if not theme_ids and not region_codes:
        return True
    if obj is None:
        return False
    organisation = organisation_of(obj)
    if organisation is not None and organisation.commune_id is not None and region_codes:
        if organisation.commune.region_id in region_codes:
            return True
    covered_themes = theme_ids_with_descendants(theme_ids) if theme_ids else set()
    for initiative in _initiatives_of(obj):
        if covered_themes and initiative.themes.filter(pk__in=covered_themes).exists():
            return True
        if region_codes and initiative.locations.filter(commune__region_id__in=region_codes).exists():
            return True
    return False


def is_moderator(user, obj=None, *, in_scope: bool = False) -> bool:
    """A moderator at all (`in_scope=False`), or one whose scope covers `obj` (without `obj`: an unscoped one)."""
    grants = RoleGrant.objects.filter(user=user, role=Role.MODERATOR).prefetch_related("themes", "regions")
    if not in_scope:
        return grants.exists()
    return any(_grant_covers(grant, obj) for grant in grants)
