"""Fixtures shared by the contributions and moderation tests (imported by their conftest files)."""

import pytest

from tests.factories import login_with_second_factor, make_moderator, make_user


@pytest.fixture(autouse=True)
def mail_and_threshold(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CARREFOUR_REPORTS_TO_HIDE = 3


@pytest.fixture
def contributor(db):
    return make_user("alice.martin@exemple.fr")


@pytest.fixture
def other_contributor(db):
    return make_user("bruno.leroy@exemple.fr")


@pytest.fixture
def alice(client, contributor):
    client.force_login(contributor)
    return client


@pytest.fixture
def moderator(db):
    return make_moderator("modo@exemple.fr")


@pytest.fixture
def moderator_client(moderator):
    from django.test import Client

    client = Client()
    login_with_second_factor(client, moderator)
    return client
