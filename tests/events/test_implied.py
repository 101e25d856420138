"""Countries for sector-only participants and the participants an event type implies."""

from __future__ import annotations

from kronika.events.extract import sentence_drafts
from kronika.events.implied import fill_codes, place_country
from kronika.events.roles import roles


def _roled(parse, sentence: str):
    p = parse(sentence)
    (d,) = p.drafts()
    roles(p.ctx, d)
    return p, d


def test_a_sector_only_actor_takes_the_country_of_the_place(parse):
    p, d = _roled(parse, "Protesters marched in Tehran.")
    assert [a.code for a in d.actors] == [None]
    assert place_country(p.ctx, p.sent, d) == "IRN"
    fill_codes(p.ctx, p.sent, d)
    assert [(a.code, a.rule) for a in d.actors] == [("IRN", "sectors:protester:context-country")]


def test_a_protest_with_no_target_is_aimed_at_its_own_government(parse):
    p, d = _roled(parse, "Protesters marched in Tehran.")
    fill_codes(p.ctx, p.sent, d)
    assert [(r.code, r.sector, r.rule) for r in d.recipients] == [("IRN", "GOV", "implied:domestic")]


def test_an_unnamed_attacker_is_of_the_country_where_it_struck(parse):
    p = parse("A roadside bomb near Samarra killed two soldiers.")
    (d,) = sentence_drafts(p.ctx, p.sent)
    assert [(a.code, a.sector, a.rule, a.start) for a in d.actors] == [("IRQ", "UNK", "implied:place", None)]


def test_forces_withdrawn_from_abroad_are_aimed_at_that_country(parse):
    p = parse("Iran pulled out its troops in Lebanon.")
    drafts = sentence_drafts(p.ctx, p.sent)
    implied = [r for d in drafts for r in d.recipients if r.rule == "implied:foreign-place"]
    assert [(r.code, r.sector, r.text) for r in implied] == [("LBN", "GOV", "Lebanon")]


def test_forces_kept_abroad_have_no_recipient_the_text_does_not_name(parse):
    # "Russia would retain a sizable force in Syria": where the forces are is not whom they are aimed at
    p = parse("Iran strengthened its forces in Lebanon.")
    (d,) = sentence_drafts(p.ctx, p.sent)
    assert d.event == "MOBILIZE" and d.recipients == []


def test_a_participant_left_without_a_country_is_dropped(parse):
    p, d = _roled(parse, "Protesters marched.")
    fill_codes(p.ctx, p.sent, d)
    assert d.actors == [] and d.recipients == []


def test_soldiers_killed_nowhere_named_have_no_attacker_of_their_own_country(parse):
    p = parse("Six American service members were killed.")
    drafts = sentence_drafts(p.ctx, p.sent)
    assert not [a for d in drafts for a in d.actors if a.rule == "implied:place"]
