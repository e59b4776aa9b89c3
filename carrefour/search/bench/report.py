"""The figures the benchmark prints: p50/p95 per group of queries, ours and the peer's, and the final JSON line."""

import math
import os

from carrefour.search.bench.peer import TRIGRAM_NOTE
from carrefour.search.bench.queries import GROUPS
from carrefour.search.bench.timing import percentile


def pooled(queries, samples, group: str | None = None) -> list[float]:
    """All the samples of the queries of a group (of the whole mix when group is None)."""
    return [ms for query, runs in zip(queries, samples, strict=True) if group in (None, query.group) for ms in runs]


def _ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(ours: float, peer: float | None) -> str:
    if peer is None or not ours:
        return "—"
    return f"{ours / peer:.3f}  ×{peer / ours:,.0f}"


def group_lines(queries, ours: dict, peer: dict | None) -> list[str]:
    """One line per group, then the whole mix: p50 and p95 (ms) for us and for the peer, and the ratios."""
    lines = [
        f"{'groupe':<26}{'req.':>5}{'nous p50':>10}{'nous p95':>10}{'CPU p95':>9}{'pair p50':>10}{'pair p95':>10}"
        f"   nous/pair p95  pair÷nous"
    ]
    for group, label in [*GROUPS.items(), (None, "ensemble du mélange")]:
        size = sum(1 for query in queries if group in (None, query.group))
        if not size:
            continue
        our_runs = pooled(queries, ours["samples"], group)
        cpu_p95 = percentile(pooled(queries, ours["cpu"], group), 0.95)
        peer_runs = pooled(queries, peer["samples"], group) if peer else []
        ours_p95, peer_p95 = percentile(our_runs, 0.95), (percentile(peer_runs, 0.95) if peer else None)
        lines.append(
            f"{label:<26}{size:>5}{_ms(percentile(our_runs, 0.5)):>10}{_ms(ours_p95):>10}{_ms(cpu_p95):>9}"
            f"{_ms(percentile(peer_runs, 0.5) if peer else None):>10}{_ms(peer_p95):>10}   {_ratio(ours_p95, peer_p95)}"
        )
    return lines


def query_lines(queries, ours: dict, peer: dict | None) -> list[str]:
    """One line per query: result counts and p50 on each side (the counts differ where the recipes differ)."""
    lines = [f"{'requête':<62}{'nous n':>8}{'pair n':>8}{'nous p50':>10}{'pair p50':>10}"]
    for index, query in enumerate(queries):
        peer_count = peer["counts"][index] if peer else "—"
        peer_p50 = percentile(peer["samples"][index], 0.5) if peer else None
        lines.append(
            f"{query.label[:61]:<62}{ours['counts'][index]:>8}{peer_count:>8}"
            f"{_ms(percentile(ours['samples'][index], 0.5)):>10}{_ms(peer_p50):>10}"
        )
    return lines


def notes(ours: dict, peer: dict | None, load: tuple[float, float]) -> list[str]:
    lines = [
        f"Nous : index construit en {ours['build_s']:.1f} s, {ours['index_bytes'] / 1_000_000:,.1f} Mo sur disque.",
        f"Charge de la machine (moyenne sur 1 min) : {load[0]:.2f} au début, {load[1]:.2f} à la fin ; "
        f"au-delà du nombre de cœurs ({os.cpu_count()}), les temps mesurés comprennent de l'attente.",
    ]
    if peer:
        lines += [
            f"Pair : PostgreSQL {peer['version'].split()[0]}, table et index construits en {peer['build_s']:.1f} s.",
            f"Pair : fautes de frappe traitées par {TRIGRAM_NOTE} ; préfixes par to_tsquery('… & dernier:*').",
        ]
    return lines


def summary(size: int, seed: int, repeat: int, queries, ours: dict, peer: dict | None, load) -> dict:
    """The final JSON object."""
    ours_p95 = percentile(pooled(queries, ours["samples"]), 0.95)
    peer_p95 = percentile(pooled(queries, peer["samples"]), 0.95) if peer else None
    return {
        "size": size,
        "seed": seed,
        "queries": len(queries),
        "repeat": repeat,
        "p50_ms": round(percentile(pooled(queries, ours["samples"]), 0.5), 3),
        "p95_ms": round(ours_p95, 3),
        "cpu_p95_ms": round(percentile(pooled(queries, ours["cpu"]), 0.95), 3),
        "peer_p50_ms": round(percentile(pooled(queries, peer["samples"]), 0.5), 3) if peer else None,
        "peer_p95_ms": round(peer_p95, 3) if peer_p95 is not None else None,
        "speedup": round(peer_p95 / ours_p95, 1) if peer_p95 is not None else None,
        "build_s": round(ours["build_s"], 2),
        "index_mb": round(ours["index_bytes"] / 1_000_000, 1),
        "peer_build_s": round(peer["build_s"], 2) if peer else None,
        "loadavg_1min": [round(value, 2) for value in load],
        "groups_p95_ms": {
            group: round(percentile(pooled(queries, ours["samples"], group), 0.95), 3) for group in GROUPS
        },
        "peer_groups_p95_ms": (
            {group: round(percentile(pooled(queries, peer["samples"], group), 0.95), 3) for group in GROUPS}
            if peer
            else None
        ),
    }
