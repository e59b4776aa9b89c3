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
    escaped = mark_safe(text)  # noqa: S308  # nosec B308 B703  # <, > and & escaped: cannot close the element
    return format_html('<script type="application/ld+json">{}</script>', escaped)


@register.simple_tag(takes_context=True)
def script_texts(context):
    """The JSON block of translated words for our scripts (read by text.js), with the page's plural rule."""
    from django.utils.html import json_script
    from django.utils.translation import get_language

    from carrefour.core.js_strings import js_strings

    data = {"plural": "n>1" if (get_language() or "fr").startswith("fr") else "n!=1", "texts": js_strings()}
    return json_script(data, "carrefour-texts")
