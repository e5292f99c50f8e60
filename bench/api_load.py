"""Requests per second and p50/p99 latency of /gaps and /trace/control/{id}, against /health
measured in the same run, at 50 concurrent clients on loopback (embedded store).

The API runs in its own process (uvicorn); the load comes from this one with a bounded number
of requests per endpoint.

    python -m bench.api_load                       # the sample organisation
    python -m bench.api_load --systems 10000       # a generated organisation
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from api.cli import sample_bundle
from bench.generate import generate
from graph import EmbeddedStore
from graph.bundled_neo4j import free_port
from ingest import ingest_bundle

CLIENTS = 50


async def _load(base: str, path: str, total: int) -> dict[str, float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": total, "req_per_s": round(total / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=0, help="0: the sample organisation")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        bundle = generate(Path(tmp) / "bundle", args.systems) if args.systems \
            else sample_bundle()
        control = "C0" if args.systems else "C-16"
        with EmbeddedStore(data) as store:
            ingest_bundle(store, bundle)
        port = free_port()
        env = {**os.environ, "AIMSGRAPH_DATA_DIR": str(data), "AIMSGRAPH_STORE": "embedded",
               "AIMSGRAPH_API_KEYS": ""}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/ready", timeout=60).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            httpx.get(f"{base}/gaps", timeout=300)  # build the graph view once
            results = {}
            for name, path in (("health", "/health"), ("trace", f"/trace/control/{control}"),
                               ("gaps", "/gaps"), ("health_again", "/health")):
                total = args.requests if name != "gaps" else max(50, args.requests // 20)
                results[name] = asyncio.run(_load(base, path, total))
        finally:
            server.terminate()
            server.wait(30)
    health = (results["health"]["req_per_s"] + results["health_again"]["req_per_s"]) / 2
    print(json.dumps({"systems": args.systems or "sample", "clients": CLIENTS, **results,
                      "trace_to_health_ratio": round(results["trace"]["req_per_s"] / health, 3),
                      "gaps_to_health_ratio": round(results["gaps"]["req_per_s"] / health, 3)},
                     indent=2))


if __name__ == "__main__":
    main()
