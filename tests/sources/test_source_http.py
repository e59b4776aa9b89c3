"""The one outbound HTTP helper refuses what R-SEC-17 refuses. Only loopback is ever contacted."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from carrefour.core.http import OutboundError, check_url, fetch


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "file:///etc/passwd", "https://10.0.0.1/", "https://localhost/", "https://[::1]/",
     "https://169.254.169.254/latest/meta-data/", "https://exemple.fr:8443/", "ftp://exemple.fr/"],
)  # fmt: skip
def test_unsafe_urls_are_refused_before_any_connection(url, settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
    with pytest.raises(OutboundError):
        check_url(url)


class Redirecting(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/ailleurs":
            self.send_response(302)
            self.send_header("Location", "http://localhost:1/secret")
        elif self.path == "/gros":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            return
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_redirect_to_another_host_is_refused(server):
    with pytest.raises(OutboundError, match="autre hôte"):
        fetch(f"{server}/ailleurs")


def test_responses_over_the_size_limit_are_refused(server):
    assert fetch(f"{server}/gros").status == 200
    with pytest.raises(OutboundError, match="volumineuse"):
        fetch(f"{server}/gros", max_bytes=1000)
