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


@register.simple_tag
def error_total(form, extra_form=None) -> int:
    """How many fields (or the form as a whole) have errors, over the main form and an optional second one."""
    return len(form.errors) + (len(extra_form.errors) if extra_form else 0)


@register.inclusion_tag("contributions/_organisation_history_link.html", takes_context=True)
def organisation_history_link(context, organisation) -> dict:
    """The « Historique » link of an organisation page, for the people the permission file lets see it."""
    user = context["request"].user
    return {"organisation": organisation, "allowed": can(user, "history.view", organisation)}
