from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import translation


def test_interface_is_french_by_default():
    assert settings.LANGUAGE_CODE == "fr"


def test_english_catalogue_is_compiled_and_complete():
    catalogue = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    assert (catalogue / "django.mo").exists(), "run `make messages` (carrefour compilemessages) first"
    with translation.override("en"):
        assert translation.gettext("Thématiques") == "Themes"
        assert translation.gettext("Page introuvable") != "Page introuvable"


def test_pages_declare_their_language(db):
    html = Client().get("/").content.decode()
    assert '<html lang="fr">' in html
