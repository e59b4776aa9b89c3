import pytest
from django.test import Client

from carrefour.search import store

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdated_index(search_index_dir):
    """An index built by an older schema version: the engine refuses it until `carrefour reindex`."""
    search_index_dir.mkdir(parents=True)
    (search_index_dir / "gen-v0-old").mkdir()
    (search_index_dir / store.CURRENT).symlink_to("gen-v0-old")
    store.forget()
    return search_index_dir


def test_search_page_says_in_french_that_search_is_unavailable_when_the_index_is_outdated(outdated_index):
    response = Client().get("/recherche/", {"q": "jardin"})
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()


def test_search_api_answers_503_in_french_when_the_index_is_outdated(outdated_index):
    response = Client().get("/api/v1/search", {"q": "jardin"})
    assert response.status_code == 503
    assert "momentanément indisponible" in response.json()["error"]
