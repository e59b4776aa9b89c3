from carrefour.catalog.models.initiative import (
    Initiative,
    InitiativeImage,
    InitiativeLink,
    Location,
    SlugRedirect,
)
from carrefour.catalog.models.organisation import Organisation, Role, Stakeholder
from carrefour.catalog.models.taxonomy import Crosswalk, Term, Vocabulary

__all__ = [
    "Crosswalk",
    "Initiative",
    "InitiativeImage",
    "InitiativeLink",
    "Location",
    "Organisation",
    "Role",
    "SlugRedirect",
    "Stakeholder",
    "Term",
    "Vocabulary",
]
