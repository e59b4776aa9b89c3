"""Helpers for browser tests that act on the live site's own data folder: commands, accounts, mails, TOTP codes.

The live site (see conftest.py) runs in its own process over a throwaway data folder. These helpers run `carrefour`
commands over the same folder, with the same environment, so what they create is what the site serves, and what the
site queued in its mail outbox is delivered by the file backend into `<data folder>/mail/`, where the tests read it.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parents[2]
COMMAND_TIMEOUT = 300
# Django's file e-mail backend writes each message followed by a line of 79 dashes.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
TOTP_PERIOD = 30
TOTP_DIGITS = 6
RESULT_MARKER = "LIVE-RESULT:"


def find_site_data(tmp_path_factory) -> Path:
    """The live site's data folder: the one `live_site` created under pytest's temporary folder and migrated."""
    found = tmp_path_factory.getbasetemp().glob("site-data*")
    folders = sorted({path.resolve() for path in found if (path / "carrefour.sqlite3").exists()})
    assert len(folders) == 1, f"cannot tell which data folder the live site uses: {folders}"
    return folders[0]


def site_env(data_dir: Path) -> dict[str, str]:
    """The live site's environment for a command: its data folder, mails written as files, `tests` importable."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        CARREFOUR_DATA_DIR=str(data_dir),
        CARREFOUR_DEBUG="0",
        CARREFOUR_EMAIL_BACKEND="file",
        PYTHONPATH=str(PROJECT_DIR),
    )
    return env


def carrefour(data_dir: Path, *args: str) -> str:
    """Run `carrefour <args>` over the live site's data; its standard output."""
    script = Path(sys.executable).parent / "carrefour"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "carrefour.cli"]
    done = subprocess.run(
        [*command, *args],
        cwd=PROJECT_DIR,
        env=site_env(data_dir),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"`carrefour {args[0]}` failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return done.stdout


def run_in_site(data_dir: Path, code: str):
    """Run Python `code` in the live site's database (through `carrefour shell`); the value it assigns to `result`
    (anything JSON can carry) is returned."""
    program = f"{code}\nimport json as _json\nprint({RESULT_MARKER!r} + _json.dumps(result))\n"
    output = carrefour(data_dir, "shell", "--no-imports", "-c", program)
    lines = [line for line in output.splitlines() if line.startswith(RESULT_MARKER)]
    assert lines, f"the script printed no result:\n{output[-2000:]}"
    return json.loads(lines[-1].removeprefix(RESULT_MARKER))


# E-mail -------------------------------------------------------------------------------------------------------


def outbox_exists() -> bool:
    from django.core.management import get_commands

    return "send_outbox" in get_commands()


def delivered_mails(data_dir: Path) -> list[EmailMessage]:
    """Every mail the live site sent so far, oldest first. Queued mails are delivered first when there is an outbox
    (as its worker would); without one, the site writes them straight into the mail folder."""
    if outbox_exists():
        carrefour(data_dir, "send_outbox")
    mails = []
    for path in sorted((data_dir / "mail").glob("*.log"), key=lambda found: (found.stat().st_mtime, found.name)):
        parts = path.read_bytes().split(MAIL_SEPARATOR)
        mails += [message_from_bytes(part.strip(b"\n"), policy=policy.default) for part in parts if part.strip()]
    return mails


def mails_to(data_dir: Path, address: str) -> list[EmailMessage]:
    return [mail for mail in delivered_mails(data_dir) if address.lower() in str(mail["To"]).lower()]


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def link_in(text: str, fragment: str) -> str:
    """Path and query of the first link of `text` containing `fragment`."""
    links = [found.rstrip(".,;)»>") for found in re.findall(r"https?://\S+", text)]
    matching = [link for link in links if fragment in link]
    assert matching, f"no link containing {fragment!r} in:\n{text}"
    parts = urlsplit(matching[0])
    return parts.path + (f"?{parts.query}" if parts.query else "")


# TOTP (RFC 6238: HMAC-SHA1 over the 30-second counter, 6 digits) -------------------------------------------------

_used_codes: set[tuple[str, int]] = set()


def totp_code(secret: str, counter: int) -> str:
    key = base64.b32decode(secret.upper(), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def fresh_totp_code(secret: str) -> str:
    """The current code, never one already typed for this secret (the site refuses a code used twice), and not in
    the last two seconds of its period (it could expire on its way)."""
    while True:
        now = time.time()
        counter = int(now // TOTP_PERIOD)
        if (secret, counter) not in _used_codes and TOTP_PERIOD - now % TOTP_PERIOD > 2:
            _used_codes.add((secret, counter))
            return totp_code(secret, counter)
        time.sleep(TOTP_PERIOD - now % TOTP_PERIOD + 0.1)


@contextmanager
def other_site(tmp_path_factory, name: str, **settings: str) -> Iterator[str]:
    """The live site's data served by a second process with other settings (environment variables): its base URL."""
    from tests.browser.conftest import free_port, serve_command, stop, wait_until_answering

    data_dir = find_site_data(tmp_path_factory)
    port = free_port()
    log = data_dir / f"server-{name}.log"
    with log.open("w") as out:
        server = subprocess.Popen(serve_command(port), cwd=PROJECT_DIR, env={**site_env(data_dir), **settings},
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base_url}/", server, log)
        yield base_url
    finally:
        stop(server)


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """A small HTTP server of a test (a partner's page, a tile server) answering from a thread until the block ends."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
