"""Recording a search that found nothing, without personal data.

The text is folded like the search analyser folds it (`core.text.fold`: lower case, no accents, punctuation to
spaces) and cut to MAX_LENGTH characters. A text that may identify someone is not stored at
all: anything with « @ » (an e-mail address), six digits or more in a row or spaced (telephone, SIRET, card or
account numbers; a postal code stays), a text made of digits mostly, or a long text (over MAX_WORDS words: a
pasted message).
"""

import re

from django.db.models import F
from django.utils import timezone

from carrefour.core.text import fold
from carrefour.stats.models import ZeroResultQuery

MAX_LENGTH = 100
MAX_WORDS = 8
MAX_RAW_LENGTH = 120
DIGIT_RUN = re.compile(r"\d{6,}")
SPACED_DIGITS = re.compile(r"(?:\d[\s.\-]*){6,}")  # « 06 12 34 56 78 », « 130.030.133 »


def normalise(text: str) -> str | None:
    """The folded text to store, or None when nothing may be stored."""
    raw = " ".join((text or "").split())
    if not raw or len(raw) > MAX_RAW_LENGTH or "@" in raw:
        return None
    if DIGIT_RUN.search(raw) or SPACED_DIGITS.search(raw):
        return None
    folded = fold(raw)
    letters = sum(ch.isalpha() for ch in folded)
    digits = sum(ch.isdigit() for ch in folded)
    if letters < 2 or digits >= letters:
        return None
    words = folded.split()
    if len(words) > MAX_WORDS:
        return None
    return " ".join(words)[:MAX_LENGTH].strip() or None


def record_zero_result(text: str) -> bool:
    """Count one search that found nothing this month; False when the text was not storable."""
    normalised = normalise(text)
    if normalised is None:
        return False
    month = timezone.localdate().replace(day=1)
    row, created = ZeroResultQuery.objects.get_or_create(normalised_text=normalised, month=month, defaults={"count": 1})
    if not created:
        ZeroResultQuery.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return True
