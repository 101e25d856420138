"""Where a trigger stands in its sentence: the main line or an adjunct, an argument of another
trigger, a clause subordinate to another event, and the verb a nominal trigger is the content of.

These tests decide which triggers become events: "Egypt rejected an Israeli proposal for talks" is
one REJECT (the proposal is its content), "after fierce fighting, the army withdrew" one RETREAT
(the fighting is a circumstance).
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Token

from kronika.events.draft import EventDraft, TriggerMatch
from kronika.events.vocab import (
    CIRCUMSTANCE_PREPS,
    INFINITIVE_MARK,
    MODIFIER_DEPS,
    OBJECT_DEPS,
    OF_PREP,
    SUBJECT_DEPS,
    VERB_POS,
)

PURPOSE_PREP = "for"  # "will arrive in Geneva for talks": the talks are what the arrival is for


def governing_verb(noun: Token) -> Token | None:
    """The verb a nominal trigger is the content of: "provide [25,000 tons of food] aid" → provide,
    "will arrive in Geneva for talks" → arrive."""
    cur = noun
    for _ in range(4):
        if cur.dep_ in (*OBJECT_DEPS, "pobj", "compound", "conj") or (
            cur.dep_ == "prep" and cur.lower_ in (OF_PREP, PURPOSE_PREP)
        ):
            cur = cur.head
            if cur.pos_ in VERB_POS:
                return cur
            continue
        return None
    return None


def to_infinitive(verb: Token) -> bool:
    """Is the verb a "to" infinitive ("sworn to fight", "send troops to help")?"""
    return any(c.dep_ == "aux" and c.lower_ == INFINITIVE_MARK for c in verb.children)


def announced(noun: Token, future_verbs: frozenset[str]) -> bool:
    """An event noun announced for the future by its clause: "Talks are expected in Geneva", "talks
    are due to resume", "elections are scheduled for May"."""
    if noun.dep_ == "pobj" and noun.head.lower_ == OF_PREP and noun.head.head.dep_ in SUBJECT_DEPS:
        noun = noun.head.head  # "a sixth round of talks is due to resume"
    if noun.dep_ not in SUBJECT_DEPS:
        return False
    head = noun.head
    if head.lemma_.lower() in future_verbs:
        return True
    return head.lemma_.lower() == "be" and any(
        c.dep_ in ("acomp", "xcomp") and c.lemma_.lower() in future_verbs for c in head.children
    )


QUESTION_COMPLEMENTS = ("dobj", "dative", "xcomp", "ccomp", "prep", "obj")


def asks_a_question(d: EventDraft, questions: frozenset[str]) -> bool:
    """ '"Is there any doubt?" asked the prosecutor', "Mendeloff asked.": a verb of asking with nothing
    asked for reports a question, not a request."""
    tok = d.trigger.token
    if d.trigger.pos != "VERB" or tok.lemma_.lower() not in questions:
        return False
    return not any(c.dep_ in QUESTION_COMPLEMENTS for c in tok.children)


def names_no_act(
    d: EventDraft,
    occurrence: frozenset[str],
    future_verbs: frozenset[str] = frozenset(),
    relations: frozenset[str] = frozenset(),
    questions: frozenset[str] = frozenset(),
    depictions: frozenset[str] = frozenset(),
) -> bool:
    """A trigger that only describes a thing ("Iran-backed militias", "rebel-held towns", "the
    bombing campaign's toll") or is the topic of its clause ("The fighting has displaced thousands")
    reports no act of its own, nor does a participle of a standing relation ("militias backed by the
    coalition"). An event noun that is the subject of a verb of occurrence ("clashes
    erupted", "airstrikes killed dozens") does report one, and so does one its clause announces
    ("Talks are expected in Geneva")."""
    tok = d.trigger.head
    if tok.dep_ in MODIFIER_DEPS or asks_a_question(d, questions):
        return True
    if tok.dep_ == "csubj" and tok.tag_ == "VBG":
        return True  # "Capturing drones with nets is one of several options": an act as a topic
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        # "militias backed by the coalition" names a standing relation, as "Iran-backed" does
        if tok.lemma_.lower() in relations or not any(c.dep_ == "agent" for c in tok.children):
            return True
    if d.trigger.pos == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in depictions:
        return True  # "filming the battle for Raqqa", "describing battles": what is shown, not done
    if d.trigger.pos != "NOUN" or tok.dep_ not in SUBJECT_DEPS or d.trigger.named_contact:
        return False
    return not occurs(tok.head, occurrence) and not announced(tok, future_verbs)


def occurs(verb: Token, occurrence: frozenset[str]) -> bool:
    """Does the verb say that its subject happens: a verb of occurrence ("clashes erupted"), a state
    of being under way ("a manhunt was under way", "an investigation is underway", "fighting was going
    on")? Two-word cue entries are a verb and its particle or a preposition and its object."""
    if verb.lemma_.lower() in occurrence:
        return True
    for c in verb.children:
        if c.dep_ == "acomp" and c.lemma_.lower() in occurrence:
            return True
        if c.dep_ == "prt" and f"{verb.lemma_.lower()} {c.lower_}" in occurrence:
            return True
        objects = (o for o in c.children if o.dep_ == "pobj")
        if c.dep_ == "prep" and any(f"{c.lower_} {o.lower_}" in occurrence for o in objects):
            return True
    return False


TOLL_MINIMUM = 1000  # "more than 330,000 people have been killed": a running count, not one event
TOLL_WORDS = ("thousand", "million")  # "tens of thousands of people have been killed"


def is_toll(d: EventDraft) -> bool:
    """A running count of victims in the perfect passive ("more than 330,000 people have been killed
    in Syria since 2011", "tens of thousands have been displaced") states a toll, not an event."""
    tok = d.trigger.token
    if d.trigger.pos != "VERB" or tok.tag_ != "VBN":
        return False
    aux = {c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass")}
    patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if patient is None or not {"have", "be"} <= aux:
        return False
    return any(_large(t) for t in patient.subtree)


def _large(tok: Token) -> bool:
    if tok.lemma_.lower() in TOLL_WORDS:
        return True
    digits = tok.text.replace(",", "")
    return digits.isdigit() and int(digits) >= TOLL_MINIMUM


def describes(d: EventDraft) -> bool:
    """A present participle modifying a noun describes who someone is ("rebels fighting the regime",
    "the only British woman fighting Isis"), not an act of the sentence."""
    tok = d.trigger.token
    return d.trigger.pos == "VERB" and tok.dep_ == "acl" and tok.tag_ == "VBG"


def in_main_clause(d: EventDraft) -> bool:
    """Does the event stand in the sentence's main line (its own clause, a reported clause, or as
    the object or subject of a main verb), rather than in an adjunct or a relative clause?"""
    tok = d.verb
    if d.trigger.pos == "NOUN" and d.verb == d.trigger.token:
        head = d.trigger.head
        if d.trigger.named_contact or head.dep_ in ("ROOT",):
            return True
        clause = _clause_of_noun(head)
        if clause is None:
            return False
        tok = clause
    return _on_main_line(tok)


def states_content(d: EventDraft, statements: frozenset[str]) -> bool:
    """ "The Kremlin issued a statement denying any role": a present participle on a noun of
    statement (cue ``statement_nouns``) is what the statement says, an act of the main line when the
    noun is."""
    tok = d.trigger.token
    if d.trigger.pos != "VERB" or tok.dep_ != "acl" or tok.tag_ != "VBG":
        return False
    if tok.head.lemma_.lower() not in statements:
        return False
    clause = _clause_of_noun(tok.head)
    return clause is not None and _on_main_line(clause)


def _clause_of_noun(tok: Token) -> Token | None:
    """The verb whose argument a nominal trigger is, or None when the noun stands in an adjunct
    ("after talks") or elsewhere outside a verb's arguments."""
    if tok.dep_ in (*OBJECT_DEPS, *SUBJECT_DEPS, "appos"):
        return tok.head
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent") and tok.head.head.pos_ in VERB_POS:
        # "ready for talks", "called for sanctions": the preposition belongs to the verb
        if tok.head.lower_ in CIRCUMSTANCE_PREPS:
            return None
        return tok.head.head
    return None


def _on_main_line(tok: Token) -> bool:
    """Does the clause of ``tok`` reach the root through coordinated, complement or reported links?"""
    for _ in range(8):
        dep = tok.dep_
        if dep == "ROOT" or tok.head == tok:
            return True
        if dep in ("conj", "xcomp", "parataxis", "ccomp", "dep"):
            tok = tok.head
            continue
        return False
    return False


def event_positions(drafts: list[EventDraft]) -> Counter[int]:
    """How many times each token is a draft's trigger or verb (``subordinate`` asks it per draft)."""
    return Counter(i for o in drafts for i in (o.trigger.token.i, o.verb.i))


def subordinate(d: EventDraft, drafts: list[EventDraft], positions: Counter[int] | None = None) -> bool:
    """A trigger inside another event's clause, without a subject of its own, only elaborates it.

    "offered its troops to help him oust ..." is one AGREE; "opened fire to disperse the crowd" one
    ASSAULT; but "Israel bombed Gaza and Hamas fired rockets" keeps both (each has its subject).
    ``positions`` is ``event_positions(drafts)``, counted once for all the drafts of a sentence.
    """
    tok = d.trigger.token
    if d.trigger.pos == "VERB" and any(c.dep_ in SUBJECT_DEPS for c in tok.children):
        return False
    if d.trigger.pos == "NOUN" and d.trigger.named_contact:
        return False
    positions = positions if positions is not None else event_positions(drafts)
    own = Counter((tok.i, d.verb.i))
    cur = tok
    for _ in range(8):
        if cur.head == cur:
            return False
        if cur.dep_ == "conj" and d.trigger.pos == "VERB":
            return False
        cur = cur.head
        if positions[cur.i] > own[cur.i]:  # another draft's trigger or verb
            return True
    return False


def is_argument_of_trigger(tok: Token, by_tok: dict[int, TriggerMatch]) -> bool:
    """A nominal trigger that is the object of another event's verb is that event's content."""
    if tok.pos_ in VERB_POS:
        return False
    m = by_tok.get(tok.i)
    if m is not None and m.named_contact:
        return False
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("ROOT",) or cur.head == cur:
            return False
        head = cur.head
        if (
            head.i in by_tok
            and by_tok[head.i].pos == "VERB"
            and cur.dep_ in (*OBJECT_DEPS, "pobj", "prep", "xcomp", "ccomp", "conj")
        ):
            return True
        if head.pos_ in VERB_POS and head.i not in by_tok:
            return False
        cur = head
    return False
