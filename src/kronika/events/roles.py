"""Actor and recipient of an event draft, from the grammar of its sentence.

A verbal trigger takes its subject (climbing clause links, the passive agent) as actor and an object,
a prepositional complement or the subject of an object clause as recipient. A nominal trigger takes
a possessor, a modifier, "between X and Y" or "by X" as actor, the complement of its prepositions as
recipient, else the parties of the verb it is the object of; "their call" stands for the clause's
parties. With no actor from the grammar, ``fallback_actor`` picks the first free one in the sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from kronika.actors.recognize import CodedActor, np_head
from kronika.events.clauses import governing_verb, to_infinitive
from kronika.events.context import EventContext
from kronika.events.draft import EventDraft
from kronika.events.vocab import (
    AGENT_PREP,
    CONTACT_TYPES,
    DEFAULT_RECIPIENT_PREPS,
    FORCEFUL_TYPES,
    INHERIT_DEPS,
    JOINT_POSSESSIVE,
    JOINT_PREP,
    MOVED_TYPES,
    NOUN_RECIPIENT_PREPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    VERB_POS,
)


def roles(ctx: EventContext, d: EventDraft) -> None:
    """Fill the draft's actors and recipients from the grammar around its trigger."""
    tok = d.trigger.token
    entry = d.trigger.entry
    info = ctx.lex.type_info(entry.event)
    preps = entry.recipient_preps or (info.recipient_preps if info else ()) or DEFAULT_RECIPIENT_PREPS
    if d.trigger.pos == "VERB":
        _verb_roles(ctx, d, preps)
    else:
        noun_roles(ctx, d, preps)
    # Drop a recipient identical to the actor phrase itself.
    d.recipients = [r for r in d.recipients if all(r.head != a.head for a in d.actors)]
    if entry.reciprocal and len({a.code for a in d.actors}) > 1:
        # "The two leaders discussed the situation in Syria": joint parties talk about a topic; only
        # a partner named by the trigger's preposition ("talks with X") is a recipient.
        doc = tok.doc
        d.recipients = [
            r
            for r in d.recipients
            if r.head >= 0 and doc[r.head].dep_ == "pobj" and doc[r.head].head.lower_ in preps
        ]


def _verb_roles(ctx: EventContext, d: EventDraft, preps: tuple[str, ...]) -> None:
    """Subject as actor; the passive subject, or else a complement, as recipient."""
    tok = d.trigger.token
    if _killed_fighting(ctx, d, tok):
        return
    subj, passive = subject(ctx, d.verb)
    actors = ctx.code(subj)
    if passive and subj is None and tok.lemma_.lower() in ctx.stative:
        # "Assad was committed to a peace process": the subject holds the stance
        holder = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        actors, passive = ctx.code(holder), False
    if passive:
        patient = next((c for c in d.content.children if c.dep_ == "nsubjpass"), None)
        if patient is None and d.content is not tok:
            patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.dep_ == "conj":  # "she was arrested and charged with treason"
            patient = next((c for c in tok.head.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.dep_ == "acl" and tok.tag_ == "VBN":
            patient = tok.head  # "two civilians killed by the strike"
        d.recipients = ctx.code(patient)
        if not actors:
            actors = instrument_actor(ctx, tok)
    else:
        d.recipients = objects(ctx, d.content, preps, event=d.event)
        if not d.recipients and d.verb != d.content:
            d.recipients = objects(ctx, d.verb, preps, event=d.event)
        if not d.recipients:
            d.recipients = _harm_target(ctx, d.content) or ctx.code(_harmed_when(ctx, tok))
    d.actors = actors


def _harm_target(ctx: EventContext, verb: Token) -> list[CodedActor]:
    """ "Twin bombs exploded, killing three people": the object of a participle of harm (cue
    ``harmed``) hanging on the act is its target."""
    for c in verb.children:
        if c.dep_ in ("advcl", "conj") and c.tag_ == "VBG" and c.lemma_.lower() in ctx.harmed:
            obj = next((o for o in c.children if o.dep_ in ("dobj", "obj")), None)
            found = ctx.code(obj)
            if found:
                return found
    return []


def _harmed_when(ctx: EventContext, verb: Token) -> Token | None:
    """ "He died when an explosive device blew up": the subject of the verb of harm whose time clause
    the act is."""
    head = verb.head
    if verb.dep_ != "advcl" or head.lemma_.lower() not in ctx.harmed:
        return None
    if not any(c.dep_ in ("mark", "advmod") and c.lower_ in ctx.harm_marks for c in verb.children):
        return None
    return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


TARGET_PREPS = ("on", "against", "to", "with", "into", "at", "toward", "towards")  # "an attack on X"
INSTRUMENT_PREPS = ("in", "by")  # "killed in an Isis ambush", "by mortar fire from the Islamic State"
SOURCE_PREPS = ("from", "by")
OWNER_DEPS = ("compound", "amod", "poss", "nmod")


def _killed_fighting(ctx: EventContext, d: EventDraft, tok: Token) -> bool:
    """ "Britons killed fighting Isis", "the first Briton killed fighting Isis": the noun a passive
    participle describes is its patient, and the enemy its patient was fighting (cue ``fighting``)
    is the actor when nothing else names one. The parser often reads the reduced passive as an
    active verb with no object ("Britons [nsubj] killed fighting Isis"); that reading is taken the
    same way."""
    if d.verb is not tok or not ctx.fighting or tok.tag_ not in ("VBN", "VBD"):
        return False
    if any(c.dep_ in ("agent", "dobj", "nsubjpass", "auxpass") for c in tok.children):
        return False
    fought = next(
        (c for c in tok.children if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ctx.fighting), None
    )
    if fought is None:
        return False
    if tok.dep_ == "acl":
        patient: Token | None = tok.head
    else:
        patient = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if patient is None:
        return False
    enemy = next((c for c in fought.children if c.dep_ == "dobj"), None)
    if enemy is None:
        return False  # "was killed fighting in the village": no enemy named, the usual roles apply
    d.recipients = ctx.code(patient)
    d.actors = instrument_actor(ctx, tok) or ctx.code(enemy)
    return True


def instrument_actor(ctx: EventContext, verb: Token) -> list[CodedActor]:
    """ "was killed in an Isis ambush", "killed by mortar fire from the Islamic State": a passive
    act with no agent takes the actor named by the attack it was done in or by (its owner, or
    where it came from), never the attack's target."""
    for prep in verb.children:
        if prep.dep_ not in ("prep", "agent") or prep.lower_ not in INSTRUMENT_PREPS:
            continue
        noun = ctx.pobj(prep)
        if noun is None or noun.lemma_.lower() not in ctx.lex.triggers:
            continue
        owners = [c for c in noun.children if c.dep_ in OWNER_DEPS]
        sources = [ctx.pobj(c) for c in noun.children if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS]
        for t in [*owners, *sources]:
            found = ctx.resolver.code_phrase(t) if t is not None and ctx.known(t) else []
            if any(a.code for a in found):
                return found
    return []


def subject(ctx: EventContext, verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject (climbing clause links when it has none); True when the verb is passive."""
    cur = verb
    for _ in range(5):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cur.children)
        agent = next((c for c in cur.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = ctx.pobj(agent)
            if pobj is not None:
                return pobj, True
        subj = next((c for c in cur.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None and not passive:
            if subj.lower_ in RELATIVE_PRONOUNS and cur.dep_ == "relcl":
                return cur.head, False  # "Putin and Assad, who held a call": the relative's noun
            return subj, False
        if subj is not None and passive:
            return None, True
        if reduced_passive(cur):
            return None, True  # "Asked to point him out, Elliott gestured": Elliott was asked
        if cur.dep_ in INHERIT_DEPS and cur.head != cur:
            cur = cur.head
            continue
        if cur.dep_ == "relcl":
            return cur.head, False
        break
    return None, False


def reduced_passive(verb: Token) -> bool:
    """A past participle heading an adverbial clause of its own, with no auxiliary or subject ("Asked
    to point him out, ...", "Elected in 2013, ..."): passive, its patient the main clause's subject."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBN":
        return False
    return not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "mark") for c in verb.children)


def by_preposition(
    ctx: EventContext, tokens: Iterable[Token], preps: tuple[str, ...], named_only: bool = False
) -> list[CodedActor]:
    """The first party introduced by one of ``preps`` among ``tokens`` ("talks with X", "aid to
    Y"); with ``named_only``, a party with a country or organisation code, not a bare sector."""
    for c in tokens:
        if c.dep_ == "prep" and c.lower_ in preps:
            found = ctx.code(ctx.pobj(c))
            if found and (not named_only or any(a.code for a in found)):
                return found
    return []


def objects(
    ctx: EventContext, verb: Token, preps: tuple[str, ...], depth: int = 0, event: str | None = None
) -> list[CodedActor]:
    """The recipient among a verb's complements.

    For acts of force the object of a purpose clause is the target even when only a sector ("opened
    fire to disperse demonstrators"); otherwise a purpose clause gives only a coded party ("marched
    to demand the release of prisoners" has no recipient there). For moves of forces and goods
    (MOBILIZE, RETREAT, AID) a sector-only object is what moves ("deployed more troops"), not who
    receives it."""
    if event in CONTACT_TYPES:
        # "discussed the conflict in Syria with Assad": the partner, not the topic (the parser may
        # hang "with Assad" on the topic).
        objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        heads = [*verb.children, *(x for o in objs for x in o.children)]
        found = by_preposition(ctx, heads, preps, named_only=True)
        if found:
            return found
    direct = _direct_object(ctx, verb, moved=event in MOVED_TYPES)
    if any(a.code for a in direct):
        return direct
    # "contribute 4,000 troops to a force in Liberia": a named recipient beats a sector-only object.
    found = by_preposition(ctx, verb.children, preps)
    if found:
        return found
    clause = _clause_recipient(ctx, verb, preps, depth, event, direct)
    if clause is not None:
        return clause
    if direct:
        return direct
    return _other_complement(ctx, verb)


def _direct_object(ctx: EventContext, verb: Token, moved: bool) -> list[CodedActor]:
    """The first direct object naming a party; a sector-only one unless what moves. Not the actor's
    own forces ("pulled its troops out of Afghanistan")."""
    direct: list[CodedActor] = []
    for c in verb.children:
        if c.dep_ in ("dobj", "obj", "dative"):
            if any(p.dep_ == "poss" and p.lower_ in ctx.own_possessives for p in c.children):
                continue
            direct = _owner(ctx, c) or ctx.code(c)
            if any(a.code for a in direct):
                return direct
            if moved:
                direct = []
            if direct:
                break
    return direct


def _owner(ctx: EventContext, obj: Token) -> list[CodedActor]:
    """ "froze Vice President El Aissami's American assets": the owner of what is acted on is the
    recipient, not a country word describing the thing."""
    poss = next((p for p in obj.children if p.dep_ == "poss"), None)
    if poss is None or poss.pos_ == "PRON":
        return []
    if ctx.known(obj) or obj.i in ctx.resolver.index.titles or obj.ent_type_ == "PERSON":
        return []  # "Iran's president", "Iran's Hassan Rouhani": the object is a party itself
    return [a for a in ctx.code(poss) if a.code or a.sector]


def _clause_recipient(
    ctx: EventContext,
    verb: Token,
    preps: tuple[str, ...],
    depth: int,
    event: str | None,
    direct: list[CodedActor],
) -> list[CodedActor] | None:
    """An object clause's subject: "demanded that the US cancel", "urged Putin to end"; and the
    beneficiary of a purpose clause: "send troops to help Lebanon". None when there is none."""
    forceful = event in FORCEFUL_TYPES
    for c in verb.children:
        purpose = c.dep_ == "advcl" and to_infinitive(c)
        if c.dep_ in ("ccomp", "xcomp") or (purpose and depth == 0):
            subj = next((s for s in c.children if s.dep_ in SUBJECT_DEPS), None)
            found = ctx.code(subj)
            if found:
                return found
            if depth < 2:
                found = objects(ctx, c, preps, depth + 1, event)
                if any(a.code for a in found) or (found and not direct and (forceful or not purpose)):
                    return found
    return None


def _other_complement(ctx: EventContext, verb: Token) -> list[CodedActor]:
    """Any other prepositional complement naming an actor ("in Liberia", "from Iraq"); a capital
    after a locative preposition is where it happened ("a curfew in Baghdad"), not a government."""
    for c in verb.children:
        if c.dep_ in ("prep", "prt"):  # "sealed off [the West Bank]" is sometimes parsed as a particle
            found = ctx.code(ctx.pobj(c))
            if found and c.lower_ in ctx.locative and all(f.kind == "capital" for f in found):
                continue
            if found:
                return found
    return []


def noun_roles(ctx: EventContext, d: EventDraft, preps: tuple[str, ...]) -> None:
    """Actors and recipients of a nominal trigger."""
    tok = d.trigger.head
    reciprocal = d.trigger.entry.reciprocal
    actors, recipients = _noun_dependents(ctx, d, tok, preps)
    target = _under_attack(ctx, tok)
    if target is not None:
        # "their posts came under intense gunfire": the subject is attacked, not attacking
        verb = tok.head.head
        d.actors = actors or by_preposition(ctx, verb.children, (AGENT_PREP,))
        d.recipients = recipients or ctx.code(target)
        return
    helped = _come_to_aid(ctx, tok)
    if helped is not None:
        # "the UK is coming to Baghdad's aid": the subject helps the possessor
        subj, passive = subject(ctx, tok.head.head)
        d.actors, d.recipients = ([] if passive else ctx.code(subj)), ctx.code(helped)
        return
    undergone = _undergoer(ctx, tok)
    if undergone is not None:
        # "His parents face a trial", "Iran faces new sanctions": the subject is what it is done to;
        # "he died in an IED explosion": the dead are the target, and only the noun names the attacker
        d.actors = actors or by_preposition(ctx, tok.children, SOURCE_PREPS)
        d.recipients = recipients or ctx.code(undergone)
        return
    if not actors or (reciprocal and _topic_country(tok, actors)):
        # "X held talks", "X launched air strikes"; "the EU will stage a Syria conference": a country
        # named on a meeting is its topic when the clause says who holds it
        actors = _governing_subject(ctx, tok) or actors
    if not recipients:
        # "provide 25,000 tons of food aid to refugees": the recipient hangs on the governing verb.
        gov = governing_verb(tok)
        if gov is not None:
            recipients = by_preposition(ctx, gov.children, preps)
    if reciprocal and recipients and not actors:
        actors, recipients = recipients, []
    if not actors and reciprocal:
        # "During their phone call on Tuesday, Putin told Trump ...": the clause around the noun.
        actors, recipients = _clause_parties(ctx, tok, recipients)
    d.actors, d.recipients = actors, recipients


UNDER_PREP = "under"  # "came under fire", "the town is under attack"


def _under_attack(ctx: EventContext, tok: Token) -> Token | None:
    """The subject of "came under fire", "is under attack", "fell under shelling" (cue
    ``under_verbs``): who the act is aimed at."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != UNDER_PREP or prep.head.lemma_.lower() not in ctx.under_verbs:
        return None
    return next((c for c in prep.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _topic_country(tok: Token, actors: list[CodedActor]) -> bool:
    """Are the noun's parties only a country's name modifying it ("Syria talks", "a Syria
    reconstruction conference"), not a demonym or an organisation?"""
    modifiers = {c.i for c in tok.children if c.dep_ in ("compound", "nmod")}
    return all(a.kind == "country" and a.head in modifiers for a in actors)


def _noun_dependents(
    ctx: EventContext, d: EventDraft, tok: Token, preps: tuple[str, ...]
) -> tuple[list[CodedActor], list[CodedActor]]:
    """Parties named on the noun itself: possessor, modifier, "between", "by", its prepositions."""
    actors: list[CodedActor] = []
    recipients: list[CodedActor] = []
    for c in tok.children:
        if c.dep_ == "poss" and c.lower_ == JOINT_POSSESSIVE and not actors:
            actors, recipients = _their(ctx, d, tok, c)
        elif c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and ctx.known(c)):
            actors = actors or ctx.code(c)
        elif c.dep_ == "prep" and c.lower_ == JOINT_PREP and JOINT_PREP not in preps:
            # "talks between X and Y"; the parties "between" which a mediator stands are its recipients
            actors = ctx.code(ctx.pobj(c))
        elif c.dep_ == "prep" and c.lower_ == AGENT_PREP:
            actors = actors or ctx.code(ctx.pobj(c))
        elif c.dep_ == "prep" and c.lower_ in (*preps, *NOUN_RECIPIENT_PREPS):
            recipients = recipients or ctx.code(ctx.pobj(c))
    return actors, recipients


def _their(
    ctx: EventContext, d: EventDraft, tok: Token, poss: Token
) -> tuple[list[CodedActor], list[CodedActor]]:
    """ "he and Putin stressed ... in their phone call", "During their call, Putin told Trump": the
    parties are the clause's joint subject, or its subject and object."""
    actors, recipients = their_parties(ctx, tok)
    if not actors and d.trigger.entry.reciprocal:
        # "Their conversation was followed by ...": the last two leaders named.
        actors = ctx.resolver.last_pair(poss.i)
    return actors or ctx.code(poss), recipients


def _come_to_aid(ctx: EventContext, tok: Token) -> Token | None:
    """The possessor of a noun after "came to" ("came to Baghdad's aid", cue ``rescue_verbs``): whom
    the subject helps."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "to" or prep.head.lemma_.lower() not in ctx.rescue_verbs:
        return None
    return next((c for c in tok.children if c.dep_ == "poss"), None)


def _undergoer(ctx: EventContext, tok: Token) -> Token | None:
    """Who the act the noun names is done to: the subject of a verb of undergoing ("face", "suffer",
    cue ``undergoing``) whose object the noun is, or of a verb of harm (cue ``harmed``) the noun is an
    adjunct of ("died in an explosion", "was wounded in the attack")."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in ctx.harm_preps:
        verb = tok.head.head
        if verb.lemma_.lower() in ctx.harmed:
            return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if tok.dep_ not in ("dobj", "obj") or tok.head.lemma_.lower() not in ctx.undergoing:
        return None
    subj, passive = subject(ctx, tok.head)
    return None if passive else subj



def _governing_subject(ctx: EventContext, tok: Token) -> list[CodedActor]:
    """The subject of the verb whose object (or prepositional object) the noun is."""
    head = tok.head
    if tok.dep_ in ("dobj", "obj", "attr") or (tok.dep_ == "pobj" and head.dep_ == "prep"):
        verb = head if tok.dep_ != "pobj" else head.head
        if verb.pos_ in VERB_POS:
            subj, passive = subject(ctx, verb)
            if not passive:
                return ctx.code(subj)
    return []


def _clause_parties(
    ctx: EventContext, tok: Token, recipients: list[CodedActor]
) -> tuple[list[CodedActor], list[CodedActor]]:
    """The subject of the clause around the noun as actor, its object as recipient when none yet."""
    verb = tok.head
    while verb.pos_ not in VERB_POS and verb.head != verb:
        verb = verb.head
    if verb.pos_ not in VERB_POS:
        return [], recipients
    subj, passive = subject(ctx, verb)
    if passive:
        return [], recipients
    actors = ctx.code(subj)  # before the objects: coding a phrase updates the document's memory
    objs = recipients or [a for c in verb.children if c.dep_ in ("dobj", "dative") for a in ctx.code(c)]
    return actors, objs


def their_parties(ctx: EventContext, tok: Token) -> tuple[list[CodedActor], list[CodedActor]]:
    """Who "their" stands for on a noun: the nearest clause subject naming several parties ("he
    and Putin"), or a subject and an object together ("Putin told Trump")."""
    verb = tok.head
    first = True
    for _ in range(8):
        if verb.pos_ in VERB_POS and verb.dep_ not in ("amod", "acl", "relcl"):
            subj, passive = subject(ctx, verb)
            found = [] if passive else ctx.code(subj)
            if len(found) > 1:
                return found, []
            if found and first and tok.dep_ == "pobj" and tok.head.head == verb and _addresses(ctx, verb):
                objs = [a for c in verb.children if c.dep_ in ("dobj", "dative") for a in ctx.code(c)]
                if objs:
                    return found, objs
            first = False
        if verb.head == verb:
            break
        verb = verb.head
    return [], []


def _addresses(ctx: EventContext, verb: Token) -> bool:
    """Is the verb one by which a party speaks to another ("told", "urged", "said to")?"""
    return verb.lemma_.lower() in (ctx.report | ctx.request | ctx.conversation)


def fallback_actor(
    ctx: EventContext, sent: Span, d: EventDraft, others: list[CodedActor]
) -> list[CodedActor]:
    """No actor from the grammar: the first coded actor in the sentence outside the recipients and
    outside the participants of the sentence's other events."""
    own = {a.head for a in d.actors}
    busy = [*d.recipients, *(o for o in others if o.head not in own)]
    taken = {b.head for b in busy}
    spans = [(b.start, b.end) for b in busy if b.start is not None and b.end is not None]
    # "were stripped of their passport by the Home Office": the parser may hang the agent elsewhere
    passive = any(c.dep_ == "auxpass" for c in d.trigger.token.children)
    for m in ctx.resolver.index.matches_in(sent.start, sent.end):
        if m.span.root.i in taken or any(s <= m.span.start_char and m.span.end_char <= e for s, e in spans):
            continue
        head = np_head(m.span.root)
        agent = passive and head.dep_ == "pobj" and head.head.lower_ not in TARGET_PREPS
        if m.span.start > d.trigger.token.i and d.recipients and not agent:
            continue  # after the verb and its object a name is another party, or a passive's target
        found = ctx.resolver.code_phrase(np_head(m.span.root), follow_conj=False)
        if found and all(f.head not in taken for f in found):
            if d.attribution is not None and found[0].head == d.attribution.head:
                continue
            return found
    return []
