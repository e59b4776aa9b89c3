"""The matcher's word lists, loaded once from `data/words.yaml`."""

from functools import cache
from pathlib import Path

import yaml

WORDS_FILE = Path(__file__).parent / "data" / "words.yaml"


@cache
def words() -> dict:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return {
        "stop_words": frozenset(data["stop_words"]),
        "generic_words": frozenset(data["generic_words"]),
        "address_abbreviations": dict(data["address_abbreviations"]),
        "generic_hosts": frozenset(data["generic_hosts"]),
    }
