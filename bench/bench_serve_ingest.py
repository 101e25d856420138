"""The API beside an ingest: how many read requests answer 200 within 2 s while ``kronika ingest`` writes.

Makes a store with a first batch of generated articles (``bench_ingest.generate``), starts
``kronika serve`` over it, then starts ``kronika ingest`` of ``--articles`` more articles while a client
sends read requests (``/api/stats``, ``/api/events``, ``/api/timeline``, ``/api/network``) one after
another until the ingest ends. An ingest started while the server answers must succeed (exit 0);
the requirement for the reads is that at least 99 % answer 200 within 2 s.

    python bench/bench_serve_ingest.py --articles 200 --json
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import generate, write_jsonl  # noqa: E402

PATHS = ["/api/stats", "/api/events?limit=20", "/api/timeline?a=RUS", "/api/network", "/api/events?offset=5"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kronika(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kronika.cli import app; app()", *args]


def _wait_up(client: httpx.Client, url: str, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            client.get(url + "/api/stats", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def run(articles: int, first: int, commit_every: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kronika-serve-") as tmp:
        folder = Path(tmp)
        records = generate(first + articles)
        seed = write_jsonl(records[:first], folder / "first.jsonl")
        more = write_jsonl(records[first:], folder / "more.jsonl")
        db = folder / "news.duckdb"
        env = dict(os.environ)
        subprocess.run(
            _kronika("ingest", str(seed), "--db", str(db)), check=True, env=env, capture_output=True
        )
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            _kronika("serve", "--db", str(db), "--port", str(port)),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with httpx.Client() as client:
                _wait_up(client, url)
                return _during_ingest(client, url, more, db, commit_every, env)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _during_ingest(
    client: httpx.Client, url: str, more: Path, db: Path, commit_every: int, env: dict[str, str]
) -> dict[str, object]:
    started = time.perf_counter()
    ingest = subprocess.Popen(
        _kronika("ingest", str(more), "--db", str(db), "--commit-every", str(commit_every)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    i = 0
    while ingest.poll() is None:
        path = PATHS[i % len(PATHS)]
        i += 1
        t0 = time.perf_counter()
        try:
            r = client.get(url + path, timeout=30)
            status = str(r.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        secs = time.perf_counter() - t0
        latencies.append(secs)
        outcomes["200 within 2 s" if status == "200" and secs <= 2 else f"{status} in {secs:.1f} s"] += 1
    stderr = ingest.stderr.read().decode() if ingest.stderr else ""
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "ok_within_2s": outcomes["200 within 2 s"],
        "share_ok": round(outcomes["200 within 2 s"] / n, 4) if n else None,
        "outcomes": dict(outcomes),
        "p50_s": round(latencies[n // 2], 3) if n else None,
        "p99_s": round(latencies[min(n - 1, int(n * 0.99))], 3) if n else None,
        "max_s": round(latencies[-1], 3) if n else None,
        "ingest_exit": ingest.returncode,
        "ingest_s": round(time.perf_counter() - started, 1),
        "ingest_stderr_tail": stderr[-300:],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200, help="articles ingested while the API answers")
    ap.add_argument("--first", type=int, default=50, help="articles in the store before the server starts")
    ap.add_argument("--commit-every", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = run(args.articles, args.first, args.commit_every)
    print(json.dumps(result, indent=1) if args.json else result)


if __name__ == "__main__":
    main()
