"""The « Mes contributions » section of « Mon espace »."""

from carrefour.accounts.space import SpaceSection
from carrefour.accounts.space import register as register_section


def _context(request) -> dict:
    from carrefour.contributions.views_proposal import my_contributions

    return my_contributions(request.user)


def register() -> None:
    register_section(
        SpaceSection(
            key="contributions",
            template="contributions/space_section.html",
            order=50,
            context=_context,
            visible=lambda request: request.user.is_authenticated,
        )
    )
