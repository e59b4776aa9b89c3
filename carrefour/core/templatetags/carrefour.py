import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from carrefour.core.richtext import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def thousands(value: int) -> str:
    return number_format(value, force_grouping=True)


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld_script(data: dict):
    """A schema.org block, escaped like Django's json_script so no value can close the script element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
