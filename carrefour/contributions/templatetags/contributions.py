from django import template

from carrefour.accounts.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def sheet_permissions(context, initiative) -> dict:
    """What the current person may do on a sheet, for the « Contribuer » block."""
    user = context["request"].user
    holder = bool(user.is_authenticated and user.holdings.filter(initiative=initiative).exists())
    quality = None
    if holder:
        from carrefour.catalog.quality import quality_report

        quality = quality_report(initiative)
    return {
        "edit": can(user, "initiative.edit_directly", initiative),
        "confirm": can(user, "initiative.confirm_up_to_date", initiative),
        "holder": holder,
        "quality": quality,
    }
