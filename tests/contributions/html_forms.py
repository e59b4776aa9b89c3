"""Read a form back from a rendered page, as a browser would submit it untouched."""

import lxml.html


def form_values(html: str, index: int = -1) -> dict:
    """The successful controls of the page's form number `index` (file inputs excluded), lists for repeated names."""
    form = lxml.html.fromstring(html).forms[index]
    textareas = {element.name for element in form.inputs if element.tag == "textarea"}
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        if name in textareas:
            value = value.removeprefix("\n")  # as browsers do: the newline after <textarea> is not content
        values.setdefault(name, []).append(value)
    return {name: items[0] if len(items) == 1 else items for name, items in values.items()}
