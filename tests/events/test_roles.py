"""Actor and recipient from the grammar: subjects, objects, passives, nouns, "their", fallbacks."""

from __future__ import annotations

import pytest

from kronika.events.roles import fallback_actor, roles, subject


def _dyad(parse, sentence: str, event: str):
    p = parse(sentence)
    d = next(d for d in p.drafts() if d.event == event)
    roles(p.ctx, d)
    return sorted(a.code for a in d.actors), sorted(r.code for r in d.recipients)


@pytest.mark.parametrize(
    ("sentence", "event", "actors", "recipients"),
    [
        ("Turkey accused Russia of violating its airspace.", "ACCUSE", ["TUR"], ["RUS"]),
        ("Gaza was bombed by Israel.", "ASSAULT", ["ISR"], ["PSE"]),
        ("Putin's talks with Erdogan lasted three hours.", "CONSULT", ["RUS"], ["TUR"]),
        ("Putin discussed Syria with Assad by phone.", "CONSULT", ["RUS"], ["SYR"]),
        ("Russia will provide food aid to Syria.", "AGREE", ["RUS"], ["SYR"]),
        ("Jordan has offered to send troops to help Lebanon.", "AGREE", ["JOR"], ["LBN"]),
    ],
)
def test_roles_from_the_grammar(parse, sentence, event, actors, recipients):
    assert _dyad(parse, sentence, event) == (actors, recipients)


def test_the_actors_own_forces_are_not_the_recipient(parse):
    assert _dyad(parse, "Russia pulled its troops out of Syria.", "RETREAT") == (["RUS"], [])


def test_a_call_between_two_parties_has_both_as_actors(parse):
    p = parse("The talks were followed by a call between Putin and the King of Saudi Arabia.")
    d = next(d for d in p.drafts() if d.trigger.token.text == "call")
    roles(p.ctx, d)
    assert sorted(a.code for a in d.actors) == ["RUS", "SAU"]


def test_subject_of_a_passive_verb_is_its_agent(parse):
    p = parse("Gaza was bombed by Israel.")
    subj, passive = subject(p.ctx, p.token("bombed"))
    assert passive and subj is not None and subj.text == "Israel"


def test_subject_climbs_to_the_governing_clause(parse):
    p = parse("Israeli troops opened fire, killing two protesters.")
    subj, passive = subject(p.ctx, p.token("killing"))
    assert not passive and subj is not None and subj.text == "troops"


def test_fallback_actor_skips_the_recipients(parse):
    p = parse("Russia: talks with Erdogan were held on Tuesday.")
    d = next(d for d in p.drafts() if d.event == "CONSULT")
    roles(p.ctx, d)
    d.actors = []
    found = fallback_actor(p.ctx, p.sent, d, [])
    assert all(a.code != "TUR" for a in found)
