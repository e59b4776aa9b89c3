"""Text normalisation for duplicate detection: names, addresses and web domains.

Damaged text (U+FFFD where an accented letter was, as in `Biblioth\\ufffdque`) keeps a wildcard `*` in place of the
lost letter: `biblioth*que` matches `bibliotheque`, and similarity scores forgive the letters the damage removed.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from carrefour.dedup.vocabulary import words

REPLACEMENT = "\ufffd"
WILDCARD = "*"
_MOJIBAKE = re.compile("[ÃÂ][^a-zA-Z0-9\\s]")
_NON_ALNUM = re.compile(r"[^a-z0-9*]+")
_DIGITS = re.compile(r"\d+")
_SOCIAL_HOSTS = ("facebook.com", "instagram.com", "twitter.com", "linkedin.com", "youtube.com", "google.com")


def repair(value: str) -> str:
    """Undo the common UTF-8-read-as-Windows-1252 damage (`Ã©` → `é`); other text is returned unchanged."""
    if value and _MOJIBAKE.search(value):
        try:
            return value.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    return value or ""


def fold_keeping_damage(value: str) -> str:
    """Like `carrefour.core.text.fold` (lower case, no accents, punctuation → space), but U+FFFD becomes `*`."""
    value = repair(value).replace(REPLACEMENT, WILDCARD)
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


@cache
def wildcard_pattern(text: str) -> re.Pattern:
    """A damaged text as a pattern: each `*` stands for one lost letter (two for a ligature such as œ)."""
    return re.compile(".{1,2}".join(re.escape(part) for part in text.split(WILDCARD)))


def is_generic_word(token: str) -> bool:
    generic = words()["generic_words"]
    if WILDCARD not in token:
        return token in generic
    pattern = wildcard_pattern(token)
    return any(pattern.fullmatch(word) for word in generic)


@dataclass(frozen=True)
class NormalisedName:
    """A name, folded; `tokens` are its meaningful words, `distinctive` those that are neither generic nor numbers."""

    text: str
    tokens: tuple[str, ...]
    distinctive: tuple[str, ...]

    @property
    def is_generic(self) -> bool:
        """Made only of generic words (« Bibliothèque », « France Services »): never enough to match on."""
        return not self.distinctive

    @property
    def damaged(self) -> bool:
        return WILDCARD in self.text

    def without(self, place_words: set[str]) -> tuple[str, ...]:
        """Distinctive words minus the words of a place name (« Tende » says nothing in Tende)."""
        return tuple(t for t in self.distinctive if t not in place_words)


def normalise_name(value: str) -> NormalisedName:
    stop = words()["stop_words"]
    tokens = tuple(t for t in fold_keeping_damage(value).split() if t not in stop)
    distinctive = tuple(t for t in tokens if not t.isdigit() and not is_generic_word(t) and t != WILDCARD)
    return NormalisedName(" ".join(tokens), tokens, distinctive)


def normalise_address(value: str) -> str:
    """A folded street address with abbreviations expanded (`av.` → `avenue`) and stop words removed."""
    abbreviations = words()["address_abbreviations"]
    stop = words()["stop_words"]
    tokens = [abbreviations.get(t, t) for t in fold_keeping_damage(value).split()]
    return " ".join(t for t in tokens if t not in stop)


def address_numbers(value: str) -> frozenset:
    return frozenset(_DIGITS.findall(value or ""))


@dataclass(frozen=True)
class WebKey:
    host: str
    path: str


def web_key(url: str) -> WebKey | None:
    """The identity part of a website: host without `www.`, and path; None for social networks and shared hosts."""
    url = (url or "").strip().lower()
    if not url or url.startswith("mailto:"):
        return None
    if "://" not in url:
        url = f"http://{url}"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").strip(".")
    except ValueError:
        return None
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if not host or "." not in host or host in words()["generic_hosts"]:
        return None
    if any(host.endswith("." + social) for social in _SOCIAL_HOSTS):
        return None
    path = parts.path.rstrip("/")
    for suffix in ("/index.html", "/index.php", "/index.htm", "/accueil", "/home"):
        path = path.removesuffix(suffix)
    return WebKey(host, path)
