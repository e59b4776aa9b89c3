"""The English catalogue keeps up with the French interface.

Every string marked for translation in the code and templates must be in `locale/en/LC_MESSAGES/django.po`, translated,
with no `#, fuzzy` entry and the same placeholders as the French. When a test here fails: from `carrefour/`, run
`../.venv/bin/carrefour makemessages -l en`, translate the new and fuzzy entries (and drop the fuzzy flag), then
`make messages`.
"""

import ast
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

PACKAGE_DIR = Path(settings.LOCALE_PATHS[0]).parent
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
HINT = "from carrefour/: ../.venv/bin/carrefour makemessages -l en, translate, then make messages"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.fields.get("msgctxt"), self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for name, value in self.fields.items() if name.startswith("msgstr")]


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())  # a .po string is a C string; these escapes are also valid in Python


def parse_po(path: Path) -> list[Entry]:
    """Tiny .po reader: flags, msgctxt, msgid, msgid_plural, msgstr and msgstr[n]; skips obsolete `#~` entries."""
    entries: list[Entry] = []
    current: Entry | None = None
    name = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#~"):
            current = None if not line.strip() else current
            continue
        if line.startswith("#"):
            if current is None or current.fields:
                current = Entry(number)
                entries.append(current)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if current is None:
            current = Entry(number)
            entries.append(current)
        if line.startswith('"'):
            current.fields[name] += _unquote(line)
            continue
        name, _space, value = line.partition(" ")
        current.fields[name] = _unquote(value)
    return [entry for entry in entries if entry.fields.get("msgid")]  # the header has an empty msgid


@cache
def catalogue() -> dict[tuple[str | None, str], Entry]:
    return {entry.key: entry for entry in parse_po(CATALOGUE)}


def _where(entry: Entry) -> str:
    return f"django.po:{entry.line} {entry.fields['msgid'][:70]!r}"


def test_english_catalogue_has_no_fuzzy_entry():
    fuzzy = [_where(entry) for entry in catalogue().values() if "fuzzy" in entry.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check each translation, then drop the flag): {fuzzy[:20]}"


def test_english_catalogue_has_no_untranslated_entry():
    missing = [_where(entry) for entry in catalogue().values() if not all(entry.translations)]
    assert not missing, f"{len(missing)} untranslated entries: {missing[:20]}"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_english_translations_keep_the_placeholders_of_the_french():
    wrong = []
    for entry in catalogue().values():
        if "python-format" not in entry.flags and "python-brace-format" not in entry.flags:
            continue
        french = _placeholders(entry.fields["msgid"]) | _placeholders(entry.fields.get("msgid_plural", ""))
        for translated in entry.translations:
            english = _placeholders(translated)
            # A singular form may leave out the counter ("one update" for "%(counter)s updates"), never add one.
            if english - french or (not entry.fields.get("msgid_plural") and english != french):
                wrong.append(f"{_where(entry)}: {sorted(french)} -> {sorted(english)}")
    assert not wrong, wrong


# The functions makemessages extracts from (django.core.management.commands.makemessages: xgettext keywords).
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ugettext", "ugettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy", "ungettext", "ungettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
TEMPLATE_SUFFIXES = {".html", ".txt"}


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _marked(source: str) -> list[tuple[str | None, str]]:
    """(context, msgid) of every call to a translation function with literal arguments."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        args = [_literal(argument) for argument in node.args]
        if name in SINGULAR | PLURAL and args[0]:
            found.append((None, args[0]))
        elif name in CONTEXT | CONTEXT_PLURAL and len(args) > 1 and args[0] and args[1]:
            found.append((args[0], args[1]))
    return found


TEMPLATE_CALL = re.compile(r"\b(?:n?p?gettext|_)\((?:u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|, )+")


def _marked_in_template(path: Path) -> list[tuple[str | None, str]]:
    """What makemessages extracts from a template: Django's own `templatize`, then the calls it writes."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    calls = "\n".join(match.group(0).rstrip(", ") + ")" for match in TEMPLATE_CALL.finditer(code))
    return _marked(calls)


def marked_strings() -> dict[tuple[str | None, str], str]:
    marked = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] == "locale":
            continue
        if path.suffix == ".py":
            keys = _marked(path.read_text(encoding="utf-8"))
        elif path.suffix in TEMPLATE_SUFFIXES and "templates" in relative.parts:
            keys = _marked_in_template(path)
        else:
            continue
        for key in keys:
            marked.setdefault(key, str(relative))
    return marked


def test_the_extraction_finds_strings_in_code_and_templates():
    marked = marked_strings()
    assert (None, "Thématiques") in marked  # gettext_lazy in Python
    assert (None, "Déclaration d'accessibilité") in marked  # {% translate %}
    assert (None, "Cette déclaration a été établie le %(audit_date)s.") in marked  # {% blocktranslate %}
    assert len(marked) > 1000


def test_every_string_marked_for_translation_is_in_the_english_catalogue():
    missing = [f"{where}: {key[1][:70]!r}" for key, where in marked_strings().items() if key not in catalogue()]
    assert not missing, f"{len(missing)} strings missing from the English catalogue ({HINT}): {missing[:20]}"


def french_of(template: str) -> set[str]:
    """The French msgids a template shows, when their English differs (so not "Cookies" or proper names)."""
    french = set()
    for key in _marked_in_template(PACKAGE_DIR / template):
        entry = catalogue().get(key)
        if entry and entry.fields["msgid"] not in entry.translations and "%" not in entry.fields["msgid"]:
            french.add(entry.fields["msgid"])
    return french


ENGLISH_PAGES = [
    ("privacy:privacy", "privacy/templates/privacy/privacy.html", "Your rights"),
    ("privacy:legal", "privacy/templates/privacy/legal.html", "Legal notice"),
    ("privacy:accessibility", "privacy/templates/privacy/accessibility.html", "Accessibility statement"),
]


@pytest.fixture
def english(settings):
    """English mode, with the operator's own legal details (their French placeholders are settings, not interface)."""
    settings.LEGAL_PUBLISHER = "Example Association"
    settings.LEGAL_PUBLISHER_ADDRESS = "1 Example Street, Paris"
    settings.LEGAL_DIRECTOR = "Jane Doe"
    settings.LEGAL_HOST = "Example Hosting Ltd"
    settings.LEGAL_MAIL_PROVIDER = "Example Mail Ltd"
    with translation.override("en"):
        yield


def _shown_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "template", "heading"), ENGLISH_PAGES)
def test_legal_pages_in_english_show_no_french_from_their_templates(english, url_name, template, heading):
    response = Client().get(reverse(url_name))
    assert response.status_code == 200
    text = _shown_text(response)
    assert heading in text
    french = french_of(template) | french_of("core/templates/base.html")
    assert french, "the template should hold translatable strings"
    assert [msgid for msgid in sorted(french) if msgid in text] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "audit_date", "audit_rate", "statement"),
    [
        ("non", "", "", "is not compliant"),
        ("partiellement", "", "", "is partially compliant"),
        ("totalement", "3 March 2026", "100", "is fully compliant"),
    ],
)
def test_accessibility_statement_in_english_for_each_compliance_status(
    english, settings, status, audit_date, audit_rate, statement
):
    settings.A11Y_STATUS, settings.A11Y_AUDIT_DATE, settings.A11Y_AUDIT_RATE = status, audit_date, audit_rate
    text = _shown_text(Client().get(reverse("privacy:accessibility")))
    assert statement in text
    assert (f"shows that {audit_rate}% of the RGAA 4.1 criteria are met" in text) == bool(audit_rate)
    french = french_of("privacy/templates/privacy/accessibility.html")
    assert [msgid for msgid in sorted(french) if msgid in text] == []


@pytest.mark.django_db
def test_the_404_page_in_english_shows_no_french_from_its_template(english):
    response = Client().get("/cette/page/nexiste/pas/")
    assert response.status_code == 404
    text = _shown_text(response)
    french = french_of("core/templates/404.html") | french_of("core/templates/base.html")
    assert "Page introuvable" in french
    assert [msgid for msgid in sorted(french) if msgid in text] == []
