"""Who follows what a change touches, in a few queries for a whole batch of initiatives or organisations.

An initiative concerns the people who follow it, those who follow one of its organisations, and those who follow a
territory one of its places lies in (commune, EPCI, département, région), as the sheet stands now. A person who
follows it several ways is counted once, for the most specific reason (the initiative, then the organisation, then the
smallest territory), which is the one the notification names.

When an edit moved the sheet (`before`: the communes its places were in before), the followers of a territory it
left hear of it too (`move` "left", after every other reason), and those of a territory it entered are told it
arrived (`move` "arrived").
"""

from collections import defaultdict
from dataclasses import dataclass

from carrefour.catalog.models import Initiative, Location, Stakeholder
from carrefour.follows import territories
from carrefour.follows.models import Follow, FollowKind
from carrefour.territories.models import Commune

TERRITORY_RANK = {"commune": 2, "epci": 3, "departement": 4, "region": 5}
LEFT_RANK = 10  # added to a left territory's rank: any current reason comes first
LEFT, ARRIVED = "left", "arrived"


@dataclass(frozen=True)
class Reason:
    """Why a person hears of a change: `kind` is a FollowKind; `label` names the organisation or the territory;
    `move` says whether the sheet just left ("left") or entered ("arrived") that territory."""

    kind: str
    label: str = ""
    rank: int = 0
    move: str = ""


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


Pairs = dict[tuple[str, str], set[int]]  # (level, code) → initiative ids


def _pairs(rows) -> Pairs:
    """Every territory of each (initiative id, commune, EPCI, département, région) row."""
    found: Pairs = defaultdict(set)
    for initiative_id, commune, epci, departement, region in rows:
        for level, code in (("commune", commune), ("epci", epci), ("departement", departement), ("region", region)):
            if code:
                found[(level, code)].add(initiative_id)
    return found


def _former_pairs(before: dict[int, set[str]]) -> Pairs:
    initiatives_of: dict[str, set[int]] = defaultdict(set)
    for initiative_id, communes in before.items():
        for code in communes:
            initiatives_of[code].add(initiative_id)
    rows = Commune.objects.filter(pk__in=initiatives_of).values_list("pk", "epci_id", "departement_id", "region_id")
    return _pairs(
        (initiative_id, commune, epci, departement, region)
        for commune, epci, departement, region in rows
        for initiative_id in initiatives_of[commune]
    )


def _by_territory(audiences: dict[int, Audience], initiative_ids, before: dict[int, set[str]]) -> None:
    places = Location.objects.filter(initiative_id__in=initiative_ids).values_list(
        "initiative_id", "commune_id", "commune__epci_id", "commune__departement_id", "commune__region_id"
    )
    initiatives_in = _pairs(places)
    moved = {pk: communes for pk, communes in before.items() if pk in initiative_ids}
    former = _former_pairs(moved) if moved else {}
    left = {pair: ids - initiatives_in.get(pair, set()) for pair, ids in former.items()}
    left = {pair: ids for pair, ids in left.items() if ids}
    wanted = set(initiatives_in) | set(left)
    if not wanted:
        return
    follows = Follow.objects.filter(
        kind=FollowKind.TERRITORY, territory_code__in={code for _level, code in wanted}
    ).values_list("user_id", "territory_level", "territory_code")
    matching = [(user_id, (level, code)) for user_id, level, code in follows if (level, code) in wanted]
    names = territories.names(pair for _user, pair in matching)
    for user_id, pair in matching:
        label, rank = names.get(pair, pair[1]), TERRITORY_RANK[pair[0]]
        for initiative_id in initiatives_in.get(pair, ()):
            move = ARRIVED if initiative_id in moved and initiative_id not in former.get(pair, ()) else ""
            _keep(audiences[initiative_id], user_id, Reason(FollowKind.TERRITORY, label, rank, move))
        for initiative_id in left.get(pair, ()):
            _keep(audiences[initiative_id], user_id, Reason(FollowKind.TERRITORY, label, rank + LEFT_RANK, LEFT))


def of_initiatives(initiative_ids, before: dict[int, set[str]] | None = None) -> dict[int, Audience]:
    """For each initiative id: its followers, directly or through an organisation or a territory (one it lies in,
    or, for an initiative moved by the changes being told, one it left: `before` maps it to its former communes)."""
    ids = set(initiative_ids)
    audiences: dict[int, Audience] = defaultdict(dict)
    if not ids:
        return audiences
    direct = Follow.objects.filter(kind=FollowKind.INITIATIVE, initiative_id__in=ids)
    for user_id, initiative_id in direct.values_list("user_id", "initiative_id"):
        audiences[initiative_id][user_id] = BY_INITIATIVE
    _by_organisation(audiences, ids)
    _by_territory(audiences, ids, before or {})
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
