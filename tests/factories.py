"""Small factories producing French catalogue data through the catalogue actions."""

from carrefour.catalog import actions
from carrefour.catalog.models import Initiative, Location, Organisation, Role, Stakeholder, Term, Vocabulary
from carrefour.territories.models import Commune


def term(vocabulary: str, index: int = 0) -> Term:
    return Term.objects.filter(vocabulary=vocabulary, is_active=True).order_by("position", "code")[index]


def make_organisation(name: str = "Association Les Jardins du Lien", **fields) -> Organisation:
    organisation = Organisation(name=name, **fields)
    return actions.save_organisation(organisation)


def make_initiative(
    name: str = "Repair Café de Quimper",
    commune_code: str = "29232",
    status: str = Initiative.Status.PUBLISHED,
    organisation: Organisation | None = None,
    **fields,
) -> Initiative:
    fields.setdefault("summary", "Un atelier mensuel où des bénévoles aident chacun à réparer ses objets du quotidien.")
    fields.setdefault(
        "description",
        "## Ce que nous faisons\n\nChaque premier samedi du mois, des **bénévoles** accueillent les habitants.\n\n"
        "- petit électroménager\n- vélos\n- vêtements",
    )
    initiative = actions.save_initiative(Initiative(name=name, status=status, **fields))
    commune = Commune.objects.get(code=commune_code)
    Location.objects.create(
        initiative=initiative,
        commune=commune,
        address="2 rue de la Paix",
        postal_code=commune.postal_codes.values_list("code", flat=True).first() or "",
        latitude=commune.latitude,
        longitude=commune.longitude,
    )
    initiative.themes.add(term(Vocabulary.THEME))
    initiative.publics.add(term(Vocabulary.PUBLIC))
    initiative.place_types.add(term(Vocabulary.PLACE_TYPE))
    if organisation is None:
        organisation = make_organisation(f"Association {name}")
    Stakeholder.objects.create(initiative=initiative, organisation=organisation, role=Role.CARRIER)
    return initiative


# accounts and roles ---------------------------------------------------------------------------------------------
PASSWORD = "une phrase de passe assez longue 2026"


def make_user(email: str | None = None, *, verified: bool = True, password: str = PASSWORD, **fields):
    """An account with a primary e-mail (verified by default: a contributor)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    email = email or f"camille.{User.objects.count() + 1}@exemple.fr"
    user = User.objects.create_user(username=email[:150], email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def make_membership(user=None, organisation=None, role_label: str = "Coordinatrice"):
    from carrefour.accounts.actions import add_membership

    return add_membership(
        user or make_user(), organisation or make_organisation("Régie de quartier du Blosne"), role_label
    )


def make_holder(initiative=None, user=None):
    from carrefour.accounts.actions import add_holder

    return add_holder(initiative or make_initiative(), user or make_user())


def make_moderator(email: str | None = None, *, themes=(), regions=()):
    """A moderator; no theme and no région means everything."""
    from carrefour.accounts.actions import grant_role
    from carrefour.accounts.models import Role

    user = make_user(email)
    grant_role(user, Role.MODERATOR, themes=themes, regions=regions)
    return user


def make_curator(email: str | None = None, *, organisation=None, source=None):
    from carrefour.accounts.actions import grant_role
    from carrefour.accounts.models import Role

    user = make_user(email)
    grant_role(user, Role.CURATOR, organisation=organisation, source=source)
    return user


def make_administrator(email: str | None = None):
    from carrefour.accounts.actions import grant_role
    from carrefour.accounts.models import Role

    user = make_user(email, is_staff=True)
    grant_role(user, Role.ADMINISTRATOR)
    return user


def login_with_second_factor(client, user):
    """Log `user` in as if they had typed their TOTP code: what /moderation/ and /admin/ require of staff."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, generate_totp_secret()).instance
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return user


# contributions and moderation -----------------------------------------------------------------------------------


def make_proposal(author=None, name: str = "Épicerie solidaire des Capucins"):
    """A draft proposal (a draft sheet and its pending proposal revision), complete enough to be submitted."""
    from carrefour.contributions import actions as contribution_actions

    data = {
        "name": name,
        "summary": "Une épicerie où chacun paie selon ses moyens, tenue par des bénévoles du quartier.",
        "description": "Ouverte trois jours par semaine.",
        "carrier": {"id": None, "name": "Association Capucins Solidaires"},
        "locations": [{"commune": "29019", "address": "", "postal_code": "", "label": ""}],
        "themes": [term(Vocabulary.THEME).code],
        "contact_channel": "relay",
        "contact_email": "contact@capucins-solidaires.fr",
    }
    return contribution_actions.start_proposal(author or make_user(), data)


def make_suggested_edit(initiative=None, author=None):
    """A pending suggested edit of a published sheet."""
    from carrefour.contributions import actions as contribution_actions
    from carrefour.contributions.snapshot import snapshot

    initiative = initiative or make_initiative()
    data = {**snapshot(initiative), "summary": "Un atelier où l'on répare ensemble, chaque premier samedi du mois."}
    return contribution_actions.suggest_edit(initiative, data, author or make_user(), initiative.version)


def make_applied_revision(initiative=None, author=None):
    """A direct edit already published (a line of the sheet's history)."""
    from carrefour.contributions import actions as contribution_actions
    from carrefour.contributions.snapshot import snapshot

    initiative = initiative or make_initiative()
    data = {**snapshot(initiative), "description": "Nouvelle présentation rédigée par l'équipe."}
    return contribution_actions.direct_edit(initiative, data, author, initiative.version)


def make_claim(initiative=None, user=None):
    from carrefour.contributions import actions as contribution_actions

    return contribution_actions.claim(
        initiative or make_initiative(), user or make_user(), "Je coordonne l'atelier depuis 2021."
    )


def make_person():
    """Someone whose contributions a moderator may revert (the object of « annuler ses modifications »)."""
    return make_user()


# partner sources and imports
SOURCE_TEST_CONFIG = {
    "name": "Réseau test des tiers-lieux",
    "slug": "reseau-test",
    "licence": "etalab-2.0",
    "attribution": "Réseau test",
    "connector": {"type": "csv", "options": {"encoding": "utf-8"}},
    "row_policy": "lenient",
    "personal_data": "strict",
    "id": "id",
    "fields": {
        "name": "nom",
        "description": "description",
        "insee_code": "code_insee",
        "latitude": "latitude",
        "longitude": "longitude",
        "email": "courriel",
        "phone": "telephone",
        "tags": {"column": "thematique", "split": ";"},
    },
    "recode": {"table": {"Réemploi": ["theme:CON-REE"], "Lien social": ["theme:SOL-LIE"]}},
}
SOURCE_TEST_PLACES = [
    ("29232", 47.996, -4.102),
    ("75056", 48.857, 2.352),
    ("69123", 45.764, 4.836),
    ("33063", 44.838, -0.579),
    ("44109", 47.218, -1.554),
    ("35238", 48.111, -1.680),
    ("31555", 43.605, 1.444),
    ("59350", 50.629, 3.057),
    ("67482", 48.573, 7.752),
    ("13055", 43.296, 5.370),
]


def make_source(**overrides):
    from carrefour.sources.config import register_source, validate

    config = {**SOURCE_TEST_CONFIG, **overrides}
    return register_source(validate(config, "test"))


def source_csv_rows(count: int = 10) -> list[dict]:
    rows = []
    for index in range(count):
        code, latitude, longitude = SOURCE_TEST_PLACES[index % len(SOURCE_TEST_PLACES)]
        rows.append(
            {
                "id": f"TL-{index + 1:03d}",
                "nom": f"Tiers-lieu de test numéro {index + 1}",
                "description": "Un lieu partagé où les habitants réparent, apprennent et se retrouvent chaque semaine.",
                "code_insee": code,
                "latitude": str(latitude),
                "longitude": str(longitude),
                "courriel": "contact@tiers-lieu-test.fr",
                "telephone": "01 23 45 67 89",
                "thematique": "Réemploi;Lien social" if index % 2 else "Réemploi;Cuisine",
            }
        )
    return rows


def write_source_csv(path, rows: list[dict], encoding: str = "utf-8", delimiter: str = ","):
    import csv

    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


# deduplication ----------------------------------------------------------------------------------------------------


def make_partner_record(initiative, slug: str = "annuaire-breton", external_id: str = "1", licence: str = "etalab-2.0"):
    """A partner record behind `initiative` (the source is created on first use)."""
    from django.utils import timezone

    from carrefour.sources.models import Source, SourceRecord

    source, _created = Source.objects.get_or_create(slug=slug, defaults={"name": slug.title(), "licence": licence})
    return SourceRecord.objects.create(
        source=source, external_id=external_id, initiative=initiative, fetched_at=timezone.now()
    )


def make_duplicate_candidate():
    """A pending pair of likely duplicates (two published sheets in one commune)."""
    from carrefour.dedup.models import DuplicateCandidate

    first = make_initiative("Recyclerie du Port")
    second = make_initiative("La Recyclerie du Port", organisation=first.stakeholders.first().organisation)
    return DuplicateCandidate.objects.create(first=first, second=second, score=0.9, reasons=["Même nom"])


# messaging and alerts -------------------------------------------------------------------------------------------


def make_saved_search(
    email: str = "alerte.camille@exemple.fr",
    query_string: str = "q=r%C3%A9paration",
    *,
    user=None,
    confirmed: bool = True,
    frequency: str = "weekly",
    label: str = "Réparation",
):
    """A saved search (an e-mail alert), confirmed by default."""
    from django.utils import timezone

    from carrefour.alerts.models import SavedSearch

    return SavedSearch.objects.create(
        user=user,
        email=email,
        query_string=query_string,
        label=label,
        frequency=frequency,
        confirmed_at=timezone.now() if confirmed else None,
    )


# public API -----------------------------------------------------------------------------------------------------


def make_api_source(slug: str = "reseau-tiers-lieux", name: str = "Réseau des tiers-lieux", **fields):
    from carrefour.sources.models import Source

    return Source.objects.create(slug=slug, name=name, **fields)


def make_api_token(source=None, organisation=None, name: str = "Import du réseau", created_by=None):
    """(token, clear value) scoped to `source` (a new source by default) or `organisation`."""
    from carrefour.api.actions import create_token

    if source is None and organisation is None:
        source = make_api_source()
    return create_token(name, source=source, organisation=organisation, actor=created_by or make_user())


def make_sourced_initiative(source, external_id: str = "TL-001", name: str = "Tiers-lieu de la Gare", **fields):
    """A published initiative imported from `source` (its SourceRecord included)."""
    from django.utils import timezone

    from carrefour.sources.models import SourceRecord

    initiative = make_initiative(name, **fields)
    SourceRecord.objects.create(
        source=source,
        external_id=external_id,
        initiative=initiative,
        url=f"https://tiers-lieux.example.fr/lieux/{external_id}",
        fetched_at=timezone.now(),
    )
    return initiative


# contacts, essaimage and follows --------------------------------------------------------------------------------


def make_replication_request(initiative=None, requester=None, *, commune_code: str = "29151", status: str = "sent"):
    """A replication request (« Je veux essaimer ») of `initiative` (a new published sheet by default), sent through
    the action (so its mails are queued), then moved straight to `status` when another one is asked."""
    from carrefour.contacts import actions as contact_actions
    from carrefour.territories.models import Commune

    replication = contact_actions.request_replication(
        initiative or make_initiative("Tiers-lieu nourricier de Morlaix", "29151"),
        requester or make_user(),
        name="Dominique Le Goff",
        organisation="Association Terre en partage",
        commune=Commune.objects.get(pk=commune_code),
        needs=["advice", "visit"],
        message="Nous voulons ouvrir un lieu semblable à Quimperlé et aimerions vous rendre visite au printemps.",
    )
    if status != replication.status:
        type(replication).objects.filter(pk=replication.pk).update(status=status)
        replication.refresh_from_db()
    return replication


def make_favourite_list(owner=None, name: str = "Idées pour le quartier", *, shared: bool = False):
    from carrefour.follows import actions as follow_actions

    owner = owner or make_user()
    favourite_list = follow_actions.create_list(owner, name)
    if shared:
        follow_actions.update_list(favourite_list, owner, name=name, is_shared=True)
    return favourite_list


def make_territory(level: str = "departement", code: str = "29"):
    """A territory as the follow URLs address it (level and code)."""
    from carrefour.follows.territories import find

    return find(level, code)


def make_digest_subscription(user=None):
    """A weekly digest of one's follows (the object of its one-click unsubscribe link)."""
    from carrefour.follows.models import DigestSubscription

    return DigestSubscription.objects.create(user=user or make_user())


# partner sources and imports ------------------------------------------------------------------------------------


def make_import_run(source=None, **fields):
    """A finished import run of `source` (the test source by default)."""
    from django.utils import timezone

    from carrefour.sources.models import ImportRun, RunStatus

    fields.setdefault("status", RunStatus.SUCCEEDED)
    fields.setdefault("counts", {"rows": 10, "created": 10})
    return ImportRun.objects.create(
        source=source or make_source(), started_at=timezone.now(), finished_at=timezone.now(), **fields
    )


def make_sync_conflict(field: str = "name", local_value="Nom corrigé ici", incoming_value="Nom venu de la source"):
    """An open sync conflict on an imported sheet whose `field` was edited here (the local value is on the sheet)."""
    from carrefour.catalog.models import Initiative
    from carrefour.sources.models import SyncConflict

    source = make_source()
    initiative = make_sourced_initiative(source, external_id=f"TL-C{SyncConflict.objects.count() + 1}")
    if field in ("name", "summary", "description", "website", "contact_email"):
        Initiative.objects.filter(pk=initiative.pk).update(**{field: local_value})
    record = initiative.source_records.get()
    return SyncConflict.objects.create(
        record=record, run=make_import_run(source), field=field, local_value=local_value, incoming_value=incoming_value
    )


# personal data -------------------------------------------------------------------------------------------------


def make_rights_request(kind: str = "erasure", *, confirmed: bool = True, email: str = "annaig.morvan@exemple.fr"):
    """A rights request from someone without an account, confirmed by e-mail (in the moderation queue) by default."""
    from carrefour.privacy import requests

    request = requests.submit_request(
        kind=kind,
        name="Annaïg Morvan",
        email=email,
        concerned="Repair Café de Quimper",
        details="Mon adresse personnelle sert de contact sur cette fiche.",
        client_ip="192.0.2.10",
    )
    if confirmed:
        requests.confirm_request(request)
    return request
