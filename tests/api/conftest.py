import pytest

from tests.search_corpus import build_search_corpus


@pytest.fixture
def search_corpus(db, settings, tmp_path):
    return build_search_corpus(settings, tmp_path / "index")


@pytest.fixture(autouse=True)
def api_budgets_off(settings):
    """No request budget in API tests, except where a test sets one (tests/api/test_api_limits.py)."""
    settings.CARREFOUR_API_RATE = ""
    settings.CARREFOUR_API_BURST = ""
    settings.CARREFOUR_API_TOKEN_RATE = ""
    settings.CARREFOUR_API_PAGE_RATE = ""
