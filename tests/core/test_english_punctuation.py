"""French typography (a space before « : » and « ; », « » quotes) lives inside the translated strings, so that the
English pages read "Error: …" and the French ones stay "Erreur : …"."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation


def page(language: str, url: str, status: int = 200) -> str:
    with translation.override(language):
        response = Client().get(url)
    assert response.status_code == status
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_accessibility_recourse_list_punctuation_follows_the_language():
    french = page("fr", reverse("privacy:accessibility"))
    english = page("en", reverse("privacy:accessibility"))
    assert "écrire un message au Défenseur des droits</a> ;" in french
    assert "(French rights ombudsman)</a>;" in english
    assert "</a> ;" not in english


@pytest.mark.django_db
def test_search_error_title_punctuation_follows_the_language():
    url = reverse("search:search") + "?near=abc"
    assert "<title>Erreur : " in page("fr", url, 400)
    english = page("en", url, 400)
    assert "<title>Error: " in english and "Error :" not in english
