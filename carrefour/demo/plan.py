"""The demo catalogue as a graph of unsaved model instances, built in memory from one `random.Random`."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from carrefour.catalog.models import Initiative, InitiativeLink, Location, Role
from carrefour.catalog.models.initiative import ContactChannel, LinkKind, Status
from carrefour.demo.clock import DemoClock
from carrefour.demo.names import NameMaker, SlugAllocator
from carrefour.demo.organisations import OrganisationFactory, OrgDraft
from carrefour.demo.places import CommunePicker, LocationFactory
from carrefour.demo.provenance import DemoSources
from carrefour.demo.reference import Place, PlaceKind, Reference
from carrefour.demo.terms import TermChoice, TermDrawer
from carrefour.demo.texts import Facts, TextMaker
from carrefour.demo.vocabulary import keyed_entry
from carrefour.sources.models import Source, SourceRecord

STATUSES = (Status.PUBLISHED, Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED)
STATUS_WEIGHTS = (95, 2, 2, 1)
MULTI_LOCATION_RATE = 0.1
SAME_COMMUNE_RATE = 0.5
REPLICATION_RATE = 0.02
SUPPORT_RATE = 0.35
LINK_RATE = 0.25
WEBSITE_RATE = 0.6


@dataclass(eq=False)
class InitiativeDraft:
    initiative: Initiative
    kind: PlaceKind
    created_at: datetime
    updated_at: datetime
    terms: TermChoice
    locations: list[Location] = field(default_factory=list)
    links: list[InitiativeLink] = field(default_factory=list)
    stakes: list[tuple[OrgDraft, str]] = field(default_factory=list)
    record: SourceRecord | None = None
    model: "InitiativeDraft | None" = None


@dataclass
class DemoPlan:
    initiatives: list[InitiativeDraft]
    organisations: list[OrgDraft]
    sources: list[Source]


class Planner:
    def __init__(self, rng: random.Random, reference: Reference, taken: dict[str, set[str]], size: int):
        self._rng = rng
        self._size = size
        self._clock = DemoClock(rng)
        self._picker = CommunePicker(rng, reference.places)
        self._names = NameMaker(rng)
        self._texts = TextMaker(rng)
        self._terms = TermDrawer(rng, reference)
        self._locations = LocationFactory(rng, reference)
        self._sources = DemoSources(rng, self._clock)
        self._slugs = SlugAllocator(taken["initiatives"], max_length=160)
        self._orgs = OrganisationFactory(
            rng,
            reference.org_kinds,
            picker=self._picker,
            names=self._names,
            texts=self._texts,
            clock=self._clock,
            slugs=SlugAllocator(taken["organisations"], max_length=200, fallback="organisation"),
            national_cap=max(3, size // 250),
        )
        self._published_by_kind: dict[PlaceKind, list[InitiativeDraft]] = defaultdict(list)
        self._replications = 0

    def plan(self) -> DemoPlan:
        carriers = self._orgs.carrier_schedule(self._size)
        drafts = [self._draft(index, carrier) for index, carrier in enumerate(carriers)]
        return DemoPlan(drafts, self._orgs.drafts, self._sources.sources)

    def _draft(self, index: int, carrier: OrgDraft) -> InitiativeDraft:
        kind = self._terms.place_kind(index)
        places = self._places(carrier)
        terms = self._terms.choose(index, kind)
        status = Status.PUBLISHED if index < self._terms.coverage else self._draw_status()
        stakes = [(carrier, Role.CARRIER), *self._supporters(carrier, places[0])]
        model = self._model(index, kind)
        facts = Facts(
            name=self._names.initiative(kind, places[0]),
            kind=kind,
            place=places[0],
            start_year=self._start_year(terms),
            themes=terms.themes,
            publics=terms.publics,
            forms=terms.forms,
            stage=terms.stage,
            scale=terms.scale,
            carrier=carrier.organisation.name,
            supporters=[org.organisation.name for org, _ in stakes[1:]],
            model=model.initiative.name if model else "",
        )
        draft = self._initiative(facts, status, terms, kind)
        draft.locations = self._locations.build(places)
        draft.stakes, draft.model = stakes, model
        draft.links = self._links(draft.initiative.slug)
        draft.record = self._sources.maybe_record(draft.initiative, kind, places[0])
        if status == Status.PUBLISHED:
            self._published_by_kind[kind].append(draft)
        return draft

    def _initiative(self, facts: Facts, status: str, terms: TermChoice, kind: PlaceKind) -> InitiativeDraft:
        rng, clock = self._rng, self._clock
        slug = self._slugs.allocate(facts.name)
        activity = rng.choice(kind.entry["activities"])
        website = f"https://www.example.org/initiatives/{slug}" if rng.random() < WEBSITE_RATE else ""
        created_at = clock.past(2400)
        updated_at = clock.between(created_at)
        visible = status in (Status.PUBLISHED, Status.ARCHIVED)
        initiative = Initiative(
            name=facts.name,
            slug=slug,
            summary=self._texts.summary(facts, activity),
            description=self._texts.description(facts, activity),
            stage=terms.stage,
            scale=terms.scale,
            start_year=facts.start_year,
            website=website,
            contact_channel=self._contact_channel(website),
            contact_email=f"contact-{slug[:48].rstrip('-')}@example.org",
            status=status,
            is_demo=True,
            published_at=clock.between(created_at, updated_at) if visible else None,
            last_confirmed_at=clock.between(updated_at) if status == Status.PUBLISHED and rng.random() < 0.5 else None,
        )
        return InitiativeDraft(initiative, kind, created_at, updated_at, terms)

    def _places(self, carrier: OrgDraft) -> list[Place]:
        """The initiative's communes: the carrier's, or one nearby; sometimes 2–4 communes of one département."""
        place = carrier.place
        if carrier.has_located_initiative and self._rng.random() >= SAME_COMMUNE_RATE:
            place = self._picker.pick_near(place)
        carrier.has_located_initiative = True
        if self._rng.random() >= MULTI_LOCATION_RATE:
            return [place]
        return [place, *self._picker.pick_distinct_near(place, self._rng.randint(1, 3))]

    def _supporters(self, carrier: OrgDraft, place: Place) -> list[tuple[OrgDraft, str]]:
        if self._rng.random() >= SUPPORT_RATE:
            return []
        stakes: list[tuple[OrgDraft, str]] = []
        for _ in range(self._rng.choice((1, 1, 2))):
            role = Role.FUNDER if self._rng.random() < 0.55 else Role.PARTNER
            org = self._orgs.supporter("funder" if role == Role.FUNDER else "partner", place)
            if org is not carrier and all(org is not other for other, _ in stakes):
                stakes.append((org, role))
        return stakes

    def _model(self, index: int, kind: PlaceKind) -> InitiativeDraft | None:
        """The published initiative of the same type this one was replicated from (≈ 2 %, at least one)."""
        candidates = self._published_by_kind[kind]
        late_and_none_yet = self._replications == 0 and index >= self._size * 0.9
        if not candidates or not (late_and_none_yet or self._rng.random() < REPLICATION_RATE):
            return None
        self._replications += 1
        return self._rng.choice(candidates)

    def _start_year(self, terms: TermChoice) -> int:
        stage = terms.stage
        texts = (stage.code, stage.label) if stage else ()
        return self._rng.randint(*keyed_entry("common", "stage_years", *texts))

    def _draw_status(self) -> str:
        return self._rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]

    def _contact_channel(self, website: str) -> str:
        if website and self._rng.random() < 0.2:
            return ContactChannel.WEBSITE
        return ContactChannel.ORGANISATION if self._rng.random() < 0.05 else ContactChannel.RELAY

    def _links(self, slug: str) -> list[InitiativeLink]:
        if self._rng.random() >= LINK_RATE:
            return []
        kinds = self._rng.sample(list(LinkKind), k=self._rng.randint(1, 2))
        return [InitiativeLink(kind=kind, url=f"https://www.example.org/{kind}/{slug}") for kind in kinds]
