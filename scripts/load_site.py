"""Bounded HTTP load test of the site on 127.0.0.1 (R-REL-13): search page, initiative pages and search API.

    .venv/bin/python scripts/load_site.py --start-server --seed 2000 --clients 20 --duration 20
    .venv/bin/python scripts/load_site.py --url http://127.0.0.1:8000 --duration 60 --rate 20
    .venv/bin/python scripts/load_site.py --start-server --data-dir /tmp/carrefour-bench-100000 --mix api=1

--start-server starts gunicorn (2 workers, deploy/gunicorn.conf.py) on a free port of 127.0.0.1, on the current
DATABASE_URL (or the SQLite database of --data-dir), waits until it answers and stops it at the end; --seed N first
generates N demo initiatives (`carrefour demo --size N`, which rebuilds the search index). The API's per-address
budgets are lifted on that server (every request comes from 127.0.0.1, standing for many people). Without it, --url
names a running server (started with CARREFOUR_API_RATE= CARREFOUR_API_BURST=): only 127.0.0.1, localhost and ::1.

C clients (20), each on its own connection, send a weighted mix of requests for D seconds (60, at most 600) and never
more than --max-requests in all: the HTML search page and the API with the query mix of `carrefour bench search`
(text, facets, geography), initiative pages drawn at random from the sitemap, and a baseline (`/sante/`), measured
alone before the load and within the mix, so that figures can be compared across machines. --rate R paces the
clients to R requests per second in all (open loop: R-REL-13 asks for 20 req/s); without it they go as fast as the
server answers. It prints, per endpoint and overall: requests, errors (an HTTP status of 400 or more, or no answer),
throughput and the p50/p95/p99 latencies; the last line is one JSON object. The exit status is 1 when a request
failed. Standard library only.
"""

import argparse
import http.client
import importlib.util
import ipaddress
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
GROUPS = {  # endpoint → label, in display order
    "page": "page de recherche",
    "sheet": "fiches initiatives",
    "api": "API de recherche",
    "baseline": "référence",
}
DEFAULT_MIX = "page=35,sheet=35,api=25,baseline=5"
BUDGET_MS = {"page": 500, "api": 300}  # R-REL-13: p95 targets (proposed), printed for comparison only
IDLE_REQUESTS = {"baseline": 100}  # requests of the unloaded pass, per endpoint (default 20)
WARM_UP_SHEETS = 20  # initiative pages requested once before the load (the search mix is requested in full)
API_BUDGETS = ("CARREFOUR_API_RATE", "CARREFOUR_API_BURST")  # per client address (settings.py); empty: none
SEARCH_PAGE, SEARCH_API = "/recherche/", "/api/v1/search"
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


def _load_module(name: str):
    """A stdlib-only module of carrefour.search.bench, loaded by path so that neither Django nor the engine loads."""
    path = REPO / "carrefour" / "search" / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


queries_module = _load_module("queries")
percentile = _load_module("timing").percentile


# --- Target ---------------------------------------------------------------------------------------------------


def local_target(url: str) -> tuple[str, int]:
    """(host, port) of an http URL on the loopback; SystemExit for anything else, before any request is sent."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
        raise SystemExit(
            f"--url must be http://127.0.0.1[:port] or localhost (this script loads this machine only): {url}"
        )
    port = parts.port or 80
    for *_rest, address in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM):
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise SystemExit(f"{parts.hostname} resolves to {address[0]}, not to the loopback: refused")
    return parts.hostname, port


def get(host: str, port: int, path: str, timeout: float) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- Server -----------------------------------------------------------------------------------------------------


def server_environment(data_dir: Path | None) -> dict[str, str]:
    # Every request comes from 127.0.0.1, standing for many people: the API's per-address budgets are lifted.
    environment = {**os.environ, **{name: "" for name in API_BUDGETS}}
    if data_dir is not None:  # its own SQLite database, whatever DATABASE_URL says
        environment.pop("DATABASE_URL", None)
        environment["CARREFOUR_DATA_DIR"] = str(data_dir.resolve())
    return environment


def seed(size: int, environment: dict[str, str]) -> None:
    """N demo initiatives on the server's database (`carrefour demo` migrates, generates and reindexes)."""
    command = [str(_venv_bin("carrefour")), "demo", "--size", str(size)]
    print(f"seed: {' '.join(command)}", flush=True)
    subprocess.run(command, env=environment, check=True, cwd=REPO)


def _venv_bin(name: str) -> Path:
    local = Path(sys.executable).parent / name
    return local if local.exists() else REPO / ".venv" / "bin" / name


def start_server(port: int, workers: int, environment: dict[str, str], log_path: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, with the production settings file when there is one."""
    config = REPO / "deploy" / "gunicorn.conf.py"
    command = [str(_venv_bin("gunicorn"))]
    if config.exists():
        command += ["-c", str(config)]
        environment = {**environment, "CARREFOUR_BIND": f"127.0.0.1:{port}", "CARREFOUR_WORKERS": str(workers)}
    else:
        command += ["carrefour.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    print(f"server: {' '.join(command)} on 127.0.0.1:{port} (log {log_path})", flush=True)
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command, env=environment, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_up(host: str, port: int, server: subprocess.Popen | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server stopped (code {server.returncode}) before answering: see its log")
        try:
            get(host, port, "/sante/", timeout=2)
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"nothing answered on http://{host}:{port}/ within {seconds:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the gunicorn started here (its master is `server`; the workers are its children)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its waited-for children, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server: subprocess.Popen | None) -> float | None:
    """CPU seconds of the gunicorn master and its live workers; None when the server is not ours or unreadable."""
    if server is None:
        return None
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        return sum(process_cpu_seconds(int(pid)) for pid in [server.pid, *children])
    except (OSError, ValueError):
        return None


# --- What to request ------------------------------------------------------------------------------------------


def search_paths(base: str) -> list[str]:
    """The query mix of the benchmarks, plus the second page and the empty search (every sheet, all facets)."""
    strings = [query.api_query_string() for query in queries_module.QUERIES]
    paths = [f"{base}?{string}" for string in strings]
    return [*paths, base, f"{base}?q=solidaire&page=2", f"{base}?q=jardin&sort=freshness"]


def sheet_paths(host: str, port: int, count: int, rng: random.Random, timeout: float) -> list[str]:
    """Paths of up to `count` published initiatives, drawn from the sitemap (its first section of initiatives)."""
    status, body = get(host, port, "/sitemap.xml", timeout)
    if status != 200:
        raise SystemExit(f"/sitemap.xml answered {status}: cannot find initiative pages")
    sections = [urlsplit(loc).path for loc in LOC.findall(body.decode())]
    section = next((path for path in sections if "initiatives" in path), None)
    if section is None:
        raise SystemExit("the sitemap has no section of initiatives: seed the database (--seed N)")
    status, body = get(host, port, section, timeout)
    paths = [urlsplit(loc).path for loc in LOC.findall(body.decode())] if status == 200 else []
    if not paths:
        raise SystemExit(f"{section} lists no initiative: seed the database (--seed N)")
    return rng.sample(paths, min(count, len(paths)))


def parse_mix(text: str) -> dict[str, float]:
    weights = {}
    for item in text.split(","):
        name, _sep, weight = item.partition("=")
        if name.strip() not in GROUPS:
            raise argparse.ArgumentTypeError(f"unknown endpoint {name.strip()!r} (one of {', '.join(GROUPS)})")
        try:
            weights[name.strip()] = float(weight)
        except ValueError:
            raise argparse.ArgumentTypeError(f"weight of {name.strip()} is not a number: {weight!r}") from None
    if not weights or min(weights.values()) < 0 or sum(weights.values()) <= 0:
        raise argparse.ArgumentTypeError("weights must be ≥ 0 and not all zero")
    return {name: weight for name, weight in weights.items() if weight > 0}


def warm_up(host: str, port: int, paths: dict[str, list[str]], timeout: float) -> None:
    """Each path once (caches, index readers); the load does not start unless each answers below 400."""
    for group, group_paths in paths.items():
        failures = []
        for path in group_paths:
            status, body = get(host, port, path, timeout)
            if status >= 400:
                failures.append(f"HTTP {status} {path}: {body[:200]!r}")
        if failures:
            hint = f" (start the server with {' and '.join(API_BUDGETS)} empty)" if "HTTP 429" in failures[0] else ""
            raise SystemExit(f"warm-up of {GROUPS[group]}{hint}: " + "; ".join(failures[:3]))
        print(f"  {GROUPS[group]:<20} {len(group_paths):>4} addresses, each answered once")


# --- Load -------------------------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # group → milliseconds of the good answers
    errors: Counter = field(default_factory=Counter)  # group → failed requests
    statuses: Counter = field(default_factory=Counter)  # HTTP status (or exception name) → count
    samples: list[str] = field(default_factory=list)  # the first few failures, for the report
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0

    def take_ticket(self, limit: int) -> bool:
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True

    def record(self, group: str, status: int | str, milliseconds: float, detail: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            if isinstance(status, int) and status < 400:
                self.latencies.setdefault(group, []).append(milliseconds)
                return
            self.errors[group] += 1
            if len(self.samples) < 10:
                self.samples.append(detail)


@dataclass
class Plan:
    host: str
    port: int
    paths: dict[str, list[str]]
    weights: dict[str, float]
    deadline: float
    interval: float  # seconds between two requests of one client (0: no pacing)
    timeout: float
    max_requests: int


def client(number: int, plan: Plan, results: Results, seed: int) -> None:
    """One client: its own connection (kept alive when the server allows), a weighted draw per request."""
    rng = random.Random(seed * 1000 + number)
    groups, weights = list(plan.weights), list(plan.weights.values())
    connection = http.client.HTTPConnection(plan.host, plan.port, timeout=plan.timeout)
    next_start = time.monotonic() + rng.uniform(0, plan.interval)  # spread the paced clients' starts
    while results.take_ticket(plan.max_requests):
        if plan.interval:  # paced: one request every `interval` seconds; a late client does not catch up
            pause = next_start - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            next_start = max(next_start, time.monotonic() - plan.interval) + plan.interval
        if time.monotonic() >= plan.deadline:
            break
        group = rng.choices(groups, weights)[0]
        path = rng.choice(plan.paths[group])
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            results.record(group, type(exc).__name__, 0.0, f"{type(exc).__name__} {path}: {exc}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        results.record(group, response.status, elapsed, f"HTTP {response.status} {path}: {body[:120]!r}")
    connection.close()


def idle_pass(host: str, port: int, paths: dict[str, list[str]], timeout: float) -> dict[str, dict]:
    """Before the load, one request at a time on one connection: each endpoint's own time, unloaded (20 requests
    each, 100 for the baseline): with the baseline, what makes figures comparable across machines."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    idle = {}
    for group, group_paths in paths.items():
        latencies, errors = [], 0
        for index in range(IDLE_REQUESTS.get(group, 20)):
            started = time.perf_counter()
            try:
                connection.request("GET", group_paths[index % len(group_paths)])
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # reopened by the next request
                errors += 1
                continue
            if response.status < 400:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1
        idle[group] = figures(latencies, errors, 0.0)
    connection.close()
    return idle


def run_load(plan: Plan, clients: int, seed: int) -> tuple[Results, float]:
    results = Results()
    threads = [
        threading.Thread(target=client, args=(number, plan, results, seed), daemon=True) for number in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, plan.deadline - time.monotonic()) + plan.timeout + 5)
    return results, time.monotonic() - started


# --- Report -----------------------------------------------------------------------------------------------------


def figures(latencies: list[float], errors: int, elapsed: float) -> dict:
    requests = len(latencies) + errors
    return {
        "requests": requests,
        "errors": errors,
        "throughput_rps": round(requests / elapsed, 1) if elapsed else None,
        "p50_ms": _round(percentile(latencies, 0.5)),
        "p95_ms": _round(percentile(latencies, 0.95)),
        "p99_ms": _round(percentile(latencies, 0.99)),
        "max_ms": _round(max(latencies)) if latencies else None,
    }


def _round(value: float) -> float | None:
    return None if value != value else round(value, 1)  # NaN (no sample) → None


def summarise(results: Results, elapsed: float) -> dict:
    with results.lock:
        latencies = {group: list(values) for group, values in results.latencies.items()}
        errors, statuses = Counter(results.errors), Counter(results.statuses)
    groups = [group for group in GROUPS if group in latencies or group in errors]
    summary = {group: figures(latencies.get(group, []), errors[group], elapsed) for group in groups}
    every = [ms for values in latencies.values() for ms in values]
    summary["overall"] = figures(every, sum(errors.values()), elapsed)
    summary["statuses"] = {str(status): count for status, count in sorted(statuses.items(), key=str)}
    return summary


LABEL_WIDTH = 28


def print_table(summary: dict, idle: dict[str, dict]) -> None:
    keys = ("requests", "errors", "throughput_rps", "p50_ms", "p95_ms", "p99_ms", "max_ms")
    widths = (9, 8, 8, 9, 9, 9, 9)
    titles = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print("\n" + " " * LABEL_WIDTH + "".join(f"{title:>{width}}" for title, width in zip(titles, widths, strict=True)))
    rows = [(GROUPS[group], summary[group]) for group in GROUPS if group in summary]
    rows.append(("ensemble", summary["overall"]))
    rows += [(f"{GROUPS[group]}, à vide", row) for group, row in idle.items()]
    for label, row in rows:
        print(
            f"{label:<{LABEL_WIDTH}}"
            + "".join(f"{_cell(row[key]):>{width}}" for key, width in zip(keys, widths, strict=True))
        )
    for group, budget in BUDGET_MS.items():
        p95 = summary.get(group, {}).get("p95_ms")
        if p95 is not None:
            verdict = "within" if p95 <= budget else "OVER"
            print(f"R-REL-13 (proposed): {GROUPS[group]} p95 {p95} ms, budget {budget} ms: {verdict}")
    print(f"statuses: {summary['statuses']}")


def _cell(value) -> str:
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


# --- Command line ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running server, on the loopback only (http://127.0.0.1:8000)")
    target.add_argument("--start-server", action="store_true", help="start gunicorn here, stop it at the end")
    parser.add_argument("--data-dir", type=Path, help="with --start-server: serve this data folder's SQLite database")
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 9), metavar="1..8", help="gunicorn (2)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="first generate N demo initiatives")
    parser.add_argument("--clients", type=int, default=20, choices=range(1, 65), metavar="1..64", help="(20)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load, at most 600 (60)")
    parser.add_argument("--rate", type=float, default=0.0, help="requests per second in all (0: as fast as possible)")
    parser.add_argument("--mix", type=parse_mix, default=parse_mix(DEFAULT_MIX), help=f"weights ({DEFAULT_MIX})")
    parser.add_argument("--sheets", type=int, default=500, help="initiative pages drawn from the sitemap (500)")
    parser.add_argument("--baseline-path", default="/sante/", help="the baseline request (/sante/)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as failed")
    parser.add_argument("--random-seed", type=int, default=1, help="of the clients' draws (1)")
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds to wait for the server")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600:
        parser.error("--duration must be in (0, 600]")
    if not 0 < args.max_requests <= 1_000_000:
        parser.error("--max-requests must be in [1, 1000000]")
    if args.rate < 0 or not 0 < args.timeout <= 60 or not 0 < args.sheets <= 10_000 or args.seed < 0:
        parser.error("--rate ≥ 0, --timeout in (0, 60], --sheets in [1, 10000] and --seed ≥ 0, please")
    if (args.data_dir or args.seed) and not args.start_server:
        parser.error("--data-dir and --seed go with --start-server")
    if not args.baseline_path.startswith("/"):
        parser.error("--baseline-path is a path: /sante/")
    if args.url:
        args.host, args.port = local_target(args.url)
    return args


def collect_paths(args) -> dict[str, list[str]]:
    """The addresses of each endpoint of the mix (the sitemap is read only when initiative pages are wanted)."""
    paths = {}
    for group in args.mix:
        if group == "sheet":
            rng = random.Random(args.random_seed)
            paths[group] = sheet_paths(args.host, args.port, args.sheets, rng, args.timeout)
        elif group == "baseline":
            paths[group] = [args.baseline_path]
        else:
            paths[group] = search_paths(SEARCH_PAGE if group == "page" else SEARCH_API)
    return paths


def measure(args, server: subprocess.Popen | None) -> dict:
    paths = collect_paths(args)
    print("warm-up:")
    measured = {**paths, "baseline": [args.baseline_path]}  # alone, the baseline is measured even out of the mix
    warm = {group: values[:WARM_UP_SHEETS] if group == "sheet" else values for group, values in measured.items()}
    warm_up(args.host, args.port, warm, args.timeout)
    idle = idle_pass(args.host, args.port, measured, args.timeout)
    interval = args.clients / args.rate if args.rate else 0.0
    pace = f", {args.rate:g} req/s in all" if args.rate else ""
    print(f"load: {args.clients} clients for {args.duration:g} s{pace} (at most {args.max_requests} requests)…")
    load_before, cpu_before = os.getloadavg()[0], (server_cpu_seconds(server), time.process_time())
    deadline = time.monotonic() + args.duration
    plan = Plan(args.host, args.port, paths, args.mix, deadline, interval, args.timeout, args.max_requests)
    results, elapsed = run_load(plan, args.clients, args.random_seed)
    summary = summarise(results, elapsed)
    print_table(summary, idle)
    for sample in results.samples:
        print(f"error: {sample}")
    server_after, requests = server_cpu_seconds(server), summary["overall"]["requests"]
    machine = {
        "cpus": os.cpu_count(),
        "loadavg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "client_cpu_ms_per_request": _per_request(time.process_time() - cpu_before[1], requests),
    }
    if cpu_before[0] is not None and server_after is not None:
        machine["server_cpu_ms_per_request"] = _per_request(server_after - cpu_before[0], requests)
    print(f"machine: {machine}")
    return {"duration_s": round(elapsed, 1), "clients": args.clients, "rate": args.rate or None, **summary,
            "idle": idle, "machine": machine}  # fmt: skip


def _per_request(seconds: float, requests: int) -> float | None:
    return round(seconds * 1000 / requests, 2) if requests else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = None
    if args.start_server:
        environment = server_environment(args.data_dir)
        if args.seed:
            seed(args.seed, environment)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.host, args.port = "127.0.0.1", sock.getsockname()[1]
        log_path = Path(tempfile.gettempdir()) / f"carrefour-load-{args.port}.log"
        server = start_server(args.port, args.workers, environment, log_path)
    try:
        wait_until_up(args.host, args.port, server, args.startup_timeout)
        summary = measure(args, server)
    finally:
        if server is not None:
            stop_server(server)
    workers = args.workers if server else None
    print(json.dumps({"base_url": f"http://{args.host}:{args.port}", "workers": workers, **summary}))
    return 1 if summary["overall"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
