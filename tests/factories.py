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
