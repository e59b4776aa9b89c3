"""Text helpers shared by every app: folding for accent- and case-insensitive matching, slugs."""

import re
import unicodedata

from django.utils.text import slugify

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(value: str) -> str:
    """Lower-case, strip accents, turn every run of non-alphanumerics (hyphens, apostrophes) into one space.

    `fold("Saint-Étienne") == fold("saint etienne") == "saint etienne"`; `fold("L'Haÿ-les-Roses") == "l hay les roses"`.
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def unique_slug(name: str, taken, max_length: int = 160) -> str:
    """A slug for `name` that `taken(slug)` says is free, adding -2, -3… when needed."""
    base = (slugify(fold(name)) or "fiche")[:max_length].strip("-")
    candidate, counter = base, 2
    while taken(candidate):
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return candidate
