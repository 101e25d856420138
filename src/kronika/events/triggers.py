"""Find the lexicon's triggers in a sentence, and the mode words near a trigger.

A trigger is matched on its first lemma; a multi-word entry needs its other words next to it or as
the verb's particle or preposition ("call off", "phone call"). An entry's ``with``/``without`` lists
are checked against the trigger's neighbours (``neighbours``); among the entries that fit, the one of
highest priority wins, and its tokens are not matched again.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kronika.dates.lexicon import load_lexicon as load_date_lexicon
from kronika.events.draft import EventDraft, TriggerMatch
from kronika.events.lexicon import Lexicon, Trigger
from kronika.events.vocab import LOOSE_DEPS, NOUN_POS, OBJECT_DEPS, OF_PREP, VERB_POS


def find_triggers(sent: Span, lex: Lexicon) -> list[TriggerMatch]:
    """Every trigger of the sentence, left to right, each token in at most one."""
    found: list[TriggerMatch] = []
    used: set[int] = set()
    for tok in sent:
        if tok.i in used or not tok.is_alpha:
            continue
        pos = trigger_pos(tok)
        best = _best_entry(tok, pos, lex) if pos is not None else None
        if best is not None:
            found.append(best)
            used.update(t.i for t in best.tokens)
    return found


def trigger_pos(tok: Token) -> str | None:
    """The lexicon part of speech a token can trigger as: VERB, NOUN (adjectives too), or None."""
    if tok.pos_ in VERB_POS:
        return "VERB"
    if tok.pos_ in NOUN_POS or tok.tag_.startswith("NN") or tok.pos_ == "ADJ":
        return "NOUN"
    return None


def _best_entry(tok: Token, pos: str, lex: Lexicon) -> TriggerMatch | None:
    """The entry of highest priority that starts at ``tok`` and fits its neighbours."""
    best: TriggerMatch | None = None
    neigh: set[str] | None = None  # computed once, when a candidate needs it
    for entry in lex.candidates(tok.lemma_.lower()):
        if pos not in entry.pos:
            continue
        toks = match_rest(tok, entry.lemma[1:]) if len(entry.lemma) > 1 else [tok]
        if not toks:
            continue
        if neigh is None:
            neigh = neighbours(tok)
        if not _fits(entry, neigh):
            continue
        if best is None or entry.priority > best.entry.priority:
            best = TriggerMatch(tok, toks, entry)
    return best


def _fits(entry: Trigger, neigh: set[str]) -> bool:
    """Does the entry's ``with`` list meet the neighbours, and its ``without`` list miss them?"""
    if entry.with_ and not (entry.with_ & neigh):
        return False
    return not (entry.without and (entry.without & neigh))


def match_rest(tok: Token, rest: tuple[str, ...]) -> list[Token] | None:
    """Match the remaining lemmas of a multi-word trigger: adjacent words or a verb's particle/preposition."""
    doc = tok.doc
    seq = [doc[j] for j in range(tok.i + 1, min(len(doc), tok.i + 1 + len(rest)))]
    if [t.lemma_.lower() for t in seq] == list(rest) or [t.lower_ for t in seq] == list(rest):
        return [tok, *seq]
    if len(rest) == 1:
        for c in tok.children:
            if c.dep_ in ("prt", "prep", "advmod", "dobj", "compound") and c.lemma_.lower() == rest[0]:
                return [tok, c]
    return None


HEAD_WORD_DEPS = ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "appos")  # the head's word is a neighbour


def neighbours(tok: Token) -> set[str]:
    """Lemmas that can satisfy a trigger entry's ``with``/``without`` lists."""
    out: set[str] = set()
    for c in tok.children:
        if c.dep_ in LOOSE_DEPS or (c.dep_ == "nsubj" and tok.pos_ in VERB_POS):
            # "called for calm after clashes left five dead": not the call's own words; nor is the
            # subject of a verb ("troops captured the town" is no capture of troops)
            continue
        dated = c.dep_ == "prep" and _dates(c)
        if not dated:
            out.add(c.lemma_.lower())  # "called on Tuesday" is no "call on"; "on:tuesday" stays
        if c.dep_ in OBJECT_DEPS or c.dep_ in ("nsubjpass", "pobj"):
            out.update(cc.lemma_.lower() for cc in c.children if cc.dep_ in ("compound", "amod", "nmod"))
        if c.dep_ == "prep":
            out.update(_preposition_words(c, dated))
        if c.dep_ in OBJECT_DEPS:
            out.update(_object_words(c))
    passive_modifier = tok.dep_ == "acl" and tok.tag_ == "VBN"  # "the images, released by AFP"
    if tok.pos_ in NOUN_POS or passive_modifier or tok.dep_ in HEAD_WORD_DEPS:
        head = tok.head
        out.add(head.lemma_.lower())
        if head.dep_ == "prep":
            out.add(head.head.lemma_.lower())
    return out


def _dates(prep: Token) -> bool:
    """Does the preposition introduce a date ("on Wednesday", "in May 2016", "until March")?"""
    lex = load_date_lexicon()
    for c in prep.children:
        if c.dep_ != "pobj":
            continue
        if c.ent_type_ == "DATE":
            return True
        if c.text[:1].isupper() and (lex.weekday_number(c.text) is not None or lex.month_number(c.text)):
            return True  # "called on Tuesday", "suspended talks until March 2016"
    return False


def _preposition_words(prep: Token, dated: bool = False) -> set[str]:
    """A preposition's object, also as ``prep:object``; after "of" the object's modifiers too. A date
    ("until March") gives only ``prep:object``: the month is no protest march."""
    out: set[str] = set()
    for cc in prep.children:
        if cc.dep_ == "pobj":
            if not dated:
                out.add(cc.lemma_.lower())
            out.add(f"{prep.lower_}:{cc.lemma_.lower()}")
            if prep.lower_ == OF_PREP:
                # "deployment of peacekeeping troops"
                out.update(x.lemma_.lower() for x in cc.children if x.dep_ in ("compound", "amod"))
    return out


def _object_words(obj: Token) -> set[str]:
    """What else an object brings: its conjuncts, and what it is "of"."""
    # "photographs and other military intelligence": conjoined objects count too.
    out = {conj.lemma_.lower() for conj in obj.conjuncts}
    # "allow the return of U.N. weapons inspectors": what the object is of.
    for cc in obj.children:
        if cc.dep_ == "prep" and cc.lower_ == OF_PREP:
            out.update(x.lemma_.lower() for x in cc.children if x.dep_ == "pobj")
        elif cc.dep_ == "prep" and cc.lower_ == "with":
            # "hits 13 Venezuelans with sanctions": the parser often hangs the verb's "with" on its object
            out.update(f"with:{x.lemma_.lower()}" for x in cc.children if x.dep_ == "pobj")
    return out


def mode_hint(d: EventDraft, lex: Lexicon) -> None:
    """Fill the mode from words near the trigger: "discussed ... by phone" → phone."""
    hints = lex.mode_hints.get(d.event)
    if d.mode or not hints:
        return
    tok = d.trigger.token
    near = {t.lemma_.lower() for t in tok.subtree if abs(t.i - tok.i) <= 8}
    near |= {c.lemma_.lower() for c in tok.children}
    for mode, words in hints.items():
        if near & words:
            d.mode = mode
            return
