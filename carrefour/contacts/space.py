"""The sections of « Mon espace »: « Demandes d'essaimage » (received and sent) and « Annuaire des acteurs »."""

from carrefour.accounts.space import SpaceSection
from carrefour.accounts.space import register as register_section

SHOWN = 10


def _replications(request) -> dict:
    from carrefour.contacts.access import received_requests

    sent = request.user.replication_requests.select_related("model_initiative", "territory_commune", "territory_epci")
    return {"received": received_requests(request.user)[:SHOWN], "sent": list(sent[:SHOWN])}


def _listing(request) -> dict:
    from carrefour.contacts.listing import listing_of

    return {"listing": listing_of(request.user)}


def register() -> None:
    from carrefour.accounts.export import EXPORT_SECTIONS
    from carrefour.contacts.personal import export_directory_listing, export_replications

    authenticated = lambda request: request.user.is_authenticated  # noqa: E731
    register_section(
        SpaceSection(
            key="replications",
            template="contacts/space_replications.html",
            order=55,
            context=_replications,
            visible=authenticated,
        )
    )
    register_section(
        SpaceSection(
            key="directory",
            template="contacts/space_directory.html",
            order=90,
            context=_listing,
            visible=authenticated,
        )
    )
    for section in (export_replications, export_directory_listing):
        if section not in EXPORT_SECTIONS:
            EXPORT_SECTIONS.append(section)
