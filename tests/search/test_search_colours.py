"""Map markers, cluster icons and focus rings keep a 3:1 contrast with what surrounds them (R-A11Y-07)."""

import re
from pathlib import Path

import pytest

import carrefour

PACKAGE = Path(carrefour.__file__).resolve().parent
SITE_CSS = PACKAGE / "core" / "static" / "carrefour" / "site.css"
SEARCH_CSS = PACKAGE / "search" / "static" / "carrefour" / "search.css"
SEARCH_JS = PACKAGE / "search" / "static" / "carrefour" / "search.js"
WHITE = "#ffffff"
MAP_BACKGROUNDS = ["#eef1f4", "#dddddd", WHITE]  # département fill of the offline map, Leaflet's grey, plain tiles


def tokens() -> dict[str, str]:
    text = SITE_CSS.read_text() + SEARCH_CSS.read_text()
    return {name: value.lower() for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", text)}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("token", ["marker", "cluster", "focus"])
@pytest.mark.parametrize("background", MAP_BACKGROUNDS)
def test_marker_cluster_and_focus_colours_stand_out_from_the_map(token, background):
    assert contrast(tokens()[token], background) >= 3, f"--{token} on {background}"


def test_cluster_count_is_readable_white_on_its_disc():
    assert contrast(WHITE, tokens()["cluster"]) >= 4.5


def test_the_map_script_binds_actions_to_click_not_to_pointer_down():
    script = SEARCH_JS.read_text()
    assert "mousedown" not in script and "pointerdown" not in script and "touchstart" not in script
