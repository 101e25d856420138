"""Modality of a draft (asserted, negated, hypothetical, future) and its attribution."""

from __future__ import annotations

import pytest

from kronika.events.modality import attribution, has_future, modality


def _drafted(parse, sentence: str):
    p = parse(sentence)
    d = p.drafts()[0]
    modality(p.ctx, d)
    return p, d


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russian warplanes bombed Aleppo on Tuesday.", "asserted"),
        ("Israel did not attack Lebanon.", "negated"),
        ("If Russia attacks Ukraine, the alliance would respond.", "hypothetical"),
        ("Turkey will send troops to Qatar.", "future"),
        ("Putin to hold talks with Erdogan.", "future"),
    ],
)
def test_modality(parse, sentence, expected):
    _, d = _drafted(parse, sentence)
    assert d.modality == expected


def test_refusing_to_accept_is_a_rejection_that_will_happen(parse):
    _, d = _drafted(parse, "Russia will not accept any more refugees.")
    assert (d.event, d.cameo, d.modality) == ("REJECT", "120", "future")


def test_has_future_needs_a_future_auxiliary_and_no_negation(parse):
    p = parse("Turkey will send troops to Qatar.")
    assert has_future(p.ctx, p.token("send"))
    q = parse("Russia will not accept any more refugees.")
    assert not has_future(q.ctx, q.token("accept"))
    assert has_future(q.ctx, q.token("accept"), negated=True)


def test_attribution_is_the_subject_of_the_report_verb(parse):
    p = parse("The Kremlin said that Syrian troops attacked Turkish positions.")
    (d,) = p.drafts()
    attribution(p.ctx, d)
    assert d.attribution is not None and d.attribution.code == "RUS"
    assert d.attribution_text == "The Kremlin"


def test_no_report_verb_no_attribution(parse):
    p = parse("Syrian troops attacked Turkish positions.")
    (d,) = p.drafts()
    attribution(p.ctx, d)
    assert d.attribution is None and d.attribution_text is None
