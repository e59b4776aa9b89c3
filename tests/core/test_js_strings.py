"""Our scripts' words come from Django's translations, through one JSON block on every page."""

import json
import re
from pathlib import Path

from carrefour.core.js_strings import js_strings

PACKAGE = Path(__file__).resolve().parents[2] / "carrefour"
KEY_USE = re.compile(r"""\b(?:text|carrefourText)\(\s*"([a-z_]+)\"""")


def test_every_key_a_script_asks_for_exists():
    used = {key for path in PACKAGE.rglob("static/carrefour/*.js") for key in KEY_USE.findall(path.read_text())}
    assert {"suggestions", "cluster", "points_shown"} <= used
    assert used - set(js_strings()) == set()


def test_pages_carry_the_texts_and_the_plural_rule(client, db):
    html = client.get("/").content.decode()
    block = re.search(r'<script id="carrefour-texts" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["plural"] == "n>1"
    assert data["texts"]["suggestions"] == ["%(count)s suggestion disponible.", "%(count)s suggestions disponibles."]
    assert html.index('id="carrefour-texts"') < html.index("carrefour/text.js")


def test_counted_phrases_reach_the_catalogue_and_are_translated():
    # Each counted phrase is a literal ngettext call: in English mode the map and suggestion counts are English.
    from django.utils import translation

    with translation.override("en"):
        texts = js_strings()
    assert texts["cluster"][1] == "%(count)s initiatives grouped here: press Enter to zoom in"
    assert texts["suggestions"] == ["%(count)s suggestion available.", "%(count)s suggestions available."]
    assert texts["points_unlocated"][0] == "%(count)s without a location appears only in the list."
