"""Bad inputs against the reader: every input ends with its statuses, no exception, no hang.

Generates ``--cases`` inputs across every reader format (text, HTML, JSON Lines, JSON, CSV, WARC, each
also gzip-compressed, truncated and as a decompression bomb; empty files, garbage bytes, deep
nesting, huge numbers, lone surrogates, long whitespace runs, overlong fields and lines, header-only
CSV, odd file names) and reads each one in a worker process with a time limit (``--timeout``, default
10 s) and a memory limit (``--memory-mb``, default 2048). A worker that runs over the time limit is
killed and counted as a hang. For every case it checks:

* ``read_inputs`` raised nothing (``exceptions``);
* at least one status record came out, and exactly one per line for JSON Lines written whole
  (``no_status``);
* every record can be written as UTF-8 JSON, as ``kronika read`` writes it (``unwritable``).

    python bench/fuzz_read.py --cases 2000 --seed 1 --json
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing as mp
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ARTICLE = (
    "MOSCOW, Feb 24 (Reuters) - Russian President Vladimir Putin spoke by phone with Syrian President "
    "Bashar al-Assad on Wednesday, the Kremlin said.\n\nThe two leaders discussed the ceasefire that is "
    "due to start on Saturday, a spokesman told reporters in Moscow.\n"
)


# --------------------------------------------------------------------------- generators


def _rand_bytes(r: random.Random, n: int) -> bytes:
    return bytes(r.getrandbits(8) for _ in range(n))


def _rand_text(r: random.Random, n: int) -> str:
    pools = ["abc XYZ .,;:!?\n", " \t\u00a0\u2003", "()[]{}<>\"'", "ÄÖüßéñ", "😀🔥🇺🇦", "مرحبا", "\x00\x7f"]
    return "".join(r.choice(r.choice(pools)) for _ in range(n))


def _deep(r: random.Random) -> str:
    n = r.choice([100, 1000, 5000, 50000])
    return "[" * n + "]" * n if r.random() < 0.5 else '{"a":' * n + "1" + "}" * n


def _huge_int() -> str:
    return "1" + "0" * random.choice([4400, 10000, 100000])


_ONE_LINE = ARTICLE.replace("\n", " ")

TEXTS: list[Callable[[random.Random], bytes]] = [
    lambda r: b"",
    lambda r: b" \n\t\n" * r.randrange(1, 50),
    lambda r: _rand_bytes(r, r.randrange(1, 5000)),
    lambda r: _rand_text(r, r.randrange(1, 5000)).encode("utf-8", "replace"),
    lambda r: (ARTICLE + "Share" + " " * r.choice([20000, 40000, 80000]) + "x\n" + ARTICLE).encode(),
    lambda r: ("The talks (" * 4000 + ")" * 4000 + "\n" + ARTICLE).encode(),
    lambda r: ARTICLE.encode("utf-16"),
    lambda r: ARTICLE.encode() + b"\xff\xfe\xc3\x28" * 10,
    lambda r: (ARTICLE + "word " * r.choice([10000, 100000]) + "\n").encode(),
    lambda r: (ARTICLE + "\t" * 50000 + ":|\n" + ARTICLE).encode(),
    lambda r: (ARTICLE + " " * 30000 + "(AFP/Getty Images\n").encode(),
    lambda r: (ARTICLE + "😀" * r.choice([1000, 100000])).encode(),
]


def text_case(r: random.Random) -> tuple[str, bytes, int | None]:
    return ".txt", r.choice(TEXTS)(r), 1


def html_case(r: random.Random) -> tuple[str, bytes, int | None]:
    kind = r.randrange(6)
    if kind == 0:
        return ".html", b"<html>", 1
    if kind == 1:
        return ".html", ("<div>" * 20000 + ARTICLE + "</div>" * 20000).encode(), 1
    if kind == 2:
        return ".html", f'<html><body><p title="{"x" * 200000}">{ARTICLE}</p></body></html>'.encode(), 1
    if kind == 3:
        return ".html", b"<html><body><script>" + _rand_bytes(r, 3000) + b"</script></body></html>", 1
    if kind == 4:
        return ".html", _rand_bytes(r, r.randrange(1, 4000)), 1
    return ".html", f"<html><body><p>{ARTICLE}{' ' * 50000}.</p></body></html>".encode(), 1


JSONL_LINES: list[Callable[[random.Random], str]] = [
    lambda r: json.dumps({"id": f"d{r.randrange(1000)}", "text": ARTICLE}),
    _deep,
    lambda r: '{"id": "n", "text": "' + _ONE_LINE + '", "views": ' + _huge_int() + "}",
    lambda r: '{"id": "s", "text": "' + _ONE_LINE + ' \\ud800 and \\udfff"}',
    lambda r: '{"id": "\\ud83d", "title": "\\udc00", "text": "' + _ONE_LINE + '"}',
    lambda r: json.dumps(r.choice([1, "text", None, [], [1, 2], True])),
    lambda r: json.dumps({"id": {"nested": [1, 2]}, "text": ARTICLE, "date": [2020]}),
    lambda r: json.dumps({"text": 12345, "html": {"a": 1}}),
    lambda r: '{"id": "t", "text": "' + "x" * r.randrange(10),
    lambda r: json.dumps({"id": 10**20, "text": ARTICLE, "date": "9999-99-99"}),
    lambda r: json.dumps({"text": ARTICLE, "date": "1" * 5000}),
    lambda r: _rand_text(r, r.randrange(1, 300)).replace("\n", " "),
]


def _jsonl_line(r: random.Random) -> str:
    return r.choice(JSONL_LINES)(r)


def jsonl_case(r: random.Random) -> tuple[str, bytes, int | None]:
    if r.random() < 0.1:
        return ".jsonl", b"" if r.random() < 0.5 else b"\n\n  \n", 1
    lines = [_jsonl_line(r) for _ in range(r.randrange(1, 8))]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    expected = sum(1 for ln in data.split(b"\n") if ln.strip())
    return ".jsonl", data, expected


def json_case(r: random.Random) -> tuple[str, bytes, int | None]:
    kind = r.randrange(7)
    if kind == 0:
        return ".json", b"[]", 1
    if kind == 1:
        return ".json", _deep(r).encode(), None
    if kind == 2:
        return ".json", ('[{"text": "' + _ONE_LINE + '", "n": ' + _huge_int() + "}]").encode(), 1
    if kind == 3:
        return ".json", ('{"text": "\\ud800' + _ONE_LINE + '"}').encode(), 1
    if kind == 4:
        return ".json", json.dumps([1, "a", None, {"text": ARTICLE}]).encode(), 4
    if kind == 5:
        return ".json", b"", 1
    return ".json", _rand_bytes(r, r.randrange(1, 2000)), None


def csv_case(r: random.Random) -> tuple[str, bytes, int | None]:
    kind = r.randrange(9)
    if kind == 0:
        return ".csv", b"id,text\n", 1
    if kind == 1:
        return ".csv", b"id,text\n\n,\n , \n", 1
    if kind == 2:
        return ".csv", b"", 1
    if kind == 3:
        return ".csv", b'id,text\n1,"' + b"x" * 6_000_000 + b'"\n2,"' + ARTICLE.encode() + b'"\n', None
    if kind == 4:
        return ".csv", b'id,text\n1,"unclosed ' + ARTICLE.encode() + b"\n2,fine\n", None
    if kind == 5:
        return ".csv", b"id,text\n1,\x00\x00\x00" + ARTICLE.encode() + b"\n", None
    if kind == 6:
        return ".csv", b"id,text\n1,a" + b",b" * 200000 + b"\n", None
    if kind == 7:
        return ".csv", b"title,author\nx,y\n", 1
    return ".csv", _rand_bytes(r, r.randrange(1, 3000)), None


def _warc(records: list[tuple[str, str, bytes]], compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for uri, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    return buf.getvalue()


def warc_case(r: random.Random) -> tuple[str, bytes, int | None]:
    page = f"<html><body><p>{ARTICLE}</p></body></html>".encode()
    kind = r.randrange(6)
    if kind == 0:
        return ".warc", b"", 1
    if kind == 1:  # garbage: warcio may read some of it as records, each with a status
        return ".warc", _rand_bytes(r, r.randrange(1, 3000)), None
    if kind == 2:
        return ".warc", b"WARC/1.0\r\n" + _rand_bytes(r, 500), None
    recs = [("https://e.example/a", "text/html", page), ("https://e.example/b", "text/html", page)]
    data = _warc(recs, compress=kind >= 4)
    if kind in (3, 5):
        data = data[: int(len(data) * r.uniform(0.55, 0.95))]
        return ".warc.gz" if kind == 5 else ".warc", data, None
    return ".warc.gz", data, 2


GENERATORS: list[Callable[[random.Random], tuple[str, bytes, int | None]]] = [
    text_case,
    html_case,
    jsonl_case,
    json_case,
    csv_case,
    warc_case,
]


_BOMBS: dict[str, bytes] = {}


def _bomb(ext: str, data: bytes) -> bytes:
    """100 MB that gzip packs into about 100 kB: spaces for texts, a long line or blank lines for the rest."""
    key = ext if ext in (".txt", ".html") else "lines"
    if key not in _BOMBS:
        filler = b" " * 100_000_000 if key != "lines" else b"\n" * 50_000_000 + b"x" * 50_000_000
        _BOMBS[key] = gzip.compress(filler, 9)
    return gzip.compress(data, 9) + _BOMBS[key]  # a second gzip member after the case's own


def make_case(r: random.Random, folder: Path, n: int) -> tuple[Path, int | None, str]:
    """Write one case; returns (path, expected status count or None for "at least one", label)."""
    gen = r.choice(GENERATORS)
    ext, data, expected = gen(r)
    label = gen.__name__
    roll = r.random()
    if not ext.endswith(".gz") and roll < 0.25:
        data, ext, label = gzip.compress(data, 1), ext + ".gz", label + "+gz"
    elif not ext.endswith(".gz") and roll < 0.32:
        packed = gzip.compress(data + b"\n" + data, 1)
        data, ext, label, expected = packed[: max(1, len(packed) * 2 // 3)], ext + ".gz", label + "+cut", None
    elif not ext.endswith(".gz") and roll < 0.36 and ext != ".warc":
        data, ext, label, expected = _bomb(ext, data), ext + ".gz", label + "+bomb", None
    name = f"case{n:05d}"
    if r.random() < 0.05:
        name = os.fsdecode(b"case\xff\xfe" + str(n).encode())
    path = folder / f"{name}{ext}"
    path.write_bytes(data)
    return path, expected, label


# --------------------------------------------------------------------------- worker


def _worker(tasks: mp.Queue, results: mp.Queue, memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from kronika.read import read_inputs

    while True:
        task = tasks.get()
        if task is None:
            return
        path, expected = task
        try:
            docs = list(read_inputs([path]))
        except BaseException as exc:  # noqa: BLE001 - what is measured
            results.put(("exception", f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        try:
            for d in docs:
                json.dumps(d.to_dict(), ensure_ascii=False).encode("utf-8")
        except Exception as exc:  # noqa: BLE001
            results.put(("unwritable", f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        if not docs or any(d.status not in ("ok", "skipped", "failed") for d in docs):
            results.put(("no_status", f"{len(docs)} records"))
        elif expected is not None and len(docs) != expected:
            results.put(("no_status", f"{len(docs)} records, expected {expected}"))
        else:
            results.put(("ok", ""))


class Runner:
    def __init__(self, timeout: float, memory_mb: int) -> None:
        self.timeout, self.memory_mb = timeout, memory_mb
        self.ctx = mp.get_context("spawn")
        self.start()

    def start(self) -> None:
        self.tasks, self.results = self.ctx.Queue(), self.ctx.Queue()
        self.proc = self.ctx.Process(target=_worker, args=(self.tasks, self.results, self.memory_mb))
        self.proc.start()
        self.tasks.put((os.devnull, None))  # warm-up: imports
        self.results.get(timeout=120)

    def run(self, path: Path, expected: int | None) -> tuple[str, str, float]:
        t0 = time.perf_counter()
        self.tasks.put((str(path), expected))
        try:
            kind, detail = self.results.get(timeout=self.timeout)
        except Exception:  # queue.Empty
            self.proc.kill()
            self.proc.join()
            self.start()
            return "hang", f"over {self.timeout} s", time.perf_counter() - t0
        if not self.proc.is_alive():
            self.start()
        return kind, detail, time.perf_counter() - t0

    def close(self) -> None:
        self.tasks.put(None)
        self.proc.join(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--memory-mb", type=int, default=2048)
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--show", type=int, default=3, help="failures to show per kind and generator")
    args = ap.parse_args()
    r = random.Random(args.seed)
    random.seed(args.seed)
    runner = Runner(args.timeout, args.memory_mb)
    counts: Counter[str] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    slowest = (0.0, "")
    details: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kronika-fuzz-") as tmp:
        for n in range(args.cases):
            path, expected, label = make_case(r, Path(tmp), n)
            kind, detail, secs = runner.run(path, expected)
            counts[kind] += 1
            if secs > slowest[0]:
                slowest = (secs, label)
            if kind != "ok" and shown[(kind, label)] < args.show:
                shown[(kind, label)] += 1
                details.append(f"{kind} {label} {path.name}: {detail}")
            path.unlink()
    runner.close()
    summary = {"cases": args.cases, **dict(counts), "slowest_s": round(slowest[0], 2), "slowest": slowest[1]}
    if args.json:
        print(json.dumps({"summary": summary, "failures": details}, indent=1))
    else:
        print("\n".join(details))
        print(summary)


if __name__ == "__main__":
    main()
