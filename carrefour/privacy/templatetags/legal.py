"""`{% accessibility_mention %}`: the RGAA compliance mention, from the status of the latest audit (settings)."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("privacy/_a11y_mention.html")
def accessibility_mention(link_only: bool = False) -> dict:
    return {"A11Y_STATUS": settings.A11Y_STATUS, "link_only": link_only}
