"""Error pages: French, in the site's layout, never a traceback, SQL or exception message (R-SEC-19)."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import path

from carrefour import urls as project_urls
from carrefour.core import errors
from carrefour.urls import handler400, handler403, handler404, handler500  # noqa: F401 - read from this urlconf

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

HOST = "carrefour.example.org"


def broken_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM carrefour_missing_table WHERE email = 'camille@exemple.fr'")
    raise AssertionError("unreachable")


def broken_code(request):
    raise RuntimeError("mot de passe interne : hunter2")


def forbidden(request):
    raise PermissionDenied("raison interne confidentielle")


def suspicious(request):
    raise SuspiciousOperation("détail interne de la requête")


urlpatterns = [
    path("essai/requete-cassee/", broken_query),
    path("essai/code-casse/", broken_code),
    path("essai/interdit/", forbidden),
    path("essai/suspect/", suspicious),
    *project_urls.urlpatterns,
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [HOST]
    return Client(raise_request_exception=False, headers={"host": HOST})


def assert_generic(body: str, *secrets: str) -> None:
    assert "Traceback" not in body
    assert 'lang="fr"' in body
    assert "site-header" in body  # the site's layout
    for secret in secrets:
        assert secret not in body


@pytest.mark.parametrize("url", ["/essai/requete-cassee/", "/essai/code-casse/"])
def test_an_exception_gives_a_generic_french_500_page(production, url):
    response = production.get(url)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body
    assert_generic(body, "SELECT", "secret_column", "carrefour_missing_table", "camille@exemple.fr", "hunter2")
    assert "RuntimeError" not in body and "OperationalError" not in body and "ProgrammingError" not in body
    assert "Content-Security-Policy" in response and "X-Request-ID" in response


def test_the_500_page_needs_no_database_and_no_request_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_the_500_page_still_answers_in_french_when_its_template_cannot_render():
    with mock.patch.object(errors.loader, "get_template", side_effect=ValueError("Missing staticfiles manifest")):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body and "manifest" not in body


def test_a_refused_host_gets_the_french_400_page(production):
    response = production.get("/", headers={"host": "pirate.example.com"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Requête incorrecte" in body
    assert_generic(body, "pirate.example.com", "ALLOWED_HOSTS")


def test_a_suspicious_request_gets_the_french_400_page(production):
    response = production.get("/essai/suspect/")
    assert response.status_code == 400
    assert_generic(response.content.decode(), "détail interne")
    assert "Requête incorrecte" in response.content.decode()


def test_a_forbidden_page_gives_the_french_403_page_without_the_reason(production):
    response = production.get("/essai/interdit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Accès refusé" in body
    assert_generic(body, "raison interne confidentielle")


def test_an_unknown_page_gives_the_french_404_page(production):
    response = production.get("/essai/rien-ici/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page introuvable" in body
    assert_generic(body, "essai/rien-ici", "urlpatterns")
