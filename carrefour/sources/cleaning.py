"""Cleaning of single values. Each cleaner returns (value, problem): problem is None or (rule, French message)."""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from stdnum.fr import siren, siret

from carrefour.core.text import fold

PLACEHOLDERS = frozenset(
    {"null", "none", "nan", "nr", "n/r", "n/a", "na", "nc", "n.c.", "n.c", "default", "-", "--", "?", "hidden",
     "non renseigné", "non renseigne", "inconnu", "undefined", "#n/a", "sans objet"}
)  # fmt: skip
GENERIC_MAILBOXES = re.compile(
    r"^(contact|info|infos|information|accueil|bonjour|hello|secretariat|secr[ée]tariat|admin|administration|mairie|"
    r"direction|courrier|communication|reservation|association|asso|bureau|franceservices?|fs|mdm|cyber|epn|"
    r"mediatheque|bibliotheque|biblio|coworking|tiers-?lieu|fablab|atelier|equipe|team|office|service|pole|"
    r"maison|centre|espace|mediation|numerique|ccas|cias|ville|commune|agence|permanence|rdv)([.\-_]|\d|$)",
    re.IGNORECASE,
)
WEBMAILS = frozenset(
    {"gmail.com", "hotmail.com", "hotmail.fr", "outlook.com", "outlook.fr", "live.fr", "yahoo.fr", "yahoo.com",
     "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "neuf.fr", "aliceadsl.fr", "icloud.com",
     "protonmail.com", "gmx.fr", "numericable.fr", "bbox.fr"}
)  # fmt: skip
TRUE_WORDS = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
FALSE_WORDS = {"non", "n", "no", "false", "faux", "0"}
_url_validator = URLValidator(schemes=["http", "https"])
_DOMAIN = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")
# A subset of what URLValidator accepts (plain host names, no port, no credentials), checked much faster.
_SIMPLE_URL = re.compile(r"https?://((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?:[/?#]\S*)?\Z")
# National numbers of the overseas departments and collectivities, dialled with a leading 0 (mednum pattern).
OVERSEAS_PREFIXES = {"0590": "GP", "0690": "GP", "0691": "GP", "0594": "GF", "0694": "GF", "0596": "MQ", "0696": "MQ",
                     "0697": "MQ", "0262": "RE", "0263": "RE", "0692": "RE", "0693": "RE", "0269": "YT", "0639": "YT",
                     "0508": "PM"}  # fmt: skip
_NON_DIGIT = re.compile(r"\D")
_PLAIN_PHONE = re.compile(r"^\+?[\d\s.()-]+$")
# 01–05 and 09 numbers, except overseas prefixes (0262, 0269 Réunion/Mayotte, 0508 SPM, 0590/94/96 Antilles-Guyane).
_MAINLAND_FIXED = re.compile(r"^0(?!262|263|269|508|590|594|596)[1-59]\d{8}$")


def is_empty(value, extra_placeholders=frozenset()) -> bool:
    if value is None:
        return True
    if isinstance(value, list | dict):
        return not value
    text = str(value).strip()
    return not text or text.lower() in PLACEHOLDERS or text.lower() in extra_placeholders


def text(value) -> str:
    """One line of text: spaces collapsed, no leading/trailing blanks; `29600.0` → `29600`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = " ".join(str(value).split())
    return _TRAILING_ZERO.sub(r"\1", result) if ".0" in result else result


def long_text(value) -> str:
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def number(value):
    """A float from `45.1`, `45,1` (decimal comma) or a number; (None, problem) otherwise."""
    if isinstance(value, int | float):
        return float(value), None
    if isinstance(value, str) and _NUMBER.match(value):  # fast path: already a plain number
        return float(value.replace(",", ".")), None
    cleaned = text(value).replace(" ", "")
    if _NUMBER.match(cleaned):
        return float(cleaned.replace(",", ".")), None
    return None, ("number", _("« %(value)s » n'est pas un nombre.") % {"value": value})


def boolean(value):
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, ("boolean", _("« %(value)s » n'est ni oui ni non.") % {"value": value})


def phone(value):
    """E.164 (`+33123456789`); a French number that lost its leading zero (`468747330`) is repaired."""
    raw = text(value)
    digits = _NON_DIGIT.sub("", raw)
    if len(digits) == 9 and not raw.startswith("+") and digits[0] in "1234567985":
        raw = digits = "0" + digits
    if len(digits) == 10 and _MAINLAND_FIXED.match(digits) and _PLAIN_PHONE.match(raw):
        return f"+33{digits[1:]}", None  # fast path: a mainland fixed number written plainly
    region = OVERSEAS_PREFIXES.get(digits[:4], "FR") if len(digits) == 10 else "FR"
    candidates = [raw] if _PLAIN_PHONE.match(raw) else []
    candidates += [match.raw_string for match in phonenumbers.PhoneNumberMatcher(raw, region)]
    for candidate in candidates:
        try:
            parsed = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None
    return None, ("phone", _("« %(value)s » n'est pas un numéro de téléphone valide.") % {"value": value})


def email(value):
    address = text(value).removeprefix("mailto:").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        return None, ("email", _("« %(value)s » n'est pas une adresse électronique valide.") % {"value": value})
    return address, None


def is_personal_email(address: str, person: str = "") -> bool:
    """A named person's address (R-GDPR-04), as far as its shape tells.

    Personal: `prenom.nom@…` (two words joined by a dot, neither a service word), any non-service address at a
    webmail (gmail, orange…), or one containing the contact person's name. Service mailboxes (contact@, accueil@,
    saint-trivier@france-services.gouv.fr) are not personal: they may go to the private contact field.
    """
    local, _at, domain = address.lower().partition("@")
    if GENERIC_MAILBOXES.match(local):
        return False
    words = [word for word in re.split(r"[^a-z]+", fold_words(person)) if len(word) > 2]
    if any(word in local for word in words):
        return True
    if domain in WEBMAILS:
        return True
    return bool(re.fullmatch(r"[a-z]{2,}\.[a-z]{2,}(-[a-z]{2,})?\d*", local))


def fold_words(value: str) -> str:
    return fold(value or "")


def web_address(value):
    """(url, email found in the field, problem). `mailto:` is separated; `www.x.fr` gets https://."""
    website, mail = None, None
    for part in text(value).split():
        if part.lower().startswith("mailto:"):
            mail = mail or email(part)[0]
        elif website is None:
            website = _url(part)
    if website is None and mail is None:
        return None, None, ("url", _("« %(value)s » n'est pas une adresse web valide.") % {"value": value})
    return website, mail, None


def _url(part: str) -> str | None:
    if "://" not in part:
        if not _DOMAIN.match(part):
            return None
        part = f"https://{part}"
    scheme, _sep, rest = part.partition("://")
    host, slash, path = rest.partition("/")
    candidate = f"{scheme.lower()}://{host.lower()}{slash}{path}"
    if len(candidate) > 500:
        return None
    simple = _SIMPLE_URL.match(candidate)
    if simple and len(simple.group(1)) <= 253:
        return candidate  # fast path: a plain http(s) address that Django's URLValidator always accepts
    try:
        _url_validator(candidate)
    except ValidationError:
        return None
    return candidate if len(candidate) <= 500 else None


def siret_or_siren(value):
    """Digits only (spaces stripped), Luhn checked (La Poste rule included). All zeros is a placeholder."""
    digits = re.sub(r"[\s.\-]", "", text(value))
    if not digits or set(digits) == {"0"}:
        return None, None
    for module, length in ((siret, 14), (siren, 9)):
        if len(digits) == length and module.is_valid(digits):
            return digits, None
    return None, ("siret", _("« %(value)s » n'est pas un SIRET ou SIREN valide.") % {"value": value})


def rna(value):
    code = text(value).upper().replace(" ", "")
    if re.fullmatch(r"W\d{9}", code):
        return code, None
    return None, ("rna", _("« %(value)s » n'est pas un numéro RNA valide (W suivi de 9 chiffres).") % {"value": value})


def date(value):
    """ISO date or datetime, or dd/mm/yyyy. `1970-01-01` (an epoch default) is treated as unknown."""
    raw = text(value)
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", raw) or re.search(r"(\d{2})/(\d{2})/(\d{4})", raw)
    if not match:
        return None, ("date", _("« %(value)s » n'est pas une date.") % {"value": value})
    parts = match.groups()
    year, month, day = parts if len(parts[0]) == 4 else parts[::-1]
    try:
        result = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, ("date", _("« %(value)s » n'est pas une date.") % {"value": value})
    if result == dt.date(1970, 1, 1):
        return None, ("date_placeholder", _("Date « %(value)s » ignorée : valeur par défaut.") % {"value": value})
    return result.isoformat(), None


def year(value):
    match = re.search(r"\b(1[89]\d{2}|20\d{2}|2100)\b", text(value))
    if match:
        return int(match.group(1)), None
    return None, ("year", _("« %(value)s » n'est pas une année.") % {"value": value})
