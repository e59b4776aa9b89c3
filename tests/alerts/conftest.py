import pytest


@pytest.fixture
def outbox_mails(settings):
    """Mails go to the database outbox, as in production."""
    from carrefour.messaging.models import OutgoingMail

    settings.EMAIL_BACKEND = "carrefour.messaging.backends.OutboxBackend"
    return OutgoingMail.objects
