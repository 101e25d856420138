"""Accuracy gate of the reader: boilerplate precision/recall and publication dates (see minimums.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from measure import measure_pages, measure_seeds, measure_texts  # noqa: E402

MINIMUMS = json.loads((HERE / "minimums.json").read_text())


def _check(figures: dict, minimums: dict) -> None:
    for name, minimum in minimums.items():
        assert figures[name] >= minimum, f"{name} {figures[name]:.3f} < pinned minimum {minimum}: {figures}"


def test_seed_labels_match_the_seed_files(seeds_dir):
    figures = measure_seeds(seeds_dir)
    assert figures["stale_labels"] == [], "a seed file changed: relabel tests/read/labels"


def test_cleaner_accuracy_on_seeds(seeds_dir):
    _check(measure_seeds(seeds_dir), MINIMUMS["seeds"])


def test_cleaner_accuracy_on_pages():
    _check(measure_pages(), MINIMUMS["pages"])


def test_cleaner_accuracy_on_labelled_plain_texts(tmp_path):
    figures = measure_texts(tmp_path)
    assert figures["body_cut"] == [], "report lines were cut"
    _check(figures, MINIMUMS["texts"])


def test_every_seed_report_sentence_is_kept_in_order(seeds_dir):
    from kronika.read import read_inputs
    from kronika.read.clean import split_lines

    docs = {d.doc_id: d for d in read_inputs([seeds_dir])}
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        labels = {}
        for row in (HERE / "labels" / f"{path.stem}.tsv").read_text().splitlines():
            if not row.startswith("#"):
                n, kind, _ = row.split("\t")
                labels[int(n)] = kind
        text = docs[path.stem].text
        pos = 0
        for line in split_lines(raw):
            if not line.blank and labels[line.idx + 1] == "body":
                body = line.raw.strip()
                tail = body[-60:]  # a glued-on headline may be cut from the line's start
                found = text.find(tail, pos)
                assert found >= 0, f"{path.stem}:{line.idx + 1} lost or out of order"
                pos = found + len(tail)
