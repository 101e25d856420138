"""Participants the text implies without naming them, and countries for sector-only participants.

"the government", "demonstrators" take the country of the place named in the sentence, or of the
other side. The type table (``types.yaml``) says what a type implies when a side is empty: an
unidentified actor of the country where an attack happened (``implied_actor: place``), the foreign
country troops leave (``implied_recipient: foreign-place``), the actor's own country for
protests and domestic acts (``implied_recipient: domestic``, or a trigger's ``domestic`` flag).
Implied participants carry an ``implied:`` rule.
"""

from __future__ import annotations

from spacy.tokens import Span

from kronika.actors.recognize import CodedActor
from kronika.events.context import UNKNOWN_PERSON_RULE, EventContext
from kronika.events.draft import EventDraft
from kronika.events.lexicon import TypeInfo
from kronika.events.vocab import (
    CIVILIAN_SECTOR,
    GOVERNMENT_SECTOR,
    PLACE_KINDS,
    UNKNOWN_SECTOR,
)


def fill_codes(ctx: EventContext, sent: Span, d: EventDraft) -> None:
    """Give a country to sector-only participants ("the government", "demonstrators").

    The place named in the sentence ("in Baghdad", "throughout Indonesia") comes first, then the
    other side of the event; a participant that still has no code is dropped. Then the participants
    the event's type implies fill an empty side.
    """
    place = place_country(ctx, sent, d)
    actor_code = next((a.code for a in d.actors if a.code), None)
    recip_code = next((r.code for r in d.recipients if r.code), None)
    for side, other in ((d.actors, recip_code), (d.recipients, actor_code)):
        for a in side:
            if a.code is None:
                home = home_country(ctx, sent, a)
                if home is not None:
                    a.code, a.rule = home, a.rule + ":home-town"
                else:
                    _give_country(ctx, a, place, other)
    d.actors = [a for a in d.actors if a.code]
    d.recipients = [r for r in d.recipients if r.code]
    info = ctx.lex.type_info(d.event)
    _implied_place_actor(d, info, place)
    _implied_foreign_place(d, info)
    _implied_domestic(ctx, d, info)


def state_act(ctx: EventContext, d: EventDraft) -> bool:
    """Is the draft an act only a state performs (an arrest, a charge, a sentence, a deportation)?"""
    e = d.trigger.entry
    return bool(ctx.state_act_contexts.intersection(e.context)) or e.mode in ctx.state_act_modes


def implied_state(ctx: EventContext, sent: Span, d: EventDraft) -> list[CodedActor]:
    """ "In May, she was arrested", "Arrests of activists have accelerated": with no actor named, the
    state of the place where it happens, else of the country the document is about."""
    code = place_country(ctx, sent, d) or ctx.focus
    if not code or not state_act(ctx, d):
        return []
    sectors = ctx.lex.state_act_sectors
    sector = sectors.get(d.trigger.entry.mode or "", sectors.get("default", GOVERNMENT_SECTOR))
    return [_implied(code, sector, "implied:state")]


def home_country(ctx: EventContext, sent: Span, a: CodedActor) -> str | None:
    """The country of the home town a participant is said to come from."""
    return ctx.home_country(sent.doc[a.head]) if a.head >= 0 else None


def _give_country(ctx: EventContext, a: CodedActor, place: str | None, other: str | None) -> None:
    """The event's place, else the country the document is about, else (for a sector word, not for
    a person) the other side when it is a state: "Zapatero mediated between the government and the
    opposition" of a Venezuelan report are Venezuelan, not Spanish."""
    if a.rule == UNKNOWN_PERSON_RULE or other in ctx.knowledge.non_state_codes:
        # "Putin met Smith": the other side does not give a person its country; "the coalition
        # killed 60,000 fighters": an international body has no fighters, civilians or police
        other = None
    if place:
        a.code = place
        a.rule += ":context-country"
    elif ctx.focus:
        a.code = ctx.focus
        a.rule += ":focus-country"
    elif other:
        a.code = other
        a.rule += ":context-country"


def _implied(
    code: str | None, sector: str, rule: str, start: int | None = None, end: int | None = None, text: str = ""
) -> CodedActor:
    """A participant the text implies: no name, no head token."""
    return CodedActor(code, sector, None, start, end, text, rule, "implied", -1)


def _implied_place_actor(d: EventDraft, info: TypeInfo | None, place: str | None) -> None:
    """ "A roadside bomb near Samarra killed two soldiers": an unidentified actor of that country."""
    if not d.actors and d.recipients and info is not None and info.implied_actor == "place":
        victim = d.recipients[0]
        if place is None and victim.rule.endswith(PERSONAL_ORIGINS):
            return  # "Dean Evans, from Reading, was killed": where he is from is not where it happened
        if place is None and (victim.sector or "") in ARMED_SECTORS:
            return  # "three Russian soldiers were wounded": no army is attacked by its own country
        code = place or victim.code
        d.actors = [_implied(code, UNKNOWN_SECTOR, "implied:place")]


ARMED_SECTORS = ("MIL", "COP", "SPY")  # a state's forces
PERSONAL_ORIGINS = (":home-town", ":kin")  # a person's country found from where they come from


def _implied_foreign_place(d: EventDraft, info: TypeInfo | None) -> None:
    """ "pulled out its troops in Afghanistan": the country the forces leave is the one the
    withdrawal is aimed at (for types with ``implied_recipient: foreign-place``)."""
    p = d.place
    if (
        not d.recipients
        and d.actors
        and info is not None
        and info.implied_recipient == "foreign-place"
        and p is not None
        and p.country
        and all(a.code != p.country for a in d.actors)
    ):
        rule = "implied:foreign-place"
        d.recipients = [_implied(p.country, GOVERNMENT_SECTOR, rule, p.start, p.end, p.text)]


def _implied_domestic(ctx: EventContext, d: EventDraft, info: TypeInfo | None) -> None:
    """Protests, curfews, crackdowns with no one named: the actor's own country, its government
    for a non-state actor, its people for the state; for the types marked ``domestic-in-focus``
    only when the actor is of the country the document is about."""
    state = next((a for a in d.actors if a.code and a.code not in ctx.knowledge.non_state_codes), None)
    kind = info.implied_recipient if info is not None else None
    in_focus = kind == "domestic-in-focus" and state is not None and state.code == ctx.focus
    implied = d.trigger.entry.domestic or kind == "domestic" or in_focus
    if not d.recipients and state is not None and implied:
        sector = CIVILIAN_SECTOR if state.sector in ctx.knowledge.state_sectors else GOVERNMENT_SECTOR
        d.recipients = [_implied(state.code, sector, "implied:domestic")]


def place_country(ctx: EventContext, sent: Span, d: EventDraft) -> str | None:
    """The country where the event happens: its place, else a country or capital after a
    preposition in the sentence that is not one of its participants."""
    if d.place is not None and d.place.country:
        return d.place.country
    used = {a.head for a in d.actors} | {r.head for r in d.recipients}
    for m in ctx.resolver.index.matches_in(sent.start, sent.end):
        ref = m.refs[0]
        if ref.kind not in PLACE_KINDS or m.span.root.i in used:
            continue
        if m.span.root.head.dep_ == "prep" or m.span.root.dep_ == "pobj":
            return ref.code
    return None
