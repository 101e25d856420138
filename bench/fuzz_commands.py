"""Bad inputs against ``kronika read``, ``code`` and ``ingest``, each case in a process of its own.

The cases are ``fuzz_read``'s (every reader format, compressed, truncated, bombs, deep nesting, huge
numbers, lone surrogates, long runs, odd file names). Kronika is imported and the language model
loaded once; each case then runs in a child made by ``os.fork()`` with a time limit (``--timeout``,
default 10 s: the parent kills a child still running, a hang) and a memory limit (``--memory-mb``
more than the parent holds). In the child:

* ``read``: ``kronika read CASE -o OUT`` (the command, in the process); every line of OUT is a
  document record with a status, as many as the case has documents (``no_status`` otherwise);
* ``code``: when the case's text is at most ``--code-chars`` characters, ``read_inputs`` then
  ``code_documents``: one coded output per document read, each with a status, every event record
  written as UTF-8 JSON;
* ``ingest``: one case in ``--ingest-every``, into a store of its own: the report counts every
  document read.

Anything raised is an ``exception``; a child that dies without a result is a ``crash``.

    python bench/fuzz_commands.py --cases 10000 --seed 14 --json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fuzz_read import make_case  # noqa: E402

STATUSES = ("ok", "skipped", "failed")
Outcome = tuple[str, str]


def _count_problem(n: int, expected: int | None) -> str | None:
    if n == 0:
        return "no record"
    if expected is not None and n != expected:
        return f"{n} records, expected {expected}"
    return None


_COMMAND: Any = None


def _command() -> Any:
    """The click command of ``kronika`` (built once: typer builds it anew on each call)."""
    global _COMMAND
    if _COMMAND is None:
        import typer

        from kronika.cli import app

        _COMMAND = typer.main.get_command(app)
    return _COMMAND


def run_read(path: Path, expected: int | None, work: Path) -> tuple[Outcome, int]:
    out = work / "read.jsonl"
    try:
        _command().main(["read", str(path), "-o", str(out)], standalone_mode=False)
    except SystemExit as exc:
        if exc.code not in (0, None):
            return ("exception", f"exit {exc.code}"), 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = [r.get("status") for r in records if r.get("status") not in STATUSES]
    problem = _count_problem(len(records), expected) or (f"statuses {bad}" if bad else None)
    chars = sum(len(r.get("text") or "") for r in records)
    return (("no_status", problem) if problem else ("ok", "")), chars


def run_code(path: Path, expected: int | None, work: Path) -> Outcome:
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    n = 0
    for doc, events in code_documents(read_inputs([path])):
        if doc.status not in STATUSES:
            return "no_status", f"status {doc.status!r}"
        n += 1
        json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")
        for e in events:
            json.dumps(e.to_dict(), ensure_ascii=False).encode("utf-8")
    problem = _count_problem(n, expected)
    return ("no_status", problem) if problem else ("ok", "")


def run_ingest(path: Path, expected: int | None, work: Path, template: Path) -> Outcome:
    from kronika.store.ingest import ingest

    db = work / "store.duckdb"
    shutil.copy(template, db)
    report = ingest([path], db)
    problem = _count_problem(report.documents_seen, expected)
    return ("no_status", problem) if problem else ("ok", "")


def _child(case: dict[str, Any], work: Path, template: Path, result: Path) -> None:
    """Run the case's commands; write {command: [kind, detail]} to ``result``."""
    path, expected = Path(case["path"]), case["expected"]
    outcomes: dict[str, Outcome] = {}
    try:
        outcomes["read"], chars = run_read(path, expected, work)
        if chars <= case["code_chars"]:
            outcomes["code"] = run_code(path, expected, work)
            if case["ingest"]:
                outcomes["ingest"] = run_ingest(path, expected, work, template)
    except BaseException as exc:  # noqa: BLE001 - what is measured
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {str(exc)[:160]} at {Path(where.filename).name}:{where.lineno}"
        outcomes[next((c for c in ("read", "code", "ingest") if c not in outcomes), "ingest")] = (
            "exception",
            detail,
        )
    result.write_text(json.dumps(outcomes))


def _vm_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


class ForkRunner:
    """Each case in a child forked from this warmed-up process, killed past the time limit."""

    def __init__(self, timeout: float, memory_mb: int, work: Path) -> None:
        self.timeout, self.work = timeout, work
        self.template = work / "template.duckdb"
        self._warm_up()
        self.memory = _vm_bytes() + memory_mb * 1024 * 1024

    def _warm_up(self) -> None:
        """Load the model and every reader's libraries here, once, not in each child."""
        from kronika.document import Document
        from kronika.pipeline import code_documents
        from kronika.store.ingest import ingest

        warm = self.work / "warm"
        warm.mkdir()
        r = random.Random(0)
        for n in range(60):  # every format, compressed or not
            make_case(r, warm, n)
        for path in sorted(warm.iterdir()):
            run_read(path, None, self.work)
        shutil.rmtree(warm)
        sample = self.work / "warm.txt"
        sample.write_text("Russian President Vladimir Putin spoke by phone with Bashar al-Assad in Moscow.\n")
        list(code_documents([Document("warm", sample.read_text())]))
        ingest([sample], self.template)

    def run(self, case: dict[str, Any]) -> tuple[dict[str, Outcome], float]:
        case_dir = Path(tempfile.mkdtemp(dir=self.work))
        result = case_dir / "result.json"
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                resource.setrlimit(resource.RLIMIT_AS, (self.memory, self.memory))
                with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
                    _child(case, case_dir, self.template, result)
            except BaseException:  # noqa: BLE001
                code = 3
            os._exit(code)
        outcome = self._wait(pid, t0, result)
        shutil.rmtree(case_dir, ignore_errors=True)
        return outcome, time.perf_counter() - t0

    def _wait(self, pid: int, t0: float, result: Path) -> dict[str, Outcome]:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() - t0 > self.timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"case": ("hang", f"over {self.timeout:g} s")}
            time.sleep(0.002)
        if not result.exists():
            return {"case": ("crash", f"exit status {os.waitstatus_to_exitcode(status)}")}
        return {k: (v[0], v[1]) for k, v in json.loads(result.read_text()).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--memory-mb", type=int, default=2048, help="memory a child may take beyond the parent's")
    ap.add_argument("--code-chars", type=int, default=100_000, help="code cases of at most this much text")
    ap.add_argument("--ingest-every", type=int, default=10, help="ingest one case in N")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--show", type=int, default=3, help="failures to show per kind and generator")
    args = ap.parse_args()
    r = random.Random(args.seed)
    random.seed(args.seed)
    counts: Counter[str] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    failures: list[str] = []
    slowest = (0.0, "")
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kronika-fuzz-") as tmp:
        work = Path(tmp)
        runner = ForkRunner(args.timeout, args.memory_mb, work)
        cases = work / "cases"
        cases.mkdir()
        for n in range(args.cases):
            path, expected, label = make_case(r, cases, n)
            case = {
                "path": str(path),
                "expected": expected,
                "code_chars": args.code_chars,
                "ingest": n % args.ingest_every == 0,
            }
            outcomes, secs = runner.run(case)
            counts["cases"] += 1
            for command, (kind, detail) in outcomes.items():
                counts[f"{command}:{kind}"] += 1
                if kind != "ok" and shown[(kind, label)] < args.show:
                    shown[(kind, label)] += 1
                    failures.append(f"{command} {kind} {label} {path.name!r}: {detail}")
            if secs > slowest[0]:
                slowest = (secs, label)
            path.unlink()
    summary = {
        **dict(sorted(counts.items())),
        "slowest_s": round(slowest[0], 2),
        "slowest": slowest[1],
        "seconds": round(time.perf_counter() - t_start, 1),
    }
    if args.json:
        print(json.dumps({"summary": summary, "failures": failures}, indent=1))
    else:
        print("\n".join(failures))
        print(summary)


if __name__ == "__main__":
    main()
