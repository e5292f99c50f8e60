"""Requests per second and p50/p99 latency of /gaps and /trace/control/{id}, against /health
measured in the same run, at 50 concurrent clients on loopback (embedded store).

The API runs in its own process (uvicorn, one worker); the load comes from wrk (Debian's
package) in another, for a bounded time per endpoint.

    python -m bench.api_load                       # the sample organisation
    python -m bench.api_load --systems 10000       # a generated organisation
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.sample import sample_bundle
from bench.generate import generate

CLIENTS = 50


def _unit_ms(text: str) -> float:
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    raise ValueError(text)


def _load(base: str, path: str, seconds: int) -> dict[str, float]:
    """wrk, a separate process, for ``seconds`` at CLIENTS connections on loopback."""
    out = subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--latency",
                          f"{base}{path}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"req_per_s": rate, "p50_ms": round(_unit_ms(p50), 2),
            "p99_ms": round(_unit_ms(p99), 2), "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=0, help="0: the sample organisation")
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint")
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
            [sys.executable, "-m", "uvicorn", "aimsgraph.api.http.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
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
                results[name] = _load(base, path, args.seconds)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    health = (results["health"]["req_per_s"] + results["health_again"]["req_per_s"]) / 2
    print(json.dumps({"systems": args.systems or "sample", "clients": CLIENTS, **results,
                      "trace_to_health_ratio": round(results["trace"]["req_per_s"] / health, 3),
                      "gaps_to_health_ratio": round(results["gaps"]["req_per_s"] / health, 3)},
                     indent=2))


if __name__ == "__main__":
    main()
