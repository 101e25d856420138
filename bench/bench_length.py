"""Coding time against document length, and peak memory on extreme inputs.

Each length (``--lengths``, characters) is one document made of the bench articles (``bench_code``'s,
the real-news dev articles by default) put one after the other, coded in a fresh process; the
report gives seconds (on the clock and of CPU), seconds per 10,000 characters (flat when coding time
grows linearly), the document's status and the process's peak resident memory. ``--extremes`` adds
a 2 MB text on a single line and a 2 MB text of emoji only.

    python bench/bench_length.py --lengths 25000 50000 100000 200000 --extremes
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench_code import load_texts, peak_rss_mb

EXTREME_BYTES = 2_000_000


def long_text(n_chars: int, path: Path | None = None) -> str:
    """The bench articles one after the other, as paragraphs, cut to ``n_chars``."""
    texts = load_texts(path)
    parts: list[str] = []
    size = 0
    while size < n_chars:
        t = texts[len(parts) % len(texts)]
        parts.append(t)
        size += len(t) + 2
    return "\n\n".join(parts)[:n_chars]


def extreme_text(kind: str, path: Path | None = None) -> str:
    if kind == "single-line":
        return " ".join(long_text(EXTREME_BYTES, path).split())[:EXTREME_BYTES]
    return "\U0001f600\U0001f680\U0001f30d" * (EXTREME_BYTES // 12)  # 4 bytes each in UTF-8


def _child(spec: str, path: Path | None) -> dict:
    from kronika.document import Document
    from kronika.pipeline import code_documents, get_coder

    get_coder()
    list(code_documents([Document("warm", long_text(3000, path))]))
    text = extreme_text(spec, path) if spec in ("single-line", "emoji") else long_text(int(spec), path)
    doc = Document("long", text)
    t0, c0 = time.perf_counter(), time.process_time()
    ((_, events),) = list(code_documents([doc]))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "input": spec,
        "characters": len(text),
        "bytes": len(text.encode("utf-8")),
        "seconds": round(seconds, 2),
        "seconds_per_10k_chars": round(seconds / len(text) * 10_000, 3),
        "cpu_seconds": round(cpu, 2),
        "cpu_seconds_per_10k_chars": round(cpu / len(text) * 10_000, 3),
        "status": doc.status if doc.ok else f"{doc.status}: {doc.reason}",
        "events": len(events),
        "warnings": doc.warnings,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    ap.add_argument("--extremes", action="store_true", help="also a 2 MB single line and 2 MB of emoji")
    ap.add_argument("--input", type=Path, default=None)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.input)))
        return
    specs = [str(n) for n in args.lengths] + (["single-line", "emoji"] if args.extremes else [])
    extra = ["--input", str(args.input)] if args.input else []
    for spec in specs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", spec, *extra], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
