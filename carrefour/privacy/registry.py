"""The one registry of personal data (R-GDPR-01): every processing, and every model field that holds personal data.

`PERSONAL_FIELDS` maps "app_label.Model.field" to what the field holds, why, for how long, when it may be public and
how an erasure treats it. The system check `privacy.E001` (checks.py) fails when a field named like personal data, or
any JSON field, is neither here nor in `NOT_PERSONAL`, and when either names a field that does not exist.
`docs/rgpd/registre.md` describes the same processings (a test compares the two lists).

Erasure modes (how `privacy.erasure` finds and removes one person's values):
  blank       a text field: rows whose value contains the person's address or name are emptied
  scrub_json  a JSON field: strings containing the address or name are emptied, wherever they sit
  delete_row  rows whose value contains the address are deleted (the row exists only for that person)
  cascade     goes with the account (a foreign key to the user, or a value derived from it)
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Processing:
    label: str
    purpose: str
    legal_basis: str
    retention: str


@dataclass(frozen=True)
class PersonalField:
    processing: str  # a key of PROCESSINGS
    category: str  # a key of CATEGORIES
    erase: str = "cascade"  # see the module docstring
    public_if: str = ""  # when the value may be shown publicly ("" : never)
    note: str = ""


CATEGORIES = {
    "identity": _("identité (nom, pseudonyme)"),
    "contact": _("coordonnées (adresse électronique, téléphone)"),
    "content": _("contenu rédigé par la personne"),
    "connection": _("données de connexion et de sécurité"),
    "pseudonymous": _("donnée pseudonymisée (empreinte)"),
}

PROCESSINGS = {
    "accounts": Processing(
        _("Comptes"),
        _("Permettre de contribuer, de suivre des fiches et de gérer ses données."),
        _("Contrat (art. 6.1.b)"),
        _("Jusqu'à la suppression du compte ; compte inactif averti à 23 mois, supprimé à 24 mois."),
    ),
    "sheet_contacts": Processing(
        _("Coordonnées des fiches"),
        _("Transmettre les messages de mise en relation aux porteur·euses d'une initiative."),
        _("Intérêt légitime (art. 6.1.f) ; consentement pour toute publication (art. 6.1.a)"),
        _("Tant que la fiche existe ; effacée sur demande."),
    ),
    "relay_messages": Processing(
        _("Messages de mise en relation"),
        _("Relayer un message à une initiative sans révéler son adresse."),
        _("Intérêt légitime (art. 6.1.f)"),
        _("Contenu : 30 jours après l'envoi ; métadonnées : 12 mois."),
    ),
    "replication_requests": Processing(
        _("Demandes d'essaimage"),
        _("Mettre en relation une personne qui veut essaimer et les porteur·euses du projet modèle."),
        _("Contrat (art. 6.1.b)"),
        _("Messages : 30 jours après la clôture de la demande."),
    ),
    "alerts": Processing(
        _("Alertes de recherche"),
        _("Envoyer par e-mail les nouvelles initiatives d'une recherche enregistrée."),
        _("Consentement (art. 6.1.a), double confirmation"),
        _("Jusqu'à la désinscription ; non confirmée : 7 jours."),
    ),
    "follows": Processing(
        _("Suivis, favoris et annuaire des acteurs"),
        _("Notifier les changements de ce que l'on suit ; apparaître dans l'annuaire si on le choisit."),
        _("Contrat (art. 6.1.b) ; consentement pour l'annuaire (art. 6.1.a)"),
        _("Jusqu'à la suppression du compte ; preuve du consentement : 5 ans après son retrait."),
    ),
    "contributions": Processing(
        _("Contributions et historique des fiches"),
        _("Modérer les contributions et garder l'historique de chaque fiche."),
        _("Intérêt légitime (art. 6.1.f)"),
        _("Tant que la fiche existe ; l'auteur·rice est pseudonymisé·e à la suppression du compte."),
    ),
    "partner_imports": Processing(
        _("Imports des sources partenaires"),
        _("Reprendre les fiches publiées par des réseaux partenaires."),
        _("Intérêt légitime (art. 6.1.f) ; information des personnes (art. 14)"),
        _("Tant que la source est importée ; données personnelles écartées par défaut."),
    ),
    "logs_and_audit": Processing(
        _("Journaux et audit"),
        _("Sécurité, lutte contre les abus et traçabilité des actions."),
        _("Obligation légale et intérêt légitime (art. 6.1.c et f)"),
        _("12 mois ; compteurs de limitation : la durée de leur fenêtre."),
    ),
    "rights_requests": Processing(
        _("Demandes d'exercice des droits"),
        _("Répondre aux demandes d'accès, de rectification, d'effacement ou d'opposition."),
        _("Obligation légale (art. 6.1.c)"),
        _("Non confirmée : 7 jours ; traitée : 12 mois après la réponse."),
    ),
    "backups": Processing(
        _("Sauvegardes"),
        _("Restaurer le service après un incident."),
        _("Intérêt légitime (art. 6.1.f)"),
        _("14 sauvegardes quotidiennes et 6 mensuelles : une donnée effacée en sort au plus tard en 6 mois."),
    ),
}


def _fields(processing: str, category: str, erase: str, *names: str, **options) -> dict[str, PersonalField]:
    return {name: PersonalField(processing, category, erase, **options) for name in names}


PERSONAL_FIELDS: dict[str, PersonalField] = {
    # accounts
    **_fields("accounts", "contact", "cascade", "auth.User.email", "auth.User.username", "account.EmailAddress.email"),
    **_fields("accounts", "identity", "cascade", "auth.User.first_name", "auth.User.last_name"),
    **_fields("accounts", "identity", "cascade", "accounts.Profile.display_name", public_if="signature of edits"),
    **_fields("accounts", "connection", "cascade", "account.EmailConfirmation.email_address", "mfa.Authenticator.data"),
    **_fields("accounts", "connection", "cascade", "sessions.Session.session_data", "accounts.Membership.role_label"),
    # the sheets' contact data
    **_fields("sheet_contacts", "contact", "blank", "catalog.Initiative.contact_email"),
    **_fields("sheet_contacts", "identity", "blank", "catalog.InitiativeImage.credit", public_if="credit of a photo"),
    # relayed messages and the mail outbox
    **_fields("relay_messages", "identity", "blank", "messaging.ContactMessage.sender_name"),
    **_fields("relay_messages", "contact", "blank", "messaging.ContactMessage.sender_email"),
    **_fields("relay_messages", "content", "blank", "messaging.ContactMessage.body"),
    **_fields("relay_messages", "pseudonymous", "cascade", "messaging.ContactMessage.sender_hash"),
    **_fields(
        "relay_messages",
        "contact",
        "delete_row",
        "messaging.OutgoingMail.to",
        "messaging.OutgoingMail.cc",
        "messaging.OutgoingMail.bcc",
        "messaging.OutgoingMail.reply_to",
        note="a mail is deleted whole when one of its addresses is the person's",
    ),
    **_fields(
        "relay_messages", "content", "blank", "messaging.OutgoingMail.body_text", "messaging.OutgoingMail.body_html"
    ),
    **_fields("relay_messages", "contact", "cascade", "messaging.OutgoingMail.from_email", note="the platform's own"),
    # essaimage
    **_fields(
        "replication_requests",
        "identity",
        "blank",
        "contacts.ReplicationRequest.requester_name",
        "contacts.ReplicationRequest.requester_organisation",
    ),
    **_fields("replication_requests", "content", "blank", "contacts.ReplicationRequest.message"),
    **_fields("replication_requests", "content", "blank", "contacts.ReplicationMessage.body"),
    # alerts
    **_fields("alerts", "contact", "delete_row", "alerts.SavedSearch.email"),
    # follows and the actors directory
    **_fields("follows", "identity", "blank", "contacts.DirectoryListing.shown_name", public_if="directory consent"),
    **_fields("follows", "content", "cascade", "follows.FavouriteList.name", "follows.Notification.summary"),
    # contributions
    **_fields(
        "contributions",
        "contact",
        "scrub_json",
        "contributions.Revision.data",
        "contributions.Revision.previous_data",
        note="sheet snapshots: contact_email (never public) and the carrier's name",
    ),
    **_fields("contributions", "content", "blank", "contributions.Revision.comment", "contributions.Revision.message"),
    **_fields("contributions", "content", "blank", "contributions.Claim.message", "contributions.Report.message"),
    # partner imports
    **_fields(
        "partner_imports",
        "contact",
        "scrub_json",
        "sources.SourceRecord.payload",
        "sources.SourceRecord.imported_values",
        "sources.SyncConflict.local_value",
        "sources.SyncConflict.incoming_value",
        note="personal columns are dropped in strict mode; a generic contact address may remain",
    ),
    # logs, audit and rate limits
    **_fields("logs_and_audit", "connection", "scrub_json", "core.AuditEvent.data"),
    **_fields("logs_and_audit", "connection", "blank", "admin.LogEntry.object_repr", "admin.LogEntry.change_message"),
    **_fields(
        "logs_and_audit", "pseudonymous", "cascade", "messaging.RateCounter.key", note="HMAC of an IP or address"
    ),
    # rights requests (this app)
    **_fields("rights_requests", "contact", "blank", "privacy.RightsRequest.email"),
    **_fields("rights_requests", "identity", "blank", "privacy.RightsRequest.name"),
    **_fields("rights_requests", "content", "blank", "privacy.RightsRequest.details"),
}

# Fields whose name looks personal, and JSON fields, that hold no personal data: each says why.
NOT_PERSONAL: dict[str, str] = {
    "catalog.Initiative.contact_channel": "the chosen channel (relay, website, organisation), not an address",
    "sources.Source.config": "a partner connector's configuration",
    "sources.ImportRun.counts": "numbers per outcome",
    "sources.ImportRun.errors": "row errors; personal values are masked as *** by sources.mapping",
    "sources.ImportRun.warnings": "row warnings; personal values are masked as *** by sources.mapping",
    "sources.ImportRun.unmapped_tags": "partner tags without a crosswalk",
    "dedup.DuplicateCandidate.reasons": "names of matching features",
    "dedup.Merge.field_choices": "which sheet each field came from",
    "dedup.DedupRun.report": "counts of a detection run",
    "contacts.ReplicationRequest.needs": "codes of needs",
    "messaging.OutgoingMail.headers": "List-Unsubscribe links and Message-ID",
    "privacy.ErasureTombstone.fields": "names of erased fields",
}


def processing_names() -> list[str]:
    return list(PROCESSINGS)


def fields_of(processing: str) -> list[str]:
    return [name for name, field in PERSONAL_FIELDS.items() if field.processing == processing]


def erasable(mode: str) -> list[tuple[str, str, str]]:
    """(app_label.Model, field name, label) of every registered field erased in this mode."""
    found = []
    for key, field in PERSONAL_FIELDS.items():
        if field.erase == mode:
            model, name = key.rsplit(".", 1)
            found.append((model, name, key))
    return found
