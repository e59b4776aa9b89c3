"""Bounded HTTP load test of `GET /api/v1/search` on 127.0.0.1 (standard library only: threads and http.client).

    .venv/bin/python scripts/load_search_api.py --data-dir /tmp/carrefour-bench-100000
    .venv/bin/python scripts/load_search_api.py --base-url http://127.0.0.1:8000 --duration 10

Without --base-url it starts `carrefour serve --port P --workers 2` on the given data folder (SQLite; make it with
`carrefour bench search --size N` or `carrefour demo`), waits until the API answers, and stops it at the end. Then
C concurrent clients (8) send the query mix of `carrefour bench search` (text, facets, geography) in turn for D
seconds (60), and no more than --max-requests in all. It prints requests, errors, throughput and latency
percentiles (overall and per group of queries); the last line is one JSON object. Only 127.0.0.1 is ever loaded.
"""

import argparse
import http.client
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
API_PATH = "/api/v1/search"


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


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # group → milliseconds of the 200 answers
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    elapsed: float = 0.0

    def take_ticket(self, limit: int) -> bool:
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True

    def record(self, group: str, milliseconds: float | None, error: str = "") -> None:
        with self.lock:
            if error:
                self.errors.append(error)
            else:
                self.latencies.setdefault(group, []).append(milliseconds)


def client(host: str, port: int, paths: list[tuple[str, str]], offset: int, deadline: float, args, results) -> None:
    """One client: its own keep-alive connection, the mix in turn from its own offset, until the deadline."""
    connection = http.client.HTTPConnection(host, port, timeout=args.timeout)
    index = offset
    while time.monotonic() < deadline and results.take_ticket(args.max_requests):
        group, path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            results.record(group, None, f"{type(exc).__name__}: {exc}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            results.record(group, None, f"HTTP {response.status} {path}: {body[:120]!r}")
        else:
            results.record(group, elapsed)
    connection.close()


def check_answers(host: str, port: int, paths: list[tuple[str, str]], timeout: float) -> list[str]:
    """Warm-up: each query once, in turn; its answer must be JSON with a count, results and facets."""
    lines = []
    for _group, path in paths:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"warm-up: HTTP {response.status} on {path}: {body[:300]!r}")
        answer = json.loads(body)
        missing = {"count", "results", "facets"} - answer.keys()
        if missing:
            raise SystemExit(f"warm-up: {path} answered without {sorted(missing)}")
        lines.append(f"  {answer['count']:>7} results  {path}")
    return lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, port: int, workers: int, log_path: Path) -> subprocess.Popen:
    python = REPO / ".venv" / "bin" / "python"
    command = [str(python if python.exists() else sys.executable), "-m", "carrefour.cli", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["CARREFOUR_DATA_DIR"] = str(data_dir)
    with open(log_path, "wb") as log:  # gunicorn's access log: one line per request, kept out of the figures
        return subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_up(host: str, port: int, server: subprocess.Popen | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server stopped (code {server.returncode}) before answering")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", API_PATH)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"nothing answered on http://{host}:{port}{API_PATH} within {seconds:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its master is `server`; the workers are its children)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process and its exited, waited-for children used, from /proc (Linux)."""
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


def run_load(host: str, port: int, args, server: subprocess.Popen | None = None) -> dict:
    paths = [(query.group, f"{API_PATH}?{query.api_query_string()}") for query in queries_module.QUERIES]
    print(f"warm-up: {len(paths)} queries, once each")
    for line in check_answers(host, port, paths, args.timeout):
        print(line)
    results = Results()
    load_before = os.getloadavg()[0]
    server_before, client_before = server_cpu_seconds(server), time.process_time()
    started = time.monotonic()
    deadline = started + args.duration
    threads = [
        threading.Thread(target=client, args=(host, port, paths, number * 3, deadline, args, results), daemon=True)
        for number in range(args.clients)
    ]
    print(f"load: {args.clients} clients for {args.duration:g} s (at most {args.max_requests} requests)…")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + args.timeout + 30)
    results.elapsed = time.monotonic() - started
    summary = summarise(results, args)
    summary["loadavg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    summary["client_cpu_ms_per_request"] = _per_request(time.process_time() - client_before, summary["requests"])
    server_after = server_cpu_seconds(server)
    if server_before is not None and server_after is not None:
        summary["server_cpu_ms_per_request"] = _per_request(server_after - server_before, summary["requests"])
    return summary


def _per_request(seconds: float, requests: int) -> float | None:
    return round(seconds * 1000 / requests, 2) if requests else None


def summarise(results: Results, args) -> dict:
    with results.lock:
        latencies = {group: list(values) for group, values in results.latencies.items()}
        errors = list(results.errors)
    every = [ms for values in latencies.values() for ms in values]
    requests = len(every) + len(errors)
    print(f"\n{'group':<26}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for group, label in queries_module.GROUPS.items():
        values = latencies.get(group, [])
        if values:
            figures = "".join(f"{percentile(values, fraction):>9.1f}" for fraction in (0.5, 0.95, 0.99))
            print(f"{label:<26}{len(values):>9}{figures}")
    for error in errors[:10]:
        print(f"error: {error}")
    return {
        "clients": args.clients,
        "duration_s": round(results.elapsed, 1),
        "requests": requests,
        "errors": len(errors),
        "throughput_rps": round(requests / results.elapsed, 1) if results.elapsed else None,
        "p50_ms": round(percentile(every, 0.5), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "p99_ms": round(percentile(every, 0.99), 2),
        "max_ms": round(max(every), 2) if every else None,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", type=Path, help="data folder to serve (starts `carrefour serve`)")
    target.add_argument("--base-url", help="an already running server, on 127.0.0.1 only")
    parser.add_argument("--port", type=int, default=0, help="port for the server started here (a free one)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of the server started here (2)")
    parser.add_argument("--clients", type=int, default=8, choices=range(1, 65), metavar="1..64")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load, at most 600 (60)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as an error")
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds to wait for the server")
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        parser.error("--duration must be in (0, 600]")
    if not 0 < args.max_requests <= 1_000_000:
        parser.error("--max-requests must be in [1, 1000000]")
    return args


def main() -> None:
    args = parse_args()
    server = None
    if args.base_url:
        url = urlsplit(args.base_url)
        if url.scheme != "http" or url.hostname not in LOCAL_HOSTS:
            raise SystemExit("--base-url must be http://127.0.0.1[:port] (this script only loads the local machine)")
        host, port = url.hostname, url.port or 80
    else:
        if not (args.data_dir / "carrefour.sqlite3").exists():
            raise SystemExit(f"no carrefour.sqlite3 in {args.data_dir}: run `carrefour bench search --size N` first")
        host, port = "127.0.0.1", args.port or free_port()
        log_path = Path(tempfile.gettempdir()) / f"carrefour-load-{port}.log"
        server = start_server(args.data_dir.resolve(), port, args.workers, log_path)
        print(f"server: carrefour serve --port {port} --workers {args.workers} on {args.data_dir} (log {log_path})")
    try:
        wait_until_up(host, port, server, args.startup_timeout)
        summary = run_load(host, port, args, server)
    finally:
        if server is not None:
            stop_server(server)
    print(json.dumps({"base_url": f"http://{host}:{port}", "workers": args.workers if server else None, **summary}))


if __name__ == "__main__":
    main()
