import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.core.error_urls")
def test_server_error_shows_a_generic_french_page_without_details():
    response = Client(raise_request_exception=False).get("/casse/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body


def test_unknown_page_gives_the_french_404():
    response = Client().get("/cette/page/nexiste/pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
