"""Shared fixtures. The test database gets the real gazetteer and taxonomy once per run."""

from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
REALDATA_DIR = SHARED_DIR / "realdata"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from carrefour.catalog.taxonomy_loader import load_taxonomy
    from carrefour.territories.loader import load_gazetteer

    with django_db_blocker.unblock():
        load_gazetteer()
        load_taxonomy()


@pytest.fixture(autouse=True)
def search_index_dir(settings, tmp_path):
    """Every test builds and reads its own search index: never the developer's, never another test's."""
    from carrefour.search import store

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    store.forget()


@pytest.fixture
def realdata():
    if not REALDATA_DIR.is_dir():
        pytest.skip(f"real partner files not found: {REALDATA_DIR} is absent (they live in ../shared beside the clone)")
    return REALDATA_DIR


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, with the second factor that /admin/ requires of staff (R-SEC-12)."""
    from factories import login_with_second_factor

    login_with_second_factor(client, admin_user)
    return client
