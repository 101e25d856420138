"""Clause tests: which triggers stand in the main line, which are arguments or elaborations of others."""

from __future__ import annotations

import pytest

from kronika.events.clauses import governing_verb, in_main_clause, is_argument_of_trigger, subordinate
from kronika.events.draft import EventDraft
from kronika.events.triggers import find_triggers


def _by_tok(p):
    return {m.token.i: m for m in find_triggers(p.sent, p.ctx.lex)}


def test_governing_verb_of_a_nominal_trigger(parse):
    p = parse("Russia will provide 25,000 tons of food aid to Syria.")
    assert governing_verb(p.token("aid")).text == "provide"
    assert governing_verb(p.token("Russia")) is None


def test_a_noun_that_is_the_object_of_a_verbal_trigger_is_its_argument(parse):
    p = parse("Egypt rejected an Israeli proposal for talks.")
    by_tok = _by_tok(p)
    assert is_argument_of_trigger(p.token("talks"), by_tok)
    assert not is_argument_of_trigger(p.token("rejected"), by_tok)


def test_an_owned_contact_noun_is_never_an_argument(parse):
    """ "rejected talks": the talks are the rejection's content; "welcomed their talks": they happened."""
    owned = parse("Putin welcomed their talks with Erdogan.")
    assert not is_argument_of_trigger(owned.token("talks"), _by_tok(owned))
    bare = parse("Russia rejected talks with Erdogan.")
    assert is_argument_of_trigger(bare.token("talks"), _by_tok(bare))


def test_an_event_after_a_circumstance_preposition_is_not_in_the_main_line(parse):
    p = parse("After fierce fighting, the Syrian army withdrew from Palmyra.")
    drafts = {m.token.text: EventDraft.from_match(m) for m in find_triggers(p.sent, p.ctx.lex)}
    assert not in_main_clause(drafts["fighting"])
    assert in_main_clause(drafts["withdrew"])


def test_a_relative_clause_is_not_in_the_main_line(parse):
    p = parse("Hamas fighters, who attacked Israel, were killed by Israeli jets.")
    drafts = {m.token.text: EventDraft.from_match(m) for m in find_triggers(p.sent, p.ctx.lex)}
    assert not in_main_clause(drafts["attacked"])
    assert in_main_clause(drafts["killed"])


def test_coordinated_events_with_their_own_subjects_are_not_subordinate(parse):
    p = parse("Israel bombed Gaza and Hamas fired rockets at Israel.")
    drafts = [EventDraft.from_match(m) for m in find_triggers(p.sent, p.ctx.lex)]
    assert [subordinate(d, drafts) for d in drafts] == [False, False]


def test_a_purpose_clause_without_a_subject_is_subordinate(parse):
    p = parse("Police opened fire to disperse the crowd.")
    drafts = [EventDraft.from_match(m) for m in find_triggers(p.sent, p.ctx.lex)]
    by_text = {d.trigger.token.text: d for d in drafts}
    assert "disperse" in by_text, [d.trigger.token.text for d in drafts]
    assert subordinate(by_text["disperse"], drafts)


def _types(parse, text: str) -> list[str]:
    from kronika.events.extract import sentence_drafts

    p = parse(text)
    return [d.event for d in sentence_drafts(p.ctx, p.sent)]


@pytest.mark.parametrize(
    "text",
    [
        "Iran-backed militias took control of the town on Monday.",  # a compound modifier
        "Talks sponsored by the United Nations are expected in Geneva this week.",  # a topic subject
        "The fighting has displaced thousands of Syrians, the UN said.",
        "A British photographer spent three months filming the battle for Raqqa.",  # shown, not done
    ],
)
def test_a_trigger_that_names_no_act_is_no_event(parse, text):
    assert not {"ASSAULT", "CONSULT", "SUPPORT"} & set(_types(parse, text))


def test_an_event_noun_that_is_the_subject_of_a_verb_of_occurrence_is_an_event(parse):
    assert "ASSAULT" in _types(parse, "Russian airstrikes killed dozens of civilians in Aleppo on Monday.")
    # a verb saying the acts grew or spread reports them too
    assert "COERCE" in _types(parse, "Arrests of opposition activists have accelerated in Venezuela.")
    assert "ASSAULT" in _types(parse, "Russian air strikes intensified across Idlib province last week.")
    # and so does a verb saying they are under way
    assert "ACCUSE" in _types(parse, "An investigation by French police is underway into the attack in Lyon.")


def test_an_act_with_no_identifiable_actor_is_no_event(parse):
    # nobody coded: "it" refers to nothing the document named
    assert _types(parse, "It condemned the attack on Tuesday.") == []
