"""How the text presents an event: asserted, negated, hypothetical or future, and who reports it.

The modality comes from the trigger's clause (and the verb that carries it): a negation ("did not
attack", "no talks"), a conditional or modal ("if", "could"), a future ("will attack", "plans to
attack", the headline "Putin to hold talks"). The attribution is the subject of the report verb the
event clause hangs on ("..., the Kremlin said").
"""

from __future__ import annotations

from spacy.tokens import Token

from kronika.events.context import EventContext
from kronika.events.draft import EventDraft
from kronika.events.vocab import (
    ACCEPTANCE_TYPES,
    CONDITIONAL_MARKS,
    CONDITIONAL_TYPES,
    INFINITIVE_MARK,
    NEGATING_DEPS,
    PAST_FUTURE_AUX,
    WEAK_MODALS,
)

# A negated future meeting or cooperation is a refusal: REJECT with this mode.
REFUSED_MODES = {"CONSULT": "meet", "COOPERATE": "assist"}


def has_future(ctx: EventContext, tok: Token, negated: bool = False) -> bool:
    """ "will attack"; in reported speech also "said it would attack" (the future of the past).
    A negated verb ("will not attack") counts only when ``negated`` is asked for."""
    reported = tok.dep_ in ("ccomp", "parataxis") and tok.head.lemma_.lower() in ctx.report
    for c in tok.children:
        if c.dep_ == "aux" and (c.lower_ in ctx.future_aux or (reported and c.lower_ == PAST_FUTURE_AUX)):
            if negated or not any(m.dep_ == "neg" for m in tok.children):
                return True
    return False


def no_longer(ctx: EventContext, verb: Token) -> bool:
    """ "would no longer supply", "will not supply ... any longer": the verb's act stops."""
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in ctx.ending_adverbs:
            negated = any(x.lower_ in ctx.negation for x in (*c.children, *verb.children))
            if negated or any(x.lower_ == "any" for x in c.children):
                return True
    return False


def modality(ctx: EventContext, d: EventDraft) -> None:
    """Set the draft's modality from the trigger's clause; "will not accept" turns it into a REJECT."""
    tok = d.trigger.token
    chain = [tok, d.verb] if d.verb != tok else [tok]
    if tok.dep_ in ("xcomp",):
        chain.append(tok.head)
    if not no_longer(ctx, tok) and _negation(ctx, d, chain):
        return  # "will not fund it any longer" is the end of the funding, not a denial of it
    if any(t.dep_ == "xcomp" and t.head.lemma_.lower() in ctx.failure for t in chain):
        d.modality = "negated"  # "failed to reach an agreement", "is unable to provide support"
        return
    _hypothesis(ctx, d, chain)
    if d.modality == "hypothetical":
        return
    _future(ctx, d, chain)


def _negation(ctx: EventContext, d: EventDraft, chain: list[Token]) -> bool:
    """A negated clause: the event is negated, or a refused acceptance is a REJECT. True when set."""
    tok = d.trigger.token
    for t in chain:
        for c in t.children:
            if not (c.dep_ in NEGATING_DEPS and c.lemma_.lower() in ctx.negation):
                continue
            if t.i == tok.i and tok.lemma_.lower() in ctx.acceptance and d.event in ACCEPTANCE_TYPES:
                # "will not accept any more refugees": refusing is a rejection that did happen.
                d.retype("REJECT", ctx.cameo("REJECT"))
                d.modality = "future" if has_future(ctx, tok, negated=True) else "asserted"
                return True
            if d.event in REFUSED_MODES and has_future(ctx, t, negated=True):
                # "said it would not attend the talks", "will not cooperate with the inquiry": a
                # refusal to meet or to cooperate, made when it is said.
                mode = REFUSED_MODES[d.event]
                d.retype("REJECT", ctx.cameo("REJECT"))
                d.mode = mode
                d.modality = "asserted"
                return True
            d.modality = "negated"
            return True
    return False


def _hypothesis(ctx: EventContext, d: EventDraft, chain: list[Token]) -> None:
    """A hypothetical mark ("whether"), a condition ("if"), a modal ("could"; "would" in reported
    speech is the future of the past), an option or a wish ("preferable to arrest", "want to kill")."""
    if _option_or_wish(ctx, d.trigger.token):
        d.modality = "hypothetical"
        return
    for t in chain:
        for c in t.children:
            lem = c.lower_
            if c.dep_ == "mark" and lem in ctx.hyp_marks:
                d.modality = "hypothetical"
                return
            if c.dep_ == "advcl" and _conditional(c):
                d.modality = "hypothetical" if d.event not in CONDITIONAL_TYPES else d.modality
            if c.dep_ == "aux" and lem in ctx.hyp_aux and lem not in WEAK_MODALS:
                if lem == PAST_FUTURE_AUX and has_future(ctx, t):
                    d.modality = "future"  # "said it would allow": the future of the past
                else:
                    d.modality = "hypothetical"


FRAME_LINKS = ("xcomp", "advcl", "acl", "pcomp", "pobj", "prep")  # how a clause hangs on its frame word


def _option_or_wish(ctx: EventContext, tok: Token) -> bool:
    """A "to" infinitive under a word of option, judgement or wish (cue ``hypothetical_frames``), or
    an event noun wished for ("Turkey wants Russia's backing")."""
    if tok.dep_ == "dobj" and tok.pos_ == "NOUN" and tok.head.lemma_.lower() in ctx.option_frames:
        return True
    if tok.dep_ in ("acl", "ccomp") and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() in ctx.wish_nouns:
        return True  # "losing hope that Maduro will back down", "fears that the army will attack"
    if tok.dep_ not in ("xcomp", "acl", "ccomp", "advcl") or not any(
        c.dep_ == "aux" and c.lower_ == INFINITIVE_MARK for c in tok.children
    ):
        return False
    frames = ctx.option_frames
    cur = tok
    for _ in range(4):  # "the prospect of terrorists modifying drones to launch attacks"
        head = cur.head
        if head.lemma_.lower() in frames:
            return True
        # "it is preferable to arrest": the infinitive hangs on the copula beside the judgement
        if head.lemma_.lower() == "be" and any(
            c.dep_ in ("acomp", "attr") and c.lemma_.lower() in frames for c in head.children
        ):
            return True
        if cur.dep_ not in FRAME_LINKS or head is cur:
            return False
        cur = head
    return False


def _conditional(clause: Token) -> bool:
    """Is the adverbial clause a condition ("if they attack")?"""
    return any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in clause.children)


def _future(ctx: EventContext, d: EventDraft, chain: list[Token]) -> None:
    """A future auxiliary, a headline infinitive, or a verb of future ("plans to")."""
    for t in chain:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in ctx.future_aux:
                d.modality = "future"
                return
            if c.dep_ == "aux" and c.lower_ == INFINITIVE_MARK and t.dep_ == "ROOT":
                d.modality = "future"  # headline "Putin to hold talks"
                return
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in ctx.future_verbs:
            d.modality = "future"
            return


def attribution(ctx: EventContext, d: EventDraft) -> None:
    """The source of a reported event: the subject of the report verb above its clause."""
    gov = _report_verb(ctx, d.verb)
    if gov is None:
        return
    subj = next((c for c in gov.children if c.dep_ in ("nsubj",)), None)
    if subj is None:
        return
    coded = ctx.resolver.code_phrase(subj)
    d.attribution = coded[0] if coded else None
    d.attribution_text = " ".join(t.text for t in subj.subtree)


def _report_verb(ctx: EventContext, verb: Token) -> Token | None:
    """The report verb whose complement the clause of ``verb`` is, or the sentence's root when that is
    a report verb above it ("..., the Kremlin said")."""
    cur = verb
    for _ in range(6):
        if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "ROOT" and cur != verb):
            break
        if cur.head == cur:
            break
        cur = cur.head
    gov = cur.head if cur.dep_ in ("ccomp", "parataxis") else None
    if gov is None:
        root = verb.sent.root
        if root != verb and root.lemma_.lower() in ctx.report:
            gov = root
    if gov is None or gov.lemma_.lower() not in ctx.report:
        return None
    return gov
