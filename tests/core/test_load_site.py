"""scripts/load_site.py: bounded to the loopback and to its duration, and it counts what failed, per endpoint.
Driven against a small standard-library server on 127.0.0.1 (no Django, no network)."""

import importlib.util
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_site.py"


@pytest.fixture(scope="module")
def load_site():
    spec = importlib.util.spec_from_file_location("load_site", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


class FakeSite(BaseHTTPRequestHandler):
    """A sitemap of three sheets, one of which fails (500) once warmed up; everything else answers 200."""

    protocol_version = "HTTP/1.1"
    requested: list[str] = []

    def do_GET(self):
        self.requested.append(self.path)
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        status, body = 200, b"{}"
        if self.path == "/sitemap.xml":
            body = f"<sitemapindex><sitemap><loc>{host}/sitemap-initiatives.xml</loc></sitemap></sitemapindex>".encode()
        elif self.path == "/sitemap-initiatives.xml":
            locs = "".join(f"<url><loc>{host}/initiatives/{slug}/</loc></url>" for slug in ("a", "b", "panne"))
            body = f"<urlset>{locs}</urlset>".encode()
        elif self.path == "/initiatives/panne/" and FakeSite.failing and self.requested.count(self.path) > 1:
            status = 500  # after the warm-up, which requests each page once
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_site():
    FakeSite.requested, FakeSite.failing = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "https://127.0.0.1:8000",
        "http://10.0.0.1:8000",
        "http://127.0.0.1.nip.io",
        "ftp://localhost",
    ],
)
def test_only_the_loopback_over_http_is_accepted(load_site, url):
    with pytest.raises(SystemExit, match="--url must be"):
        load_site.local_target(url)


def test_loopback_addresses_are_accepted(load_site):
    assert load_site.local_target("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert load_site.local_target("http://localhost") == ("localhost", 80)


@pytest.mark.parametrize(
    "argv",
    [
        ["--url", "http://127.0.0.1:8000", "--duration", "0"],
        ["--url", "http://127.0.0.1:8000", "--duration", "601"],
        ["--url", "http://127.0.0.1:8000", "--clients", "65"],
        ["--url", "http://127.0.0.1:8000", "--seed", "100"],
        ["--url", "http://127.0.0.1:8000", "--mix", "page=1,admin=1"],
        ["--url", "http://127.0.0.1:8000", "--mix", "page=-1"],
        ["--duration", "10"],
    ],
)
def test_unbounded_or_unknown_options_are_refused(load_site, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        load_site.parse_args(argv)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_mix_weights_are_read_and_zero_weights_dropped(load_site):
    assert load_site.parse_mix("page=3,sheet=0,api=1") == {"page": 3.0, "api": 1.0}


def test_a_run_stops_by_itself_and_counts_failures_per_endpoint(load_site, fake_site, capsys):
    FakeSite.failing = True
    started = time.monotonic()
    code = load_site.main(["--url", fake_site, "--clients", "3", "--duration", "1", "--mix", "sheet=1,api=1"])
    assert time.monotonic() - started < 10
    assert code == 1  # the failing sheet makes the run fail
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["sheet"]["errors"] > 0
    assert summary["api"]["errors"] == 0 and summary["api"]["requests"] > 0
    assert summary["statuses"]["500"] == summary["overall"]["errors"] == summary["sheet"]["errors"]
    assert summary["overall"]["requests"] == summary["sheet"]["requests"] + summary["api"]["requests"]
    assert summary["idle"]["baseline"]["requests"] == 100 and summary["idle"]["api"]["requests"] == 20
    assert "page" not in summary  # not in the mix: never requested
    assert not any(path.startswith("/recherche/") for path in FakeSite.requested)
    assert any(path.startswith("/api/v1/search?q=") for path in FakeSite.requested)


def test_a_run_without_failures_exits_zero_and_respects_max_requests(load_site, fake_site, capsys):
    code = load_site.main(["--url", fake_site, "--clients", "2", "--duration", "5", "--max-requests", "40"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    assert summary["overall"]["errors"] == 0
    assert summary["overall"]["requests"] == 40
    assert set(summary) >= {"page", "sheet", "api", "baseline", "overall", "machine"}
