"""Frames: intent, threat, refusal and request words fold the inner trigger; "must" under a report."""

from __future__ import annotations

import pytest

from kronika.events.draft import EventDraft, TriggerMatch
from kronika.events.frames import intent_type, obligations
from kronika.events.lexicon import Trigger


@pytest.mark.parametrize(
    ("sentence", "event", "cameo", "outer", "inner"),
    [
        ("Iran threatened to cut off oil supplies to Turkey.", "THREATEN", "130", "threaten", "cut off"),
        ("Jordan has offered to send troops to help Lebanon.", "AGREE", "030", "offer", "send"),
        ("Egypt refused to deploy troops in Gaza.", "REJECT", "120", "refuse", "deploy"),
        ("Obama urged Putin to stop the bombing.", "REQUEST", "100", "urge", "stop"),
    ],
)
def test_a_frame_word_folds_its_complement_into_one_event(parse, sentence, event, cameo, outer, inner):
    (d,) = parse(sentence).drafts()
    assert (d.event, d.cameo) == (event, cameo)
    first, second = d.rule.split(">")
    assert first.startswith(f"triggers:{outer}") and second.startswith(f"triggers:{inner}")


def test_a_request_keeps_its_own_mode_and_the_others_take_the_inner_one(parse):
    (threat,) = parse("Iran threatened to cut off oil supplies to Turkey.").drafts()
    assert threat.mode == "withhold"  # the mode of "cut off"
    (request,) = parse("Obama urged Putin to stop the bombing.").drafts()
    assert request.mode == request.trigger.entry.mode  # the mode of "urge"


def test_an_announced_cooperative_act_is_an_agreement(parse):
    (d,) = parse("Russia will provide food aid to Syria.").drafts()
    assert (d.event, d.cameo) == ("AGREE", "030")


def test_an_announced_deployment_stays_a_mobilization(parse):
    (d,) = parse("Turkey will send troops to Qatar.").drafts()
    assert d.event == "MOBILIZE"


def test_intent_governed_by_a_word_that_is_not_a_trigger(parse):
    """ "ready to attack": the governing word is where the actor is looked for."""
    (d,) = parse("Rebels were getting ready to attack Aleppo.").drafts()
    assert d.event == "THREATEN"
    assert d.verb.text == "ready"


def _entry(event: str) -> Trigger:
    return Trigger(lemma=("x",), pos=frozenset({"VERB"}), event=event, cameo="")


@pytest.mark.parametrize(
    ("inner", "event"), [("AID", "AGREE"), ("ASSAULT", "THREATEN"), ("MOBILIZE", "MOBILIZE")]
)
def test_intent_type_by_the_side_of_the_inner_act(parse, inner, event):
    p = parse("Russia acted.")
    tok = p.token("acted")
    draft = EventDraft.from_match(TriggerMatch(tok, [tok], _entry("MOBILIZE")))
    intent_type(p.ctx, draft, _entry(inner))
    assert draft.event == event


def test_must_under_a_report_verb_is_a_request_by_the_speaker(parse):
    p = parse("The United States said Iran must stop its nuclear programme.")
    (d,) = obligations(p.ctx, p.sent, p.drafts())
    assert (d.event, d.cameo, d.rule) == ("REQUEST", "100", "cues:must-under-report")
    assert [a.code for a in d.actors] == ["USA"]
    assert [r.code for r in d.recipients] == ["IRN"]


def test_must_without_a_report_verb_is_no_request(parse):
    p = parse("Iran must stop its nuclear programme.")
    assert all(d.event != "REQUEST" for d in obligations(p.ctx, p.sent, p.drafts()))
