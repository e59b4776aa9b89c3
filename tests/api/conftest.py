import pytest

from tests.search_corpus import build_search_corpus


@pytest.fixture
def search_corpus(db, settings, tmp_path):
    return build_search_corpus(settings, tmp_path / "index")
