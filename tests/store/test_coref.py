"""Coreference: blocking, date compatibility, clustering, and the labelled set's linking gate."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from store_factory import COREF_SET, coref_set_hand_coded, entity, make_event

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


def _row(
    mid: str,
    date: str | None,
    doc: str = "d1",
    place: str | None = None,
    pub: str | None = None,
    block: str = "CONSULT|RUS:state|SYR:state",
    sides: tuple[str, str] = ("RUS GOV", "SYR GOV"),
) -> coref.MentionRow:
    lo, hi, p = coref.date_range(date)
    return coref.MentionRow(
        mid,
        doc,
        doc,
        doc,
        block,
        "CONSULT",
        sides[0],
        sides[1],
        lo,
        hi,
        p,
        place=place,
        pub_date=D.fromisoformat(pub) if pub else None,
        actor_cs=[sides[0]] if sides[0] else [],
        recipient_cs=[sides[1]] if sides[1] else [],
    )


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


def _clusters(rows: list[coref.MentionRow]) -> set[frozenset[str]]:
    return {frozenset(m.mention_id for m in c) for c in coref.cluster_block(rows)}


def test_undated_mention_joins_an_event_of_its_own_document_first():
    rows = [_row("a", "2016-02-24", "d1"), _row("b", "2016-03-10", "d2"), _row("u1", None, "d1")]
    assert _clusters(rows) == {frozenset({"a", "u1"}), frozenset({"b"})}


@pytest.mark.parametrize(
    ("pub", "joins"),
    [
        (None, False),  # nothing says when: no evidence that it is that dated event
        ("2016-02-26", True),  # published two days after the event
        ("2016-04-01", False),  # published five weeks later: another call
    ],
)
def test_undated_mention_of_another_document_joins_the_only_event_it_can_be(pub, joins):
    rows = [_row("a", "2016-02-24", "d1"), _row("u2", None, "d2", pub=pub)]
    expected = {frozenset({"a", "u2"})} if joins else {frozenset({"a"}), frozenset({"u2"})}
    assert _clusters(rows) == expected


def test_undated_mention_stays_alone_when_two_events_could_be_it():
    rows = [_row("a", "2016-02-24", "d1"), _row("b", "2016-03-01", "d3"), _row("u2", None, "d2")]
    assert frozenset({"u2"}) in _clusters(rows)


@pytest.mark.parametrize(
    ("first", "second", "joins"),
    [
        (None, "2016-02-26", False),  # an article with no date cannot say it is that week's event
        ("2016-02-25", "2016-02-26", True),  # two undated reports published a day apart
        ("2016-02-01", "2016-02-26", False),  # published more than the window apart
        (None, None, True),  # two undated articles with no publication date: the only event it can be
    ],
)
def test_undated_mentions_of_two_articles_link_only_within_the_publication_window(first, second, joins):
    rows = [_row("u1", None, "d1", pub=first), _row("u2", None, "d2", pub=second)]
    expected = {frozenset({"u1", "u2"})} if joins else {frozenset({"u1"}), frozenset({"u2"})}
    assert _clusters(rows) == expected


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


# --------------------------------------------------------------------------- partial mentions and sectors


def _stored(*docs: tuple[str, list], commit_every: int = 100):
    """A store of the given (doc_id, events) documents (no publication dates)."""
    from store_factory import Article, filler

    from kronika.store.ingest import store_coded
    from kronika.store.schema import connect

    con = connect(":memory:")
    pairs = [
        (Article(doc_id, f"{doc_id}. " + filler(500 + sum(map(ord, doc_id))), None, "Out").document(), events)
        for doc_id, events in docs
    ]
    store_coded(pairs, con, commit_every=commit_every)
    return con


def _event_of(con, ev) -> str:
    return con.execute("SELECT event_id FROM event_mentions WHERE mention_id = ?", [ev.id]).fetchone()[0]


def _with_sector(ev, side: str, sector: str):
    for e in getattr(ev, side):
        e.sector = sector
    return ev


def test_mention_without_recipient_joins_the_only_event_it_can_be():
    full = make_event("d1", "ACCUSE", "Putin", "Assad", "2016-02-24")
    partial = make_event("d2", "ACCUSE", "Putin", None, "2016-02-25")
    con = _stored(("d1", [full]), ("d2", [partial]))
    assert _event_of(con, partial) == _event_of(con, full)
    n_mentions, n_sources, sources = con.execute(
        "SELECT n_mentions, n_sources, sources FROM events WHERE event_id = ?", [_event_of(con, full)]
    ).fetchone()
    assert (n_mentions, n_sources, sources) == (2, 2, ["d1", "d2"])


def test_mention_without_recipient_stays_alone_when_two_events_could_be_it():
    assad = make_event("d1", "ACCUSE", "Putin", "Assad", "2016-02-24")
    netanyahu = make_event("d3", "ACCUSE", "Putin", "Netanyahu", "2016-02-24")
    partial = make_event("d2", "ACCUSE", "Putin", None, "2016-02-24")
    con = _stored(("d1", [assad]), ("d2", [partial]), ("d3", [netanyahu]))
    assert _event_of(con, partial) not in {_event_of(con, assad), _event_of(con, netanyahu)}


def test_a_new_candidate_detaches_a_mention_that_is_no_longer_clear():
    assad = make_event("d1", "ACCUSE", "Putin", "Assad", "2016-02-24")
    partial = make_event("d2", "ACCUSE", "Putin", None, "2016-02-24")
    con = _stored(("d1", [assad]), ("d2", [partial]))
    from store_factory import Article, filler

    from kronika.store.ingest import store_coded

    later = make_event("d3", "ACCUSE", "Putin", "Netanyahu", "2016-02-24")
    store_coded([(Article("d3", "d3. " + filler(9), None).document(), [later])], con)
    assert _event_of(con, partial) != _event_of(con, assad)
    assert con.execute(
        "SELECT n_mentions, sources FROM events WHERE event_id = ?", [_event_of(con, assad)]
    ).fetchone() == (1, ["d1"])


@pytest.mark.parametrize(
    ("event_type", "known", "joins"),
    [
        ("CONSULT", "actor", True),  # reciprocal: Assad on either side
        ("CONSULT", "recipient", True),
        ("ACCUSE", "recipient", True),  # directed: Assad only as the one accused
        ("ACCUSE", "actor", False),
    ],
)
def test_partial_mentions_match_reciprocal_types_either_way(event_type, known, joins):
    full = make_event("d1", event_type, "Putin", "Assad", "2016-02-24")
    if known == "actor":
        partial = make_event("d2", event_type, "Assad", None, "2016-02-24")
    else:
        partial = make_event("d2", event_type, "Putin", None, "2016-02-24")
        partial.recipient, partial.actor = partial.actor, []
        partial.recipient = [entity("Assad", 20)]
    con = _stored(("d1", [full]), ("d2", [partial]))
    assert (_event_of(con, partial) == _event_of(con, full)) is joins


def test_partial_mention_with_an_incompatible_date_stays_alone():
    full = make_event("d1", "ACCUSE", "Putin", "Assad", "2016-02-24")
    partial = make_event("d2", "ACCUSE", "Putin", None, "2016-03-10")
    con = _stored(("d1", [full]), ("d2", [partial]))
    assert _event_of(con, partial) != _event_of(con, full)


def test_a_dated_partial_mention_does_not_join_an_undated_event_of_another_article():
    undated = make_event("d1", "ACCUSE", "Putin", "Assad", None)
    partial = make_event("d2", "ACCUSE", "Putin", None, "2016-02-25")
    con = _stored(("d1", [undated]), ("d2", [partial]))
    assert _event_of(con, partial) != _event_of(con, undated)


def test_undated_partial_mention_joins_the_event_of_its_own_document():
    own = make_event("d1", "CONSULT", "Putin", "Assad", "2016-02-24")
    partial = make_event("d1", "CONSULT", "Putin", None, None, trigger=40)
    other = make_event("d3", "CONSULT", "Putin", "Netanyahu", "2016-02-24")
    con = _stored(("d1", [own, partial]), ("d3", [other]))
    assert _event_of(con, partial) == _event_of(con, own)


def test_exact_sectors_break_a_tie_between_candidates():
    jets = make_event("d1", "ASSAULT", "Russian warplanes", "rebels", "2016-02-24")
    turkey = _with_sector(make_event("d3", "ASSAULT", "Putin", "Erdogan", "2016-02-24"), "actor", "GOV")
    partial = make_event("d2", "ASSAULT", "Russian warplanes", None, "2016-02-24")
    con = _stored(("d1", [jets]), ("d2", [partial]), ("d3", [turkey]))
    assert _event_of(con, partial) == _event_of(con, jets)


def test_sectors_of_one_family_are_one_side_of_an_event():
    congress = _with_sector(make_event("d1", "REQUEST", "Obama", "Putin", "2016-02-24"), "actor", "LEG")
    former = _with_sector(make_event("d2", "REQUEST", "Obama", "Putin", "2016-02-24"), "actor", "ELI")
    con = _stored(("d1", [congress]), ("d2", [former]))
    assert _event_of(con, congress) == _event_of(con, former)


def test_army_and_rebels_attacking_each_other_are_two_events():
    army = make_event("d1", "ASSAULT", "Assad", "rebels", "2016-02-24")
    _with_sector(army, "actor", "MIL")
    rebels = make_event("d2", "ASSAULT", "rebels", "Assad", "2016-02-24")
    _with_sector(rebels, "recipient", "MIL")
    con = _stored(("d1", [army]), ("d2", [rebels]))
    assert _event_of(con, army) != _event_of(con, rebels)


def test_fully_specified_mentions_of_different_dyads_never_link():
    assad = make_event("d1", "CONSULT", "Putin", "Assad", "2016-02-24")
    netanyahu = make_event("d2", "CONSULT", "Putin", "Netanyahu", "2016-02-24")
    con = _stored(("d1", [assad]), ("d2", [netanyahu]))
    assert _event_of(con, assad) != _event_of(con, netanyahu)


def test_partial_linking_does_not_depend_on_batch_order():
    docs = [
        ("d1", [make_event("d1", "ACCUSE", "Putin", "Assad", "2016-02-24")]),
        ("d2", [make_event("d2", "ACCUSE", "Putin", None, "2016-02-24")]),
        ("d3", [make_event("d3", "CONSULT", "Assad", None, None)]),
        ("d4", [make_event("d4", "CONSULT", "Putin", "Assad", "2016-02-25")]),
        ("d5", [make_event("d5", "ACCUSE", "Putin", "Netanyahu", "2016-02-20")]),
    ]
    query = "SELECT event_id, mention_id FROM event_mentions ORDER BY 1, 2"
    one = _stored(*docs, commit_every=1).execute(query).fetchall()
    other = _stored(*reversed(docs), commit_every=100).execute(query).fetchall()
    assert one == other
