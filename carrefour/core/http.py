"""The one outbound HTTP helper: timeouts, a size cap, no private addresses, no redirect to another host.

Partner feeds must be https on port 443 (R-SEC-17). Hosts listed in `settings.OUTBOUND_HTTP_ALLOWED_HOSTS` (tests list
127.0.0.1) may use http, any port, and loopback or private addresses. The connection goes to the address that was
checked, so a DNS answer cannot change between the check and the request.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 60
MAX_REDIRECTS = 3
USER_AGENT = "Carrefour-des-innovations-sociales/1.0 (+import de sources partenaires)"


class OutboundError(Exception):
    """The request was refused or failed; the message is in French."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: dict
    body: bytes

    def text(self) -> str:
        charset = self.headers.get("content-type", "").partition("charset=")[2].split(";")[0].strip() or "utf-8"
        return self.body.decode(charset, errors="replace")


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT) -> Response:
    deadline = time.monotonic() + timeout
    first_host = urlsplit(url).hostname
    for _hop in range(MAX_REDIRECTS + 1):
        response = _request_once(url, max_bytes, deadline)
        location = response.headers.get("location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(url, location)
        if urlsplit(target).hostname != first_host:
            raise OutboundError(_("Redirection vers un autre hôte refusée : %(url)s") % {"url": target})
        url = target
    raise OutboundError(_("Trop de redirections pour %(url)s") % {"url": url})


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, checked IP address) or OutboundError."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = host in _allowed_hosts()
    if parts.scheme not in ("https", "http") or not host:
        raise OutboundError(
            _("Adresse refusée : seules les adresses https:// sont acceptées (%(url)s).") % {"url": url}
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not allowed and (parts.scheme != "https" or port != 443):
        raise OutboundError(_("Adresse refusée : https sur le port 443 uniquement (%(url)s).") % {"url": url})
    address = _resolve(host, port)
    if not allowed and not _is_public(address):
        raise OutboundError(_("Adresse refusée : %(host)s désigne une adresse privée ou locale.") % {"host": host})
    return parts.scheme, host, port, address


def _allowed_hosts() -> set[str]:
    return {host.lower() for host in getattr(settings, "OUTBOUND_HTTP_ALLOWED_HOSTS", [])}


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OutboundError(_("Nom d'hôte introuvable : %(host)s") % {"host": host}) from exc
    addresses = [info[4][0] for info in infos]
    private = [address for address in addresses if not _is_public(address)]
    return private[0] if private else addresses[0]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
                or ip.is_unspecified)  # fmt: skip


def _request_once(url: str, max_bytes: int, deadline: float) -> Response:
    scheme, host, port, address = check_url(url)
    remaining = max(1.0, deadline - time.monotonic())
    connection = (
        _PinnedHTTPS(host, address, port, remaining) if scheme == "https" else _PinnedHTTP(address, port, remaining)
    )
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"Host": host, "User-Agent": USER_AGENT, "Accept": "*/*"})
        raw = connection.getresponse()
        body = _read_capped(raw, max_bytes, deadline)
        headers = {key.lower(): value for key, value in raw.getheaders()}
        return Response(url=url, status=raw.status, headers=headers, body=body)
    except (OSError, http.client.HTTPException) as exc:
        raise OutboundError(_("Échec de la requête vers %(host)s : %(error)s") % {"host": host, "error": exc}) from exc
    finally:
        connection.close()


def _read_capped(raw, max_bytes: int, deadline: float) -> bytes:
    chunks, total = [], 0
    while chunk := raw.read(65536):
        total += len(chunk)
        if total > max_bytes:
            raise OutboundError(_("Réponse trop volumineuse (plus de %(size)d octets).") % {"size": max_bytes})
        if time.monotonic() > deadline:
            raise OutboundError(_("Délai dépassé pendant la lecture de la réponse."))
        chunks.append(chunk)
    return b"".join(chunks)


class _PinnedHTTP(http.client.HTTPConnection):
    pass


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the checked address while verifying the certificate for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
