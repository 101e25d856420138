"""Trigger matching on parsed sentences: lexicon lookup, multi-word entries, neighbours, mode words."""

from __future__ import annotations

import pytest

from kronika.events.triggers import find_triggers, match_rest, mode_hint, neighbours, trigger_pos


def _found(parsed):
    found = find_triggers(parsed.sent, parsed.ctx.lex)
    return [([t.text for t in m.tokens], m.entry.event, m.pos) for m in found]


def test_verbal_triggers_and_a_multi_word_rest_are_found_in_order(parse):
    p = parse("Iran threatened to cut off oil supplies to Turkey.")
    assert _found(p) == [(["threatened"], "THREATEN", "VERB"), (["cut", "off"], "COERCE", "VERB")]


def test_a_noun_trigger_is_nominal(parse):
    p = parse("Putin's talks with Erdogan lasted three hours.")
    assert _found(p) == [(["talks"], "CONSULT", "NOUN")]


def test_a_with_list_needs_its_neighbour(parse):
    """ "withdraw" is a RETREAT only with forces near it."""
    with_troops = parse("Russia withdrew its troops from Syria.")
    without = parse("Russia withdrew the proposal.")
    assert [e for _, e, _ in _found(with_troops)] == ["RETREAT"]
    assert "RETREAT" not in [e for _, e, _ in _found(without)]


def test_neighbours_include_objects_and_prepositional_pairs(parse):
    p = parse("Russia withdrew its troops from Syria.")
    words = neighbours(p.token("withdrew"))
    assert {"troop", "from", "syria", "from:syria"} <= words


def test_match_rest_takes_a_particle(parse):
    p = parse("Russia pulled its troops out of Syria.")
    assert [t.text for t in match_rest(p.token("pulled"), ("out",))] == ["pulled", "out"]
    assert match_rest(p.token("pulled"), ("back",)) is None


@pytest.mark.parametrize(("word", "pos"), [("attacked", "VERB"), ("talks", "NOUN"), ("in", None)])
def test_trigger_pos(parse, word, pos):
    p = parse("Russia attacked rebels after talks in Geneva.")
    assert trigger_pos(p.token(word)) == pos


def test_mode_hint_reads_words_near_the_trigger(parse):
    p = parse("Putin discussed Syria with Assad by phone.")
    (d,) = p.drafts()
    assert d.mode is None
    mode_hint(d, p.ctx.lex)
    assert d.mode == "phone"
