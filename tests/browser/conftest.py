"""Browser tests: a real Chromium (Debian's) drives a live site served by a separate process.

The live site runs over a throwaway data folder loaded with a small demo set. We do not use pytest-django's
`live_server`: it flushes the whole database, gazetteer included, after each test.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

BROWSER_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BROWSER_DIR.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium's own connections are refused by the closed network and slow every page down.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]
AXE_REPORT_DIR = PROJECT_DIR / "test-results" / "axe"
DEMO_SIZE = 150
SERVER_START_TIMEOUT = 90
DEMO_TIMEOUT = 600


def is_browser_test(item) -> bool:
    return BROWSER_DIR in item.path.parents


def pytest_itemcollected(item):
    if is_browser_test(item):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Browser tests run last: while Playwright's session is open, Django sees a running event loop and refuses
    # database access from the tests (SynchronousOnlyOperation).
    items.sort(key=is_browser_test)


def services_required() -> bool:
    return os.environ.get("CARREFOUR_REQUIRE_SERVICES", "") not in ("", "0")


def skip_or_fail(reason: str):
    """A missing service skips the test on a developer's machine and fails it in CI."""
    if services_required():
        pytest.fail(f"{reason} (CARREFOUR_REQUIRE_SERVICES is set, so this is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def carrefour_command() -> list[str]:
    script = Path(sys.executable).parent / "carrefour"
    return [str(script)] if script.exists() else [sys.executable, "-m", "carrefour.cli"]


def serve_command(port: int) -> list[str]:
    from django.core.management import get_commands

    if "serve" in get_commands():
        return [*carrefour_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return [*carrefour_command(), "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]


def log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the site server exited with code {process.returncode}:\n{log_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # It answers, even if with an error page: the tests will say what is wrong.
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the site server did not answer {url} within {SERVER_START_TIMEOUT} s:\n{log_tail(log)}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and any workers it started
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def live_site(chromium_path, tmp_path_factory):
    """Base URL of a site served by its own process over a throwaway data folder with demo data."""
    data_dir = tmp_path_factory.mktemp("site-data")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(CARREFOUR_DATA_DIR=str(data_dir), CARREFOUR_DEBUG="0")
    # Never a real mail server: the site's mails become files under <data folder>/mail/, which the tests read.
    env["CARREFOUR_EMAIL_BACKEND"] = "file"

    demo_log = data_dir / "demo.log"
    with demo_log.open("w") as out:
        demo = subprocess.run(
            [*carrefour_command(), "demo", "--size", str(DEMO_SIZE), "--seed", "1"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=DEMO_TIMEOUT,
        )
    if demo.returncode != 0:
        pytest.fail(f"`carrefour demo` failed with code {demo.returncode}:\n{log_tail(demo_log)}", pytrace=False)

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server_log = data_dir / "server.log"
    with server_log.open("w") as out:
        server = subprocess.Popen(
            serve_command(port),
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            wait_until_answering(f"{base_url}/", server, server_log)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield base_url
    finally:
        stop(server)


# The site's Content-Security-Policy allows no eval(), which Playwright's wait_for_function uses in the page. This
# one polls page.evaluate() instead (compiled through the DevTools protocol, which the policy does not govern), so
# the browser tests run under the real policy, and any script or style the policy blocks fails the test.
WAIT_PREDICATE = (
    "([arg]) => {{ const value = ({expression}); return typeof value === 'function' ? value(arg) : value; }}"
)


def csp_safe_wait_for_function(page, expression: str, *, arg=None, timeout: float = 30_000, polling: float = 100):
    predicate = WAIT_PREDICATE.format(expression=expression)
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            result = page.evaluate(predicate, [arg])
        except PlaywrightError as error:  # a navigation between two polls: wait on the new page, as Playwright does
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            result = None
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for {expression!r} on {page.url}")
        page.wait_for_timeout(polling)


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context(locale="fr-FR", base_url=live_site)
    page = context.new_page()
    page.wait_for_function = lambda expression, **options: csp_safe_wait_for_function(page, expression, **options)
    blocked = []

    def record_blocked(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", record_blocked)
    yield page
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


# Paths of one page of each kind, found as a visitor would: from the home page's links.

THEME_PATH = re.compile(r"^/thematiques/[^/]+/$")
REGION_PATH = re.compile(r"^/regions/[^/]+/$")
INITIATIVE_PATH = re.compile(r"^/initiatives/[^/]+/$")
ORGANISATION_PATH = re.compile(r"^/organisations/[^/]+/$")


def link_paths(page, selector: str, pattern: re.Pattern) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.href)")
    paths = [urlsplit(href).path for href in hrefs]
    return list(dict.fromkeys(path for path in paths if pattern.match(path)))


def first_with_results(page, paths: list[str]) -> tuple[str, list[str]]:
    """The first browse page that lists initiatives, and the initiative paths it lists."""
    for path in paths:
        page.goto(path)
        initiatives = link_paths(page, "ol.results li.result a", INITIATIVE_PATH)
        if initiatives:
            return path, initiatives
    raise AssertionError(f"none of {paths} lists initiatives as `ol.results li.result` with a link")


@pytest.fixture(scope="session")
def site_paths(browser, live_site) -> dict[str, str]:
    context = browser.new_context(locale="fr-FR", base_url=live_site)
    page = context.new_page()
    try:
        page.goto("/")
        themes = link_paths(page, "main a", THEME_PATH)
        regions = link_paths(page, "main a", REGION_PATH)
        assert themes, "the home page's main content links to no /thematiques/<slug>/ page"
        assert regions, "the home page's main content links to no /regions/<code>/ page"
        theme, initiatives = first_with_results(page, themes)
        region, _ = first_with_results(page, regions)
        for initiative in initiatives:
            page.goto(initiative)
            organisations = link_paths(page, "section#porteurs a", ORGANISATION_PATH)
            if organisations:
                break
        else:
            raise AssertionError(f"no initiative of {theme} links to an organisation from section#porteurs")
        return {
            "home": "/",
            "theme": theme,
            "region": region,
            "initiative": initiative,
            "organisation": organisations[0],
        }
    finally:
        context.close()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def check_axe(page) -> None:
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core not found at {AXE_SCRIPT} (run `npm ci`)")
    # From the site's own static files (node_modules is served under /static/vendor/): the Content-Security-Policy
    # blocks inline scripts, which is what add_script_tag(path=...) would insert.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    if results["incomplete"]:
        # Items axe could not decide are kept for manual review (R-A11Y-11), not failed.
        AXE_REPORT_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "home"
        report = [
            {"id": item["id"], "help": item["help"], "nodes": [n["target"] for n in item["nodes"]]}
            for item in results["incomplete"]
        ]
        (AXE_REPORT_DIR / f"{name}.incomplete.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{format_violations(violations)}"


@pytest.fixture
def assert_no_axe_violations():
    """`assert_no_axe_violations(page)` runs axe-core (WCAG 2.1 A/AA, RGAA 4 rules) on the page as it is."""
    return check_axe
