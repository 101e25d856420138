"""Coreference: blocking, date compatibility, clustering, and the labelled set's linking gate."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from store_factory import COREF_SET, coref_set_hand_coded, make_event

from kronika.store import coref
from kronika.store.ingest import mention_row

D = dt.date


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2016-02-24", (D(2016, 2, 24), D(2016, 2, 24), "day")),
        ("2016-02", (D(2016, 2, 1), D(2016, 2, 29), "month")),
        ("2015", (D(2015, 1, 1), D(2015, 12, 31), "year")),
        ("2016-13-01", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_date_range_reads_each_precision(date, expected):
    assert coref.date_range(date) == expected


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("2016-02-24", "2016-02-24", True),
        ("2016-02-24", "2016-02-25", True),
        ("2016-02-24", "2016-02-26", False),
        ("2016-02", "2016-02-24", True),
        ("2016-03", "2016-02-24", False),
        ("2016", "2016-02", True),
        ("2015", "2016-02-24", False),
    ],
)
def test_dates_compatible_given_precision(a, b, compatible):
    assert coref.dates_compatible(coref.date_range(a), coref.date_range(b)) is compatible
    assert coref.dates_compatible(coref.date_range(b), coref.date_range(a)) is compatible


def test_block_key_ignores_direction_only_for_reciprocal_types():
    call_ab = mention_row(make_event("d", "CONSULT", "Putin", "Assad", "2016-02-24"), "d#1")
    call_ba = mention_row(make_event("d", "CONSULT", "Assad", "Putin", "2016-02-24"), "d#1")
    hit_ab = mention_row(make_event("d", "ACCUSE", "Putin", "Assad", "2016-02-24"), "d#1")
    hit_ba = mention_row(make_event("d", "ACCUSE", "Assad", "Putin", "2016-02-24"), "d#1")
    assert call_ab["block_key"] == call_ba["block_key"]
    assert hit_ab["block_key"] != hit_ba["block_key"]


def _row(mid: str, date: str | None, doc: str = "d1", place: str | None = None) -> coref.MentionRow:
    lo, hi, p = coref.date_range(date)
    return coref.MentionRow(mid, doc, doc, doc, "B", "CONSULT", "A", "B", lo, hi, p, place=place)


def test_cluster_block_does_not_chain_day_dates_beyond_the_tolerance():
    rows = [
        _row("m1", "2016-02-24"),
        _row("m2", "2016-02-24"),
        _row("m3", "2016-02-25"),
        _row("m4", "2016-02-26"),
    ]
    clusters = sorted(sorted(m.mention_id for m in c) for c in coref.cluster_block(rows))
    assert clusters == [["m1", "m2", "m3"], ["m4"]]


def test_month_date_joins_the_best_supported_day_of_its_month():
    rows = [
        _row("a", "2016-02-03"),
        _row("b", "2016-02-20"),
        _row("c", "2016-02-20", "d2"),
        _row("m", "2016-02"),
    ]
    clusters = {frozenset(m.mention_id for m in c) for c in coref.cluster_block(rows)}
    assert frozenset({"b", "c", "m"}) in clusters


def test_undated_mention_joins_only_an_event_of_its_own_document():
    rows = [_row("a", "2016-02-24", "d1"), _row("u1", None, "d1"), _row("u2", None, "d2")]
    clusters = {frozenset(m.mention_id for m in c) for c in coref.cluster_block(rows)}
    assert clusters == {frozenset({"a", "u1"}), frozenset({"u2"})}


def test_different_places_split_an_event():
    rows = [_row("a", "2016-02-24", place="Idlib"), _row("b", "2016-02-24", "d2", place="Aleppo")]
    assert len(coref.cluster_block(rows)) == 2


def test_best_date_prefers_precision_then_votes():
    rows = [_row("a", "2016-02"), _row("b", "2016-02-24"), _row("c", "2016-02-25"), _row("d", "2016-02-25")]
    lo, _, precision = coref.best_date(rows)
    assert (lo, precision) == (D(2016, 2, 25), "day")


def test_pairwise_scores_count_pairs():
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    predicted = {"a": "1", "b": "1", "c": "2", "d": "2"}
    s = coref.pairwise_scores(predicted, gold)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (3, 2, 1)
    assert s.precision == 0.5 and s.recall == pytest.approx(1 / 3, abs=1e-4)


def _linking(con) -> dict[str, str]:
    return dict(con.execute("SELECT mention_id, event_id FROM event_mentions").fetchall())


def test_labelled_set_linking_meets_the_pinned_minimums(filled):
    _, gold = coref_set_hand_coded()
    scores = coref.pairwise_scores(_linking(filled), gold)
    minimum = json.loads((COREF_SET / "minimums.json").read_text())["hand_coded"]
    assert scores.mentions == len(gold)
    assert scores.precision >= minimum["precision"], scores
    assert scores.recall >= minimum["recall"], scores


def test_wire_copy_counts_as_one_source(filled):
    row = filled.execute(
        "SELECT n_mentions, n_sources, n_documents, sources FROM events "
        "WHERE event_type = 'CONSULT' AND date = '2016-02-24' AND list_contains(actor_cs, 'SYR GOV') "
        "   OR event_type = 'CONSULT' AND date = '2016-02-24' AND list_contains(recipient_cs, 'SYR GOV')"
    ).fetchall()
    assert len(row) == 1
    n_mentions, n_sources, n_documents, sources = row[0]
    assert (n_mentions, n_documents, n_sources) == (4, 3, 2)
    assert sources == ["a01_moscow_herald", "a02_levant_daily", "a03_wire_copy"]
    dup = filled.execute("SELECT near_duplicate_of FROM documents WHERE doc_id = 'a03_wire_copy'").fetchone()[
        0
    ]
    assert dup.startswith("a02_levant_daily#")


def test_relinking_is_deterministic_whatever_the_batch_size(store):
    from kronika.store.ingest import store_coded
    from kronika.store.schema import connect

    pairs, _ = coref_set_hand_coded()
    store_coded(pairs, store, commit_every=1)
    other = connect(":memory:")
    store_coded(list(reversed(pairs)), other, commit_every=100)
    query = "SELECT event_id, n_mentions, date FROM events ORDER BY event_id"
    assert store.execute(query).fetchall() == other.execute(query).fetchall()
