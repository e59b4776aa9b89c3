import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlighted(snippet: str):
    """An engine snippet: escaped text with <mark> around matched words. Anything else is removed, to be sure."""
    return mark_safe(nh3.clean(snippet or "", tags={"mark"}, attributes={}))  # noqa: S308  # nosec B308 B703 - cleaned by nh3
