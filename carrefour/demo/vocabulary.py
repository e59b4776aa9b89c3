"""The demo templates: YAML data files under `carrefour/demo/data`, read once per process."""

import re
from functools import cache
from pathlib import Path

import yaml

from carrefour.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def templates(name: str):
    """The parsed content of `data/<name>.yaml` (place_types, texts, common)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def _keyword_pattern(keyword: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(fold(keyword))}")


def matches(keywords: list[str], *texts: str) -> bool:
    """Whether a word of the folded `texts` starts with one of the folded `keywords`."""
    folded = " ".join(fold(text) for text in texts)
    return any(_keyword_pattern(keyword).search(folded) for keyword in keywords)


def keyed_entry(section: str, key: str, *texts: str):
    """In `templates(section)[key]`, the value of the first key matching `texts`, else the "default" one."""
    return _keyed_entry(section, key, texts)


@cache
def _keyed_entry(section: str, key: str, texts: tuple[str, ...]):
    entries = templates(section)[key]
    for entry_key, value in entries.items():
        if entry_key != "default" and matches([entry_key], *texts):
            return value
    return entries.get("default")
