from django import template

from carrefour.messaging.forms import ContactForm

register = template.Library()


@register.inclusion_tag("messaging/_contact_block.html", takes_context=True)
def contact_block(context, initiative):
    """The relay form on an initiative sheet, with a fresh start time for the minimum-fill-time check."""
    return {"initiative": initiative, "form": ContactForm(), "csrf_token": context.get("csrf_token"), "on_sheet": True}
