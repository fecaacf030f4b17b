"""Timing requests: one GET as a client behind the TLS proxy sends it, and p50 / p95 over
sequential GETs after a warm-up."""

import json
import math
import time
from dataclasses import dataclass

from bench.config import Config


def get(config: Config, path: str, token: str) -> tuple[int, bytes, float]:
    """One GET as a client behind the TLS proxy would send it; (status, body, milliseconds)."""
    import http.client

    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", config.port, timeout=60)
    try:
        conn.request(
            "GET",
            path,
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        )
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timing:
    p50: float
    p95: float
    samples: int
    size: int


def measure(config: Config, path: str, token: str, *, samples: int, budget: float) -> Timing:
    """Sequential GETs after a warm-up, until ``samples`` or ``budget`` seconds (20 at least)."""
    for _ in range(3 if config.quick else 5):
        _check(path, *get(config, path, token)[:2])
    times: list[float] = []
    started = time.monotonic()
    size = 0
    while len(times) < samples and (time.monotonic() - started < budget or len(times) < 20):
        status, body, ms = get(config, path, token)
        _check(path, status, body)
        times.append(ms)
        size = len(body)
    return Timing(percentile(times, 0.5), percentile(times, 0.95), len(times), size)


def _check(path: str, status: int, body: bytes) -> None:
    if status != 200 or json.loads(body).get("code") != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:500]!r}")
