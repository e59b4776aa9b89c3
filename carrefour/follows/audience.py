"""Who follows what a change touches, in a few queries for a whole batch of initiatives or organisations.

An initiative concerns the people who follow it, those who follow one of its organisations, and those who follow a
territory one of its places lies in (commune, EPCI, département, région), as the sheet stands now. A person who
follows it several ways is counted once, for the most specific reason (the initiative, then the organisation, then the
smallest territory), which is the one the notification names.
"""

from collections import defaultdict
from dataclasses import dataclass

from carrefour.catalog.models import Initiative, Location, Stakeholder
from carrefour.follows import territories
from carrefour.follows.models import Follow, FollowKind

TERRITORY_RANK = {"commune": 2, "epci": 3, "departement": 4, "region": 5}


@dataclass(frozen=True)
class Reason:
    """Why a person hears of a change: `kind` is a FollowKind; `label` names the organisation or the territory."""

    kind: str
    label: str = ""
    rank: int = 0


BY_INITIATIVE = Reason(FollowKind.INITIATIVE)
Audience = dict[int, Reason]  # user id → why


def _keep(audience: Audience, user_id: int, reason: Reason) -> None:
    current = audience.get(user_id)
    if current is None or reason.rank < current.rank:
        audience[user_id] = reason


def _by_organisation(audiences: dict[int, Audience], initiative_ids) -> None:
    stakes = Stakeholder.objects.filter(initiative_id__in=initiative_ids).values_list(
        "initiative_id", "organisation_id", "organisation__name"
    )
    initiatives_of: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for initiative_id, organisation_id, name in stakes:
        initiatives_of[organisation_id].add(initiative_id)
        names[organisation_id] = name
    follows = Follow.objects.filter(kind=FollowKind.ORGANISATION, organisation_id__in=initiatives_of)
    for user_id, organisation_id in follows.values_list("user_id", "organisation_id"):
        reason = Reason(FollowKind.ORGANISATION, names[organisation_id], 1)
        for initiative_id in initiatives_of[organisation_id]:
            _keep(audiences[initiative_id], user_id, reason)


def _by_territory(audiences: dict[int, Audience], initiative_ids) -> None:
    places = Location.objects.filter(initiative_id__in=initiative_ids).values_list(
        "initiative_id", "commune_id", "commune__epci_id", "commune__departement_id", "commune__region_id"
    )
    initiatives_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    for initiative_id, commune, epci, departement, region in places:
        for level, code in (("commune", commune), ("epci", epci), ("departement", departement), ("region", region)):
            if code:
                initiatives_in[(level, code)].add(initiative_id)
    if not initiatives_in:
        return
    codes = {code for _level, code in initiatives_in}
    follows = Follow.objects.filter(kind=FollowKind.TERRITORY, territory_code__in=codes).values_list(
        "user_id", "territory_level", "territory_code"
    )
    matching = [(user_id, (level, code)) for user_id, level, code in follows if (level, code) in initiatives_in]
    names = territories.names(pair for _user, pair in matching)
    for user_id, pair in matching:
        reason = Reason(FollowKind.TERRITORY, names.get(pair, pair[1]), TERRITORY_RANK[pair[0]])
        for initiative_id in initiatives_in[pair]:
            _keep(audiences[initiative_id], user_id, reason)


def of_initiatives(initiative_ids) -> dict[int, Audience]:
    """For each initiative id: its followers, directly or through an organisation or a territory."""
    ids = set(initiative_ids)
    audiences: dict[int, Audience] = defaultdict(dict)
    if not ids:
        return audiences
    direct = Follow.objects.filter(kind=FollowKind.INITIATIVE, initiative_id__in=ids)
    for user_id, initiative_id in direct.values_list("user_id", "initiative_id"):
        audiences[initiative_id][user_id] = BY_INITIATIVE
    _by_organisation(audiences, ids)
    _by_territory(audiences, ids)
    return audiences


def of_organisations(organisation_ids) -> dict[int, Audience]:
    """For each organisation id that has a published initiative (otherwise its page is not public): its followers."""
    public = set(
        Stakeholder.objects.filter(
            organisation_id__in=set(organisation_ids), initiative__status=Initiative.Status.PUBLISHED
        ).values_list("organisation_id", flat=True)
    )
    audiences: dict[int, Audience] = defaultdict(dict)
    follows = Follow.objects.filter(kind=FollowKind.ORGANISATION, organisation_id__in=public)
    for user_id, organisation_id in follows.values_list("user_id", "organisation_id"):
        audiences[organisation_id][user_id] = Reason(FollowKind.ORGANISATION, "", 1)
    return audiences
