"""Accuracy gate: the coder must keep its measured figures on the PLOVER gold standard's dev split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kronika.eval import evaluate, load_gold

MINIMUMS = json.loads((Path(__file__).parent / "minimums.json").read_text())


@pytest.fixture(scope="module")
def report(gold_dev_path):
    return evaluate(gold_dev_path)


@pytest.mark.slow
def test_type_micro_f1_at_least_pinned_minimum(report):
    assert report.micro["f1"] >= MINIMUMS["type_micro_f1"], report.micro


@pytest.mark.slow
def test_triple_accuracy_at_least_pinned_minimum(report):
    assert report.triple_accuracy >= MINIMUMS["triple_accuracy"]


def test_gold_loader_maps_old_labels_and_code_typos(gold_dev_path):
    records = load_gold(gold_dev_path)
    types = {r.event for r in records}
    assert not types & {"DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT", "DOCUMENT"}
    assert "REQUEST" in types and "ACCUSE" in types
    codes = {c for r in records for c in r.sources | r.targets}
    assert "JAP" not in codes and "ITL" not in codes
