"""The real-news scorer follows the gold folder's published rules, on hand-built records."""

from __future__ import annotations

import pytest

from kronika.eval.realnews import (
    date_right,
    normalise,
    parties_agree,
    same_place,
    score,
    split_ids,
)


def party(code: str, sector: str = "GOV") -> dict:
    return {"code": code, "sector": sector}


def gold(type_: str, actor: list, recipient: list, quote: str, date: str | None = None) -> dict:
    return {
        "type": type_,
        "actor": actor,
        "recipient": recipient,
        "quote": quote,
        "date": date,
        "quote_n": normalise(quote),
    }


def coded(types: list, actor: list, recipient: list, text: str, date: str | None = None) -> dict:
    return {
        "types": types,
        "event": types,
        "actor": actor,
        "recipient": recipient,
        "text": text,
        "text_n": normalise(text),
        "date": date,
    }


def test_place_by_containment_or_a_long_common_run():
    sentence = normalise("On Tuesday, Russian jets bombed rebel positions near Idlib, activists said.")
    assert same_place(normalise("Russian jets bombed rebel positions"), sentence)
    assert same_place(normalise("Russian jets bombed rebel positions near Idlib on Tuesday"), sentence)
    assert not same_place(normalise("Turkey shelled Kurdish positions near Afrin"), sentence)


def test_normalise_folds_case_space_and_curly_quotes():
    assert normalise("“Stop”  the\n war’s") == '"stop" the war\'s'


@pytest.mark.parametrize(
    ("gold_actor", "gold_recipient", "actor", "recipient", "agree"),
    [
        (["RUS"], ["SYR"], ["RUS"], ["SYR"], True),
        (["RUS"], ["SYR"], ["SYR"], ["RUS"], False),  # ASSAULT is directed
        (["RUS"], [], ["RUS"], [], True),
        (["RUS"], [], ["RUS"], ["TUR"], False),  # a recipient gold does not name
        (["RUSGOV"], ["UNO"], ["RUS"], ["EUR"], True),  # first three letters; IGO/UNO/EUR are one
    ],
)
def test_directed_parties(gold_actor, gold_recipient, actor, recipient, agree):
    g = gold("ASSAULT", [party(c) for c in gold_actor], [party(c) for c in gold_recipient], "q")
    c = coded(["ASSAULT"], [party(c) for c in actor], [party(c) for c in recipient], "q")
    assert parties_agree(g, c) is agree


def test_reciprocal_events_match_either_way_and_within_all_actor_gold():
    directed = gold("CONSULT", [party("RUS")], [party("SYR")], "q")
    assert parties_agree(directed, coded(["CONSULT"], [party("SYR")], [party("RUS")], "q"))
    mutual = gold("CONSULT", [party("RUS"), party("SYR")], [], "q")
    assert parties_agree(mutual, coded(["CONSULT"], [party("SYR")], [party("RUS")], "q"))
    assert parties_agree(mutual, coded(["CONSULT"], [party("SYR"), party("RUS")], [], "q"))
    assert not parties_agree(mutual, coded(["CONSULT"], [party("RUS")], [], "q"))  # two parties needed
    assert not parties_agree(mutual, coded(["CONSULT"], [party("RUS")], [party("USA")], "q"))


def test_one_to_one_matching_and_repeats_count_neither_way():
    golds = [gold("ACCUSE", [party("USA")], [party("IRN")], "The US accused Iran of attacks")]
    events = [
        coded(["ACCUSE"], [party("USA")], [party("IRN")], "The US accused Iran of attacks on tankers."),
        coded(["ACCUSE"], [party("USA")], [party("IRN")], "Washington repeated the charge on Friday."),
        coded(["ASSAULT"], [party("IRN")], [party("USA")], "Nothing like this sentence."),
    ]
    report = score({"doc": golds}, {"doc": events})
    assert report.triple["tp"] == 1 and report.triple["fn"] == 0
    assert report.triple["fp"] == 1  # the repeat of the accusation is neither right nor wrong
    assert report.false_positives[0]["type"] == ["ASSAULT"]


@pytest.mark.parametrize(
    ("gold_date", "coded_date", "right"),
    [
        ("2017-12-12", "2017-12-12", True),
        ("2017-12-12", "2017-12", True),
        ("2017-12-12", "2017", False),
        ("2017-12", "2017-12-12", False),
        ("2017", "2017", True),
        ("2017-12-12", None, False),
    ],
)
def test_date_accuracy_accepts_a_month_or_finer_prefix(gold_date, coded_date, right):
    assert date_right(gold_date, coded_date) is right


def test_halves_split_the_ids_stably_and_completely():
    ids = [f"doc-{i}" for i in range(50)]
    a, b = split_ids(ids, "a"), split_ids(ids, "b")
    assert sorted(a + b) == sorted(ids) and a and b and a == split_ids(ids, "a")
    with pytest.raises(ValueError):
        split_ids(ids, "c")
