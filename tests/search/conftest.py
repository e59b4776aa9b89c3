"""Search fixtures: `corpus`, a small French catalogue, indexed (each test has its own index: tests/conftest.py)."""

from types import SimpleNamespace

import pytest

from carrefour import search
from carrefour.catalog.models import Initiative
from tests.factories import make_initiative
from tests.search.engine_corpus import SHEETS, make_sheet


@pytest.fixture
def corpus(db):
    """Eleven published sheets across France, a draft and an archived sheet; indexed from scratch."""
    sheets = {row[0]: make_sheet(*row) for row in SHEETS}
    draft = make_initiative("Ressourcerie en préparation", "29232", status=Initiative.Status.DRAFT)
    archived = make_initiative("Ancienne ressourcerie", "29232", status=Initiative.Status.ARCHIVED)
    search.reindex()
    return SimpleNamespace(sheets=sheets, draft=draft, archived=archived)
