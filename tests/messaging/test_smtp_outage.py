"""An SMTP outage, end to end through Django's real SMTP backend (R-REL-11): while nothing listens, mails stay
queued and each failed attempt is recorded; once an SMTP server on 127.0.0.1 answers, each mail arrives exactly once."""

import socket
import socketserver
import threading
from datetime import timedelta

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.utils import timezone

from carrefour.messaging import outbox
from carrefour.messaging.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 127.0.0.1 ESMTP test")
        while line := self.rfile.readline():
            verb = line.decode("utf-8", "replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                self.server.messages.append(self._read_data())
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        return b"".join(lines)


class SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SmtpHandler)
        self.messages: list[bytes] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def smtp_port(settings, outbox_backend):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CARREFOUR_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


def test_mails_wait_out_an_smtp_outage_then_arrive_exactly_once(smtp_port):
    send_mail("Votre fiche est publiée", "Bonjour Camille", None, ["camille@exemple.fr"])
    send_mail("Nouveau message", "Bonjour Dominique", None, ["dominique@exemple.fr"])

    call_command("send_outbox", verbosity=0)  # nothing listens on the port: refused

    rows = list(OutgoingMail.objects.order_by("pk"))
    assert [(row.status, row.attempts) for row in rows] == [(MailStatus.QUEUED, 1), (MailStatus.QUEUED, 1)]
    assert all("ConnectionRefusedError" in row.last_error for row in rows)

    server = SmtpServer(smtp_port)
    try:
        later = timezone.now() + timedelta(hours=1)
        assert outbox.send_due(now=later) == (2, 0)
        assert outbox.send_due(now=later + timedelta(days=1)) == (0, 0)
    finally:
        server.stop()

    assert len(server.messages) == 2
    received = b"".join(server.messages).decode()
    assert "Bonjour Camille" in received and "Bonjour Dominique" in received
    for row in OutgoingMail.objects.all():
        assert row.status == MailStatus.SENT and row.attempts == 2
        assert outbox.message_id(row) in received
