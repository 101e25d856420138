"""Coding speed on real articles: Kronika's ``code_documents`` against plain spaCy ``nlp.pipe``.

Each measurement is a whole process (``--child spacy`` or ``--child kronika``) that loads what it
needs, warms up on a few articles, then processes every article once; the parent alternates the two
kinds ``--rounds`` times (the order flips every round, so a change in the machine's load hits both)
and reports, per round and as the median, the ratio of plain spaCy's time to Kronika's (above 1:
Kronika is faster): for the processing alone in wall-clock and in CPU time (the steadier figure on
a machine shared with other work), and for the whole process; with each process's peak resident
memory. The whole process is also counted in CPU time (user and system, from the children's resource
usage). Plain spaCy runs every component of the model (NER included) with the same
batch size Kronika's settings give.

The articles are the hand-coded real-news dev articles (``../shared/data/realnews/dev/docs.jsonl``)
by default, or any JSON Lines file of ``{"id", "text"}`` given with ``--input``; ``--articles N``
repeats them up to N. Without either, the seed articles and gold-standard sentences are used.

    python bench/bench_code.py --articles 240 --rounds 3
    python bench/bench_code.py --input other.jsonl --batch-size 16
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALNEWS = SHARED / "data" / "realnews" / "dev" / "docs.jsonl"
WARM_UP = 5


def _synthetic_texts() -> list[str]:
    """The seed articles and gold-standard sentences grouped five to an article."""
    from kronika.read import read_inputs

    texts = [d.text for d in read_inputs([SHARED / "data" / "seeds"]) if d.ok]
    sentences: list[str] = []
    gold = SHARED / "data" / "plover" / "plover_gsr_dev.json"
    if gold.is_file():
        sentences += [r["text"] for r in json.loads(gold.read_text()) if r.get("text")]
    for name in ("GigaWord.sample.PETR.xml", "PETR.UnitTest.records.xml"):
        path = SHARED / "petrarch" / name
        if path.is_file():
            sentences += [
                " ".join(t.split()) for t in re.findall(r"<Text>(.*?)</Text>", path.read_text(), re.S)
            ]
    return texts + [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]


def load_texts(path: Path | None) -> list[str]:
    """The article texts of a JSON Lines file, else the real-news dev articles, else synthetic ones."""
    path = path or (REALNEWS if REALNEWS.is_file() else None)
    if path is None:
        return _synthetic_texts()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows if r.get("text")]


def corpus(n: int | None = None, path: Path | None = None) -> list:
    """``Document``s of the bench articles, repeated up to ``n`` (all of them once without ``n``)."""
    from kronika.document import Document

    texts = load_texts(path)
    n = n or len(texts)
    return [Document(doc_id=f"bench-{i}", text=texts[i % len(texts)], pub_date=None) for i in range(n)]


def spacy_seconds(nlp, texts: list[str], batch_size: int) -> float:
    """Seconds plain ``nlp.pipe`` takes over ``texts``: the reference every coding figure is a ratio to."""
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - t0


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, args: argparse.Namespace) -> dict:
    """One whole-process measurement: load, warm up, process every article once."""
    from kronika.config import get_settings

    settings = get_settings()
    docs = corpus(args.articles, args.input)
    texts = [d.text for d in docs]
    if kind == "spacy":
        import spacy

        nlp = spacy.load(settings.spacy_model)
        spacy_seconds(nlp, texts[:WARM_UP], args.batch_size)
        c0 = time.process_time()
        seconds = spacy_seconds(nlp, texts, args.batch_size)
        events = 0
    else:
        from kronika.pipeline import code_documents

        list(code_documents(corpus(WARM_UP, args.input), settings))
        c0, t0 = time.process_time(), time.perf_counter()
        events = sum(len(ev) for _, ev in code_documents(docs, settings))
        seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {
        "kind": kind,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "events": events,
        "characters": sum(len(t) for t in texts),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_child(kind: str, argv: list[str]) -> dict:
    t0, c0 = time.perf_counter(), _children_cpu()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *argv], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - t0
    result["process_cpu_seconds"] = _children_cpu() - c0
    return result


def _median_of(rounds: list[dict[str, dict]], kind: str, field: str) -> float:
    return round(statistics.median(r[kind][field] for r in rounds), 2)


def _summary(rounds: list[dict[str, dict]], n_articles: int) -> dict:
    ratios = [r["spacy"]["seconds"] / r["kronika"]["seconds"] for r in rounds]
    whole = [r["spacy"]["process_seconds"] / r["kronika"]["process_seconds"] for r in rounds]
    cpu = [r["spacy"]["cpu_seconds"] / r["kronika"]["cpu_seconds"] for r in rounds]
    whole_cpu = [r["spacy"]["process_cpu_seconds"] / r["kronika"]["process_cpu_seconds"] for r in rounds]
    k_s = statistics.median(r["kronika"]["seconds"] for r in rounds)
    s_s = statistics.median(r["spacy"]["seconds"] for r in rounds)
    return {
        "articles": n_articles,
        "characters": rounds[0]["kronika"]["characters"],
        "events": rounds[0]["kronika"]["events"],
        "rounds": len(rounds),
        "kronika_articles_per_s": round(n_articles / k_s, 1),
        "spacy_articles_per_s": round(n_articles / s_s, 1),
        "throughput_ratio_kronika_to_spacy": [round(x, 3) for x in ratios],
        "throughput_ratio_median": round(statistics.median(ratios), 3),
        "cpu_time_ratio": [round(x, 3) for x in cpu],
        "cpu_time_ratio_median": round(statistics.median(cpu), 3),
        "whole_process_ratio": [round(x, 3) for x in whole],
        "whole_process_ratio_median": round(statistics.median(whole), 3),
        "whole_process_cpu_ratio": [round(x, 3) for x in whole_cpu],
        "whole_process_cpu_ratio_median": round(statistics.median(whole_cpu), 3),
        "kronika_process_seconds": _median_of(rounds, "kronika", "process_seconds"),
        "spacy_process_seconds": _median_of(rounds, "spacy", "process_seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "kronika_peak_rss_mb": max(r["kronika"]["peak_rss_mb"] for r in rounds),
        "spacy_peak_rss_mb": max(r["spacy"]["peak_rss_mb"] for r in rounds),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, default=None, help="JSON Lines of {id, text}")
    ap.add_argument("--articles", type=int, default=None, help="repeat the articles up to this many")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=None, help="plain spaCy's batch (default: settings)")
    ap.add_argument("--child", choices=("spacy", "kronika"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.batch_size is None:
        from kronika.config import get_settings

        args.batch_size = get_settings().batch_size
    if args.child:
        print(json.dumps(_child(args.child, args)))
        return
    argv = ["--batch-size", str(args.batch_size)]
    argv += ["--articles", str(args.articles)] if args.articles else []
    argv += ["--input", str(args.input)] if args.input else []
    rounds: list[dict[str, dict]] = []
    for i in range(args.rounds):
        order = ("spacy", "kronika") if i % 2 == 0 else ("kronika", "spacy")
        rounds.append({kind: _run_child(kind, argv) for kind in order})
        print(
            json.dumps(
                {
                    k: {x: round(y, 2) if isinstance(y, float) else y for x, y in v.items()}
                    for k, v in rounds[-1].items()
                }
            ),
            file=sys.stderr,
        )
    n = len(corpus(args.articles, args.input))
    print(json.dumps(_summary(rounds, n), indent=2))


if __name__ == "__main__":
    main()
