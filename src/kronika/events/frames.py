"""Frames that fold one trigger into another: intent, threat, refusal, request and obligation.

"offered to withdraw" is one AGREE, "threatened to cut off" one THREATEN, "refused to deploy" one
REJECT, "urged Y to stop" one REQUEST: the outer word gives the type, the inner trigger the content
(and its mode). An announced act ("will provide aid") is an AGREE or THREATEN by its side of the
scale; "prepared to attack" a MOBILIZE. "X said Y must do Z" is a REQUEST by X on Y.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kronika.events.clauses import announced, governing_verb, to_infinitive
from kronika.events.context import EventContext
from kronika.events.draft import EventDraft, TriggerMatch
from kronika.events.lexicon import COOPERATIVE, Trigger
from kronika.events.modality import has_future, no_longer
from kronika.events.vocab import (
    FOLD_EXEMPT,
    FORCEFUL_TYPES,
    OBLIGATION_AUX,
    OBLIGATION_RULE,
    SUBJECT_DEPS,
)

INTENT = "intent"  # a frame whose type depends on the inner act (AGREE or THREATEN)


def fold_intent(
    ctx: EventContext, m: TriggerMatch, by_tok: dict[int, TriggerMatch], absorbed: set[int]
) -> EventDraft:
    """The draft of trigger ``m``, re-typed by the frame it stands in; an inner trigger it folds in
    goes into ``absorbed``."""
    draft = EventDraft.from_match(m)
    if m.pos != "VERB":
        _fold_nominal(ctx, draft, m)
    elif no_longer(ctx, m.token):
        ended(ctx, draft, m.entry)  # "the US would no longer supply arms": the supply ends
    elif not _fold_complement(ctx, draft, m, by_tok, absorbed):
        _fold_governor(ctx, draft, m, by_tok)
    return draft


def empty_promise(ctx: EventContext, m: TriggerMatch, by_tok: dict[int, TriggerMatch]) -> bool:
    """ "Maduro has promised Venezuelans that the assembly will herald a new era": a promise (an intent
    word read as a trigger of its own, with no ``with`` words) whose clause holds no act promises a
    state of affairs, not an act: no event."""
    tok = m.token
    if m.pos != "VERB" or m.entry.with_ or tok.lemma_.lower() not in ctx.intent:
        return False
    clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if clause is None or any(c.dep_ == "xcomp" for c in tok.children):
        return False
    return not any(t.i in by_tok for t in clause.subtree)


def _fold_nominal(ctx: EventContext, draft: EventDraft, m: TriggerMatch) -> None:
    """ "will provide 25,000 tons of food aid", "prepared to resume shelling": the governing verb."""
    entry = m.entry
    if entry.keeps_future or entry.event in FOLD_EXEMPT:
        return
    if announced(m.head, ctx.future_verbs):  # "Talks are expected in Geneva this week"
        intent_type(ctx, draft, entry)
        draft.modality = "future"
        return
    gov = governing_verb(m.head)
    if gov is None:
        return
    if m.head.dep_ == "dobj" and gov.lemma_.lower() in ctx.ending:
        ended(ctx, draft, entry)
        draft.verb = gov
        return
    if has_future(ctx, gov) or _planned(ctx, gov):
        intent_type(ctx, draft, entry)
        draft.modality = "future"
    elif prepares(ctx, gov) and entry.event in FORCEFUL_TYPES:
        draft.retype("MOBILIZE", ctx.cameo("MOBILIZE"))


def _planned(ctx: EventContext, verb: Token) -> bool:
    """ "is due to stage a conference", "plans to hold talks": the verb is the complement of a word of
    plan or intent."""
    head = verb.head
    word = head.lemma_.lower()
    return verb.dep_ == "xcomp" and head != verb and (word in ctx.future_verbs or word in ctx.intent)


def _fold_complement(
    ctx: EventContext, draft: EventDraft, m: TriggerMatch, by_tok: dict[int, TriggerMatch], absorbed: set[int]
) -> bool:
    """The trigger's own complement carries the content: "threatened to cut off", "agreed to
    withdraw". True when it folded one in."""
    tok = m.token
    comp = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.i in by_tok), None)
    lemma = tok.lemma_.lower()
    if comp is None or lemma not in (ctx.threat | ctx.intent | ctx.refusal | ctx.request):
        return False
    inner = by_tok[comp.i]
    absorbed.add(comp.i)
    draft.content = comp
    draft.mode = inner.entry.mode if lemma not in ctx.request else draft.mode
    if lemma in ctx.threat:
        draft.retype("THREATEN", ctx.cameo("THREATEN"))
    elif lemma in ctx.refusal:
        draft.retype("REJECT", ctx.cameo("REJECT"))
    elif lemma in ctx.request:
        draft.retype("REQUEST", ctx.cameo("REQUEST"))
    else:
        intent_type(ctx, draft, inner.entry)
    draft.rule = f"{m.entry.rule}>{inner.entry.rule}"
    return True


def _fold_governor(
    ctx: EventContext, draft: EventDraft, m: TriggerMatch, by_tok: dict[int, TriggerMatch]
) -> None:
    """Governed by an intent word that is not a trigger: "is ready to contribute", "plans to impose",
    "have sworn to fight" (parsed as an adverbial clause); else an announced act ("will attack")."""
    tok, entry = m.token, m.entry
    infinitive = tok.dep_ == "advcl" and to_infinitive(tok)
    gov = tok.head if tok.dep_ in ("xcomp", "ccomp") or infinitive else None
    if gov is not None:
        word = gov.lemma_.lower() if gov.i not in by_tok else ""
        frame = _governor_frame(ctx, word, tok.dep_ == "xcomp", infinitive)
        if frame == "REQUEST" and word in ctx.option_frames and not _addressee(gov):
            frame = None  # "they want to kill Isis": a wish of their own, not a request to anyone
        if frame is None and prepares(ctx, gov) and entry.event in FORCEFUL_TYPES:
            frame = "MOBILIZE"  # "prepared to attack": forces readied, not yet an attack
        if frame is not None:
            if frame == INTENT:
                intent_type(ctx, draft, entry)
            else:
                draft.retype(frame, ctx.cameo(frame))
            draft.verb = gov
            return
    if has_future(ctx, tok) and not entry.keeps_future and entry.event not in FOLD_EXEMPT:
        intent_type(ctx, draft, entry)


def _governor_frame(ctx: EventContext, word: str, xcomp: bool, infinitive: bool) -> str | None:
    """The frame a governing word sets: THREATEN, REJECT, INTENT, REQUEST, or None."""
    if not word:
        return None
    if word in ctx.threat:
        return "THREATEN"
    if word in ctx.refusal:
        return "REJECT"
    if (xcomp or infinitive) and (word in ctx.intent or word in ctx.future_verbs):
        return INTENT
    if word in ctx.request and xcomp:
        return "REQUEST"
    return None


def _addressee(verb: Token) -> bool:
    """Does the verb name whom it addresses ("wants Russia to leave", "asked him to")?"""
    return any(c.dep_ in ("dobj", "iobj", "dative") for c in verb.children)


def prepares(ctx: EventContext, verb: Token) -> bool:
    """ "prepared to resume shelling": the verb or a verb above it in its chain is a preparation."""
    cur = verb
    for _ in range(3):
        if cur.lemma_.lower() in ctx.preparation:
            return True
        if cur.dep_ not in ("xcomp",) or cur.head == cur:
            return False
        cur = cur.head
    return False


def ended(ctx: EventContext, draft: EventDraft, inner: Trigger) -> None:
    """ "removed the cordon", "ended the offensive": easing a coercion or an attack is a CONCEDE;
    "suspended talks", "cancelled the deal": ending a cooperation is a REJECT, ending aid a SANCTION."""
    if inner.event == "AID":
        frame = "SANCTION"  # the withdrawal of aid is a sanction (PLOVER manual, REJECT)
    else:
        frame = "REJECT" if inner.event in COOPERATIVE else "CONCEDE"
    draft.retype(frame, ctx.cameo(frame))
    draft.mode = None


def intent_type(ctx: EventContext, draft: EventDraft, inner: Trigger) -> None:
    """An announced intention: cooperative acts are AGREE, conflictual ones THREATEN; an announced
    deployment ("will send 500 soldiers to Mali") stays MOBILIZE, with its modality future."""
    if inner.event == "MOBILIZE":
        return
    frame = "AGREE" if inner.event in COOPERATIVE else "THREATEN"
    draft.retype(frame, ctx.cameo(frame))


def obligations(ctx: EventContext, sent: Span, drafts: list[EventDraft]) -> list[EventDraft]:
    """ "X said Y must do Z": a demand by X on Y (REQUEST), whatever Z is; it replaces the draft of Z."""
    by_verb = {d.content.i: d for d in drafts} | {d.verb.i: d for d in drafts}
    out = list(drafts)
    for tok in sent:
        if tok.lower_ != OBLIGATION_AUX or tok.dep_ != "aux":
            continue
        verb = tok.head
        gov = verb.head if verb.dep_ in ("ccomp", "parataxis") else None
        if gov is None or gov.lemma_.lower() not in ctx.report:
            continue
        subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
        patient = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        actors, recipients = ctx.code(subj), ctx.code(patient)
        if not actors:
            continue
        cameo = ctx.cameo("REQUEST")
        entry = Trigger(lemma=(OBLIGATION_AUX,), pos=frozenset({"VERB"}), event="REQUEST", cameo=cameo)
        match = TriggerMatch(tok, [tok], entry)
        d = EventDraft(match, "REQUEST", cameo, None, gov, verb, rule=OBLIGATION_RULE)
        d.actors, d.recipients = actors, recipients
        if verb.i in by_verb:
            out.remove(by_verb[verb.i])
        out.append(d)
    return out
