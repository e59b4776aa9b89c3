"""`OutboxBackend`: the platform's EMAIL_BACKEND. It queues each message in the database outbox instead of sending it;
`carrefour send_outbox` delivers them through `settings.CARREFOUR_EMAIL_DELIVERY_BACKEND`. allauth's mails, the
moderation notices and the contact relay all go this way."""

from django.core.mail.backends.base import BaseEmailBackend

from carrefour.messaging.outbox import queue_mail


def _html_alternative(message) -> str:
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            return str(content)
    return ""


def queue_message(message):
    """Queue one `EmailMessage`; its own `Message-ID` header, when it has one, becomes the idempotency key."""
    if message.attachments:
        raise ValueError("the mail outbox does not store attachments")
    headers = {str(name): str(value) for name, value in (message.extra_headers or {}).items()}
    given_id = next((headers.pop(name) for name in list(headers) if name.lower() == "message-id"), "")
    return queue_mail(
        to=[str(address) for address in message.to],
        cc=[str(address) for address in message.cc],
        bcc=[str(address) for address in message.bcc],
        reply_to=[str(address) for address in message.reply_to],
        subject=str(message.subject),
        body_text=str(message.body),
        body_html=_html_alternative(message),
        from_email=str(message.from_email) if message.from_email else None,
        headers=headers,
        idempotency_key=given_id.strip().strip("<>") or None,
    )


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                queue_message(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                queued += 1
        return queued
