"""The « Mes alertes » section of « Mon espace », and the alerts part of the account export."""

from carrefour.accounts.space import SpaceSection
from carrefour.accounts.space import register as register_section


def _context(request) -> dict:
    return {
        "alerts": [
            {"saved": saved, "manage_token": saved.manage_link_token, "unsubscribe_token": saved.unsubscribe_link_token}
            for saved in request.user.saved_searches.order_by("-created_at")
        ]
    }


def export_alerts(user) -> tuple[str, list[dict]]:
    return "saved_searches", [
        {
            "label": saved.label,
            "email": saved.email,
            "query_string": saved.query_string,
            "frequency": saved.frequency,
            "created_at": saved.created_at.isoformat(),
            "confirmed_at": saved.confirmed_at.isoformat() if saved.confirmed_at else None,
            "last_sent_at": saved.last_sent_at.isoformat() if saved.last_sent_at else None,
        }
        for saved in user.saved_searches.order_by("created_at")
    ]


def register() -> None:
    from carrefour.accounts.export import EXPORT_SECTIONS

    register_section(
        SpaceSection(
            key="alerts",
            template="alerts/space_section.html",
            order=70,
            context=_context,
            visible=lambda request: request.user.is_authenticated,
        )
    )
    if export_alerts not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(export_alerts)
