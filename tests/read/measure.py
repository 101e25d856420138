"""Line-level precision/recall of the cleaner and publication-date accuracy on labelled texts.

Run ``python tests/read/measure.py`` to print the figures; test_cleaner_accuracy.py pins them.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent
LABELS = HERE / "labels"
PAGES = HERE / "pages"
TEXTS = HERE / "texts"


def _nonws(s: str) -> str:
    return "".join(s.split())


def load_seed_labels(stem: str) -> dict[int, tuple[str, str]]:
    """line number -> (kind, sha1 prefix)."""
    out = {}
    for row in (LABELS / f"{stem}.tsv").read_text(encoding="utf-8").splitlines():
        if row.startswith("#") or not row.strip():
            continue
        n, kind, sha = row.split("\t")
        out[int(n)] = (kind, sha)
    return out


def _tally(counts: dict[str, int], truth_boiler: bool, predicted_boiler: bool) -> None:
    key = {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}
    counts[key[(truth_boiler, predicted_boiler)]] += 1


def measure_seeds(seeds_dir: Path) -> dict[str, object]:
    """Read the seeds as one batch; compare each labelled line with what the cleaner removed."""
    from kronika.read import read_inputs
    from kronika.read.clean import split_lines

    expected = json.loads((LABELS / "seeds_expected.json").read_text())
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    dates_ok, stale, wrong_kind = 0, [], 0
    docs = {d.doc_id: d for d in read_inputs([seeds_dir])}
    for stem, exp in expected.items():
        raw = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
        doc = docs[stem]
        labels = load_seed_labels(stem)
        for line in split_lines(raw):
            if line.blank:
                continue
            kind, sha = labels[line.idx + 1]
            if hashlib.sha1(line.raw.strip().encode()).hexdigest()[:8] != sha:
                stale.append(f"{stem}:{line.idx + 1}")
            s0 = line.start + len(line.raw) - len(line.raw.lstrip())
            e0 = line.start + len(line.raw.rstrip())
            hit = [r for r in doc.removed if r.start <= s0 and e0 <= r.end]
            _tally(counts, kind != "body", bool(hit))
            if hit and kind != "body" and hit[0].kind != kind:
                wrong_kind += 1
        got = doc.pub_date.isoformat() if doc.pub_date else None
        dates_ok += got == exp["pub_date"]
    return _figures(counts) | {
        "pub_date_accuracy": dates_ok / len(expected),
        "stale_labels": stale,
        "kind_errors": wrong_kind,
        "lines": sum(counts.values()),
    }


def measure_pages() -> dict[str, object]:
    """Read the hand-written pages; a labelled block counts as removed when it is not in the text."""
    from kronika.read import read_inputs

    expected = json.loads((LABELS / "pages" / "expected.json").read_text())
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    dates_ok = 0
    docs = {d.doc_id: d for d in read_inputs([PAGES])}
    for stem, exp in expected.items():
        doc = docs[stem]
        text = _nonws(doc.text)
        with open(LABELS / "pages" / f"{stem}.tsv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                _tally(counts, row["kind"] != "body", _nonws(row["text"]) not in text)
        got = doc.pub_date.isoformat() if doc.pub_date else None
        dates_ok += got == exp["pub_date"]
    return _figures(counts) | {"pub_date_accuracy": dates_ok / len(expected), "blocks": sum(counts.values())}


def load_labelled_text(path: Path) -> tuple[str, list[str]]:
    """A labelled text of tests/read/texts: the raw text and the label of each of its lines."""
    raw, labels = [], []
    for row in path.read_text(encoding="utf-8").splitlines():
        kind, _, line = row.partition("\t") if row.strip() else ("", "", "")
        raw.append(line)
        labels.append(kind)
    return "\n".join(raw) + "\n", labels


def measure_texts(tmp: Path) -> dict[str, object]:
    """Read the labelled plain texts as one batch; compare each line's label with what was removed."""
    from kronika.read import read_inputs
    from kronika.read.clean import split_lines

    expected = json.loads((TEXTS / "expected.json").read_text())
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    labelled = {p.stem: load_labelled_text(p) for p in sorted(TEXTS.glob("*.txt"))}
    for stem, (raw, _) in labelled.items():
        (tmp / f"{stem}.txt").write_text(raw, encoding="utf-8")
    docs = {d.doc_id: d for d in read_inputs([tmp])}
    dates_ok, missed, cut = 0, [], []
    for stem, (raw, labels) in labelled.items():
        doc = docs[stem]
        for line in split_lines(raw):
            if line.blank:
                continue
            s0 = line.start + len(line.raw) - len(line.raw.lstrip())
            e0 = line.start + len(line.raw.rstrip())
            removed = any(r.start <= s0 and e0 <= r.end for r in doc.removed)
            boiler = labels[line.idx] != "body"
            _tally(counts, boiler, removed)
            if boiler != removed:
                (missed if boiler else cut).append(f"{stem}:{line.idx + 1} {line.raw.strip()[:60]}")
        got = doc.pub_date.isoformat() if doc.pub_date else None
        dates_ok += got == expected[stem]["pub_date"]
    return _figures(counts) | {
        "pub_date_accuracy": dates_ok / len(expected),
        "lines": sum(counts.values()),
        "boilerplate_kept": missed,
        "body_cut": cut,
    }


def _figures(c: dict[str, int]) -> dict[str, object]:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    body_kept = c["tn"] / (c["tn"] + c["fp"]) if c["tn"] + c["fp"] else 1.0
    return {"precision": precision, "recall": recall, "body_kept": body_kept, "counts": dict(c)}


if __name__ == "__main__":
    seeds = HERE.parents[1].parent / "shared" / "data" / "seeds"
    if seeds.is_dir():
        print("seeds:", json.dumps(measure_seeds(seeds)))
    print("pages:", json.dumps(measure_pages()))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("texts:", json.dumps(measure_texts(Path(tmp)), indent=1))
