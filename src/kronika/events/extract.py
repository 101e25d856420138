"""Turn a parsed sentence into event drafts: the stages of event extraction, in order.

1. ``triggers``: lexicon entries matched on lemmas, checking their ``with``/``without`` neighbours.
2. ``clauses`` and ``frames``: a nominal trigger that is only the object of another ("rejected a peace
   plan") is dropped; intent, threat, refusal and request words fold their inner trigger into one
   event ("offered to withdraw" → AGREE); "X said Y must ..." is a REQUEST; events in adjuncts and
   relative clauses are circumstances of the main one.
3. ``roles``: actor and recipient from the grammar; the place from ``kronika.places``; a fallback
   actor from the sentence when the grammar gives none.
4. ``implied``: countries for sector-only participants and the participants the type implies.
5. ``modality``: asserted, negated, hypothetical or future, and the attribution ("..., the Kremlin
   said"); ``triggers.mode_hint`` the mode from words near the trigger.

``events.build.build_event`` turns each draft into an ``Event`` record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Span

from kronika.actors.recognize import ActorResolver
from kronika.events.clauses import (
    describes,
    event_positions,
    in_main_clause,
    is_argument_of_trigger,
    is_toll,
    names_no_act,
    states_content,
    subordinate,
)
from kronika.events.context import EventContext
from kronika.events.draft import EventDraft, TriggerMatch
from kronika.events.frames import empty_promise, fold_intent, obligations
from kronika.events.implied import fill_codes, implied_state, place_country
from kronika.events.modality import attribution, modality
from kronika.events.roles import fallback_actor, reduced_passive, roles, subject
from kronika.events.triggers import find_triggers, mode_hint
from kronika.events.vocab import CONTACT_TYPES
from kronika.knowledge import Knowledge
from kronika.places import Place, event_place

__all__ = ["EventBuilder", "EventDraft", "TriggerMatch", "find_triggers", "sentence_drafts"]


class EventBuilder:
    """Builds event drafts for the sentences of one document."""

    def __init__(
        self,
        knowledge: Knowledge,
        resolver: ActorResolver,
        pub_date: dt.date | None,
        places: Sequence[Place] = (),
    ) -> None:
        self.ctx = EventContext.build(knowledge, resolver, pub_date, places)

    def drafts(self, sent: Span) -> list[EventDraft]:
        return sentence_drafts(self.ctx, sent)


def sentence_drafts(ctx: EventContext, sent: Span) -> list[EventDraft]:
    """The events of one sentence, each with its participants, place, modality and attribution."""
    cues = (ctx.occurrence, ctx.future_verbs, ctx.relations, ctx.questions, ctx.depictions)
    found = [d for d in candidates(ctx, sent) if not names_no_act(d, *cues) and not is_toll(d)]
    drafts = main_line(obligations(ctx, sent, found), ctx.statement_nouns)
    for d in drafts:
        if not d.actors:
            roles(ctx, d)
        words = ctx.knowledge.place_words
        d.place = event_place(sent, d.trigger.head, ctx.places, words) if ctx.places else None
    _fallbacks(ctx, sent, drafts)
    for d in drafts:
        fill_codes(ctx, sent, d)
        _police_operation(ctx, d)
        modality(ctx, d)
        attribution(ctx, d)
        mode_hint(d, ctx.lex)
    return [p for d in drafts if _identified(ctx, d) for p in per_partner(d)]


def _police_operation(ctx: EventContext, d: EventDraft) -> None:
    """ "Police and counter-terror officers launched further raids": a raid or operation by the
    police (cues ``police_operations``, ``police_sectors``) is a coercion, not a military assault."""
    if d.event != "ASSAULT" or not d.actors:
        return
    if not any((a.sector or "").lower() in ctx.police_sectors for a in d.actors):
        return
    tok = d.trigger.token
    words = {tok.lemma_.lower()} | {c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "obj")}
    if words & ctx.police_operations:
        d.retype("COERCE", ctx.cameo("COERCE"))
        d.mode = None


def _identified(ctx: EventContext, d: EventDraft) -> bool:
    """Only an act by an identifiable actor is an event: a coded actor, named or implied; a private
    person's trip is no visit."""
    if not any(a.code for a in d.actors):
        return False
    if d.trigger.entry.mode in ctx.private_travel_modes:
        return any((a.sector or "").lower() not in ctx.private_sectors for a in d.actors)
    return True


def candidates(ctx: EventContext, sent: Span) -> list[EventDraft]:
    """One draft per trigger that is not the content of another, folded by its frame."""
    triggers = find_triggers(sent, ctx.lex)
    if not triggers:
        return []
    by_tok = {m.token.i: m for m in triggers}
    absorbed: set[int] = set()
    drafts: list[EventDraft] = []
    for m in triggers:
        if m.token.i in absorbed or is_argument_of_trigger(m.token, by_tok):
            continue
        if empty_promise(ctx, m, by_tok):
            continue
        drafts.append(fold_intent(ctx, m, by_tok, absorbed))
    positions = event_positions(drafts)
    return [
        d for d in drafts if d.trigger.token.i not in absorbed and not subordinate(d, drafts, positions)
    ]


def main_line(drafts: list[EventDraft], statements: frozenset[str] = frozenset()) -> list[EventDraft]:
    """Events in adjuncts ("after fierce fighting", "who attacked") are circumstances: keep those of
    the main line, or the first when none is there that does not just describe someone ("rebels
    fighting the regime")."""
    main = [d for d in drafts if in_main_clause(d) or states_content(d, statements)]
    return main or [d for d in drafts if not describes(d)][:1]


def _fallbacks(ctx: EventContext, sent: Span, drafts: list[EventDraft]) -> None:
    """Give an actor to drafts whose grammar gives no coded one.

    Participants of one event are not the guessed actor of another ("The talks were followed by a
    call between Putin and the King": Putin is not the actor of the talks). A sector-only actor
    ("Protesters in Tehran") keeps its place in the grammar when the sentence says where it is;
    otherwise the first other coded actor stands in.
    """
    taken = [a for d in drafts for a in (*d.actors, *d.recipients)]
    for d in drafts:
        if any(a.code for a in d.actors) or (d.actors and place_country(ctx, sent, d)):
            continue
        if _writer(ctx, sent, d):
            continue
        fallback = implied_state(ctx, sent, d)
        if not fallback and not reduced_passive(d.verb):  # "Asked to ..., Elliott": not the asker
            fallback = fallback_actor(ctx, sent, d, taken)
        if fallback:
            d.actors = fallback
            d.actor_from_grammar = False
            d.recipients = [r for r in d.recipients if all(r.head != a.head for a in d.actors)]


WRITER = ("i", "me")  # the first person outside quotation marks is the writer
QUOTES = ('"', "“", "”")


def _writer(ctx: EventContext, sent: Span, d: EventDraft) -> bool:
    """ "At a refugee camp in Jordan, I met a group of women": the writer's own doings are no event,
    and no other party of the sentence stands in for the writer."""
    subj, _ = subject(ctx, d.verb)
    return subj is not None and subj.lower_ in WRITER and not any(q in sent.text for q in QUOTES)


def per_partner(d: EventDraft) -> list[EventDraft]:
    """ "Putin spoke to Assad, the King of Saudi Arabia, Rouhani and Netanyahu in quick succession":
    contacts with partners of several countries are one event per partner country, as event data are
    dyadic; every other event keeps its recipients together."""
    codes = list(dict.fromkeys(r.code for r in d.recipients))
    if d.event not in CONTACT_TYPES or len(codes) < 2:
        return [d]
    return [replace(d, recipients=[r for r in d.recipients if r.code == c]) for c in codes]
