"""Turn parsed sentences into event mentions: triggers from the lexicon, roles from the grammar.

For each sentence:
1. ``find_triggers`` matches lexicon entries on lemmas, checking their ``with``/``without`` neighbours.
2. ``EventBuilder`` folds expressions of intent into one event ("offered to withdraw" → AGREE,
   "threatened to cut off" → THREATEN, "refused to deploy" → REJECT, "urged Y to stop" → REQUEST),
   drops nominal triggers that are only the object of another event ("rejected a peace plan"), finds
   actor and recipient (subject, object, prepositional complement, passive agent, possessor,
   "between X and Y", "their call"), the place (``kronika.places``), the attribution ("..., the
   Kremlin said") and the modality.
3. Participants the text implies without naming them come from the type table (``types.yaml``):
   the actor's own country for protests and domestic acts, an unidentified attacker of the country
   where an attack happened, the foreign country where forces move. They carry an ``implied:`` rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from kronika.actors.recognize import ActorResolver, CodedActor, np_head
from kronika.events.lexicon import COOPERATIVE, Lexicon, Trigger
from kronika.places import Place, event_place

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJECT_DEPS = ("dobj", "obj", "dative", "attr", "oprd")
# Clause links through which a verb without a subject inherits one ("opened fire, killing one").
INHERIT_DEPS = ("xcomp", "advcl", "conj", "acl", "pcomp")
LIGHT_VERBS = {
    "hold",
    "have",
    "launch",
    "stage",
    "conduct",
    "carry",
    "make",
    "mount",
    "begin",
    "start",
    "continue",
    "resume",
    "issue",
    "lodge",
    "give",
    "take",
    "sign",
    "impose",
    "announce",
    "order",
    "step",
    "intensify",
    "reach",
    "seal",
    "strike",
    "hit",
    "open",
    "wage",
    "deliver",
    "provide",
    "send",
    "offer",
    "extend",
}
NOUN_POS = {"NOUN", "PROPN"}
# Dependents that do not qualify a trigger's sense: adverbial and coordinated clauses, punctuation.
LOOSE_DEPS = {"advcl", "conj", "cc", "parataxis", "relcl", "punct", "mark"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# Verbs by which one party of a conversation addresses the other ("During their call, Putin told Trump").
CONVERSATION_VERBS = frozenset(
    {"tell", "assure", "inform", "invite", "thank", "congratulate", "brief", "ask"}
)
OWN_POSSESSIVES = {"its", "their", "his", "her", "our"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout"}
# Types that are not folded into AGREE/THREATEN when announced for the future: they are verbal already.
FOLD_EXEMPT = ("THREATEN", "REQUEST", "REJECT", "ACCUSE", "AGREE")
# Codes that are not states: an event of theirs has no "own country" to be aimed at.
NON_STATE_CODES = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "PRM"}
VERB_POS = {"VERB", "AUX"}


@dataclass
class TriggerMatch:
    token: Token
    tokens: list[Token]
    entry: Trigger

    @property
    def pos(self) -> str:
        return "VERB" if self.token.pos_ in VERB_POS else "NOUN"


def _neighbours(tok: Token) -> set[str]:
    """Lemmas that can satisfy a trigger entry's ``with``/``without`` lists."""
    out: set[str] = set()
    for c in tok.children:
        if c.dep_ in LOOSE_DEPS:
            continue  # "called for calm after clashes left five dead": not the call's own words
        out.add(c.lemma_.lower())
        if c.dep_ in OBJECT_DEPS or c.dep_ in ("nsubjpass", "pobj"):
            for cc in c.children:
                if cc.dep_ in ("compound", "amod", "nmod"):
                    out.add(cc.lemma_.lower())
        if c.dep_ == "prep":
            for cc in c.children:
                if cc.dep_ == "pobj":
                    out.add(cc.lemma_.lower())
                    out.add(f"{c.lower_}:{cc.lemma_.lower()}")
                    if c.lower_ == "of":
                        # "deployment of peacekeeping troops"
                        out.update(x.lemma_.lower() for x in cc.children if x.dep_ in ("compound", "amod"))
        if c.dep_ in OBJECT_DEPS:
            # "photographs and other military intelligence": conjoined objects count too.
            for conj in c.conjuncts:
                out.add(conj.lemma_.lower())
            # "allow the return of U.N. weapons inspectors": what the object is of.
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ == "of":
                    out.update(x.lemma_.lower() for x in cc.children if x.dep_ == "pobj")
    if tok.pos_ in NOUN_POS or tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "appos"):
        head = tok.head
        out.add(head.lemma_.lower())
        if head.dep_ == "prep":
            out.add(head.head.lemma_.lower())
    return out


def _governing_verb(noun: Token) -> Token | None:
    """The verb a nominal trigger is the content of: "provide [25,000 tons of food] aid" → provide."""
    cur = noun
    for _ in range(4):
        if cur.dep_ in (*OBJECT_DEPS, "pobj", "compound", "conj") or (
            cur.dep_ == "prep" and cur.lower_ == "of"
        ):
            cur = cur.head
            if cur.pos_ in VERB_POS:
                return cur
            continue
        return None
    return None


def _locative_pobj(t: Token) -> bool:
    return t.dep_ == "pobj" and t.head.lower_ in LOCATIVE_PREPS


def _per_partner(d: EventDraft) -> list[EventDraft]:
    """ "Putin spoke to Assad, the King of Saudi Arabia, Rouhani and Netanyahu in quick succession":
    contacts with partners of several countries are one event per partner country, as event data are
    dyadic; every other event keeps its recipients together."""
    codes = list(dict.fromkeys(r.code for r in d.recipients))
    if d.event != "CONSULT" or len(codes) < 2:
        return [d]
    return [replace(d, recipients=[r for r in d.recipients if r.code == c]) for c in codes]


def _phrase_head(tokens: list[Token]) -> Token:
    """The syntactic head of a multi-word trigger ("phone call" → call)."""
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head == t), tokens[0])


def _named_contact(entry: Trigger, head: Token) -> bool:
    """A contact noun owned by its parties ("their phone call", "Putin's talks") reports a contact that
    happened, wherever it stands: "During their phone call on Tuesday, Putin told Trump ..."."""
    return entry.reciprocal and any(c.dep_ == "poss" for c in head.children)


def find_triggers(sent: Span, lex: Lexicon) -> list[TriggerMatch]:
    found: list[TriggerMatch] = []
    used: set[int] = set()
    for tok in sent:
        if tok.i in used or not tok.is_alpha:
            continue
        best: TriggerMatch | None = None
        pos = (
            "VERB"
            if tok.pos_ in VERB_POS
            else ("NOUN" if tok.pos_ in NOUN_POS or tok.tag_.startswith("NN") else None)
        )
        if pos is None:
            if tok.pos_ not in ("ADJ",):
                continue
            pos = "NOUN"
        neigh = None
        for entry in lex.candidates(tok.lemma_.lower()):
            if pos not in entry.pos:
                continue
            toks = [tok]
            if len(entry.lemma) > 1:
                toks = _match_rest(tok, entry.lemma[1:])
                if not toks:
                    continue
            if neigh is None:
                neigh = _neighbours(tok)
            if entry.with_ and not (entry.with_ & neigh):
                continue
            if entry.without and (entry.without & neigh):
                continue
            if best is None or entry.priority > best.entry.priority:
                best = TriggerMatch(tok, toks, entry)
        if best is not None:
            found.append(best)
            used.update(t.i for t in best.tokens)
    return found


def _match_rest(tok: Token, rest: tuple[str, ...]) -> list[Token] | None:
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


@dataclass
class EventDraft:
    """An event being assembled; ``builder.build`` turns drafts into records."""

    trigger: TriggerMatch
    event: str
    cameo: str
    mode: str | None
    verb: Token  # where the actor is looked for
    content: Token  # where the recipient is looked for
    actors: list[CodedActor] = field(default_factory=list)
    recipients: list[CodedActor] = field(default_factory=list)
    attribution: CodedActor | None = None
    attribution_text: str | None = None
    modality: str = "asserted"
    actor_from_grammar: bool = True
    rule: str = ""
    place: Place | None = None


class EventBuilder:
    """Builds event drafts for one sentence."""

    def __init__(
        self,
        lex: Lexicon,
        resolver: ActorResolver,
        pub_date: dt.date | None,
        places: Sequence[Place] = (),
    ) -> None:
        self.lex = lex
        self.places = places
        self.resolver = resolver
        self.pub_date = pub_date
        cues = lex.cues
        self.intent = cues.get("intent", frozenset())
        self.threat = cues.get("threat", frozenset())
        self.refusal = cues.get("refusal", frozenset())
        self.request = cues.get("request", frozenset())
        self.report = cues.get("report", frozenset())
        self.negation = cues.get("negation", frozenset())
        self.future_aux = cues.get("future_aux", frozenset())
        self.future_verbs = cues.get("future_verbs", frozenset())
        self.hyp_marks = cues.get("hypothetical_marks", frozenset())
        self.hyp_aux = cues.get("hypothetical_aux", frozenset())
        self.preparation = cues.get("preparation", frozenset())
        self.acceptance = cues.get("acceptance", frozenset())

    # -- sentence ------------------------------------------------------------------------------
    def drafts(self, sent: Span) -> list[EventDraft]:
        triggers = find_triggers(sent, self.lex)
        drafts: list[EventDraft] = []
        if triggers:
            by_tok = {m.token.i: m for m in triggers}
            absorbed: set[int] = set()
            for m in triggers:
                if m.token.i in absorbed or self._is_argument_of_trigger(m.token, by_tok):
                    continue
                drafts.append(self._fold_intent(m, by_tok, absorbed))
            drafts = [
                d for d in drafts if d.trigger.token.i not in absorbed and not self._subordinate(d, drafts)
            ]
        drafts = self._obligations(sent, drafts)
        main = [d for d in drafts if self._in_main_clause(d)]
        if main:
            drafts = main  # events in adjuncts ("after fierce fighting", "who attacked") are circumstances
        elif drafts:
            drafts = drafts[:1]
        for d in drafts:
            if not d.actors:
                self._roles(d, sent)
            d.place = event_place(sent, _phrase_head(d.trigger.tokens), self.places) if self.places else None
        # Participants of one event are not the guessed actor of another ("The talks were followed by
        # a call between Putin and the King": Putin is not the actor of the talks).
        taken = [a for d in drafts for a in (*d.actors, *d.recipients)]
        for d in drafts:
            # A sector-only actor ("Protesters in Tehran") keeps its place in the grammar when the
            # sentence says where it is; otherwise the first other coded actor stands in.
            if not any(a.code for a in d.actors) and not (d.actors and self._place_country(sent, d)):
                fallback = self._fallback_actor(sent, d, taken)
                if fallback:
                    d.actors = fallback
                    d.actor_from_grammar = False
                    d.recipients = [r for r in d.recipients if all(r.head != a.head for a in d.actors)]
        for d in drafts:
            self._fill_codes(d, sent)
            self._modality(d)
            self._attribution(d)
            self._mode_hint(d)
        return [p for d in drafts if d.actors or d.recipients for p in _per_partner(d)]

    def _in_main_clause(self, d: EventDraft) -> bool:
        """Does the event stand in the sentence's main line (its own clause, a reported clause, or as
        the object or subject of a main verb), rather than in an adjunct or a relative clause?"""
        tok = d.verb
        if d.trigger.pos == "NOUN" and d.verb == d.trigger.token:
            tok = _phrase_head(d.trigger.tokens)
            if _named_contact(d.trigger.entry, tok):
                return True
            if tok.dep_ in ("ROOT",):
                return True
            if tok.dep_ in (*OBJECT_DEPS, *SUBJECT_DEPS, "appos"):
                tok = tok.head
            elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent") and tok.head.head.pos_ in VERB_POS:
                # "ready for talks", "called for sanctions": the preposition belongs to the verb
                if tok.head.lower_ in ("after", "during", "following", "amid", "despite", "before", "since"):
                    return False
                tok = tok.head.head
            else:
                return False
        for _ in range(8):
            dep = tok.dep_
            if dep == "ROOT" or tok.head == tok:
                return True
            if dep in ("conj", "xcomp", "parataxis", "ccomp", "dep"):
                tok = tok.head
                continue
            return False
        return False

    def _subordinate(self, d: EventDraft, drafts: list[EventDraft]) -> bool:
        """A trigger inside another event's clause, without a subject of its own, only elaborates it.

        "offered its troops to help him oust ..." is one AGREE; "opened fire to disperse the crowd" one
        ASSAULT; but "Israel bombed Gaza and Hamas fired rockets" keeps both (each has its subject).
        """
        tok = d.trigger.token
        if d.trigger.pos == "VERB" and any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            return False
        if d.trigger.pos == "NOUN" and _named_contact(d.trigger.entry, _phrase_head(d.trigger.tokens)):
            return False
        others = {o.trigger.token.i for o in drafts if o is not d} | {o.verb.i for o in drafts if o is not d}
        cur = tok
        for _ in range(8):
            if cur.head == cur:
                return False
            if cur.dep_ == "conj" and d.trigger.pos == "VERB":
                return False
            cur = cur.head
            if cur.i in others:
                return True
        return False

    def _obligations(self, sent: Span, drafts: list[EventDraft]) -> list[EventDraft]:
        """ "X said Y must do Z": a demand by X on Y (REQUEST), whatever Z is."""
        by_verb = {d.content.i: d for d in drafts} | {d.verb.i: d for d in drafts}
        out = list(drafts)
        for tok in sent:
            if tok.lower_ != "must" or tok.dep_ != "aux":
                continue
            verb = tok.head
            gov = verb.head if verb.dep_ in ("ccomp", "parataxis") else None
            if gov is None or gov.lemma_.lower() not in self.report:
                continue
            subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
            patient = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
            actors, recipients = self._code(subj), self._code(patient)
            if not actors:
                continue
            entry = Trigger(lemma=("must",), pos=frozenset({"VERB"}), event="REQUEST", cameo="100")
            d = EventDraft(
                TriggerMatch(tok, [tok], entry),
                "REQUEST",
                "100",
                None,
                gov,
                verb,
                rule="cues:must-under-report",
            )
            d.actors, d.recipients = actors, recipients
            if verb.i in by_verb:
                out.remove(by_verb[verb.i])
            out.append(d)
        return out

    def _is_argument_of_trigger(self, tok: Token, by_tok: dict[int, TriggerMatch]) -> bool:
        """A nominal trigger that is the object of another event's verb is that event's content."""
        if tok.pos_ in VERB_POS:
            return False
        m = by_tok.get(tok.i)
        if m is not None and _named_contact(m.entry, _phrase_head(m.tokens)):
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

    def _fold_intent(
        self, m: TriggerMatch, by_tok: dict[int, TriggerMatch], absorbed: set[int]
    ) -> EventDraft:
        tok = m.token
        entry = m.entry
        draft = EventDraft(m, entry.event, entry.cameo, entry.mode, tok, tok, rule=entry.rule)
        if m.pos != "VERB":
            # "will provide 25,000 tons of food aid", "prepared to resume shelling": the governing verb.
            gov = _governing_verb(_phrase_head(m.tokens))
            if gov is None or entry.keeps_future or entry.event in FOLD_EXEMPT:
                return draft
            if self._has_future(gov):
                self._intent_type(draft, entry)
            elif self._prepares(gov) and entry.event in ("ASSAULT", "COERCE"):
                draft.event, draft.cameo = "MOBILIZE", "150"
            return draft
        # The trigger's own complement carries the content: "threatened to cut off", "agreed to withdraw".
        comp = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.i in by_tok), None)
        lemma = tok.lemma_.lower()
        if comp is not None and (
            lemma in self.threat or lemma in self.intent or lemma in self.refusal or lemma in self.request
        ):
            inner = by_tok[comp.i]
            absorbed.add(comp.i)
            draft.content = comp
            draft.mode = inner.entry.mode if lemma not in self.request else draft.mode
            if lemma in self.threat:
                draft.event, draft.cameo = "THREATEN", "130"
            elif lemma in self.refusal:
                draft.event, draft.cameo = "REJECT", "120"
            elif lemma in self.request:
                draft.event, draft.cameo = "REQUEST", "100"
            else:
                self._intent_type(draft, inner.entry)
            draft.rule = f"{entry.rule}>{inner.entry.rule}"
            return draft
        # Governed by an intent word that is not a trigger: "is ready to contribute", "plans to impose",
        # "have sworn to fight" (parsed as an adverbial clause).
        infinitive = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        gov = tok.head if tok.dep_ in ("xcomp", "ccomp") or infinitive else None
        gl = gov.lemma_.lower() if gov is not None and gov.i not in by_tok else ""
        if gl and gl in self.threat:
            draft.event, draft.cameo, draft.verb = "THREATEN", "130", gov
        elif gl and gl in self.refusal:
            draft.event, draft.cameo, draft.verb = "REJECT", "120", gov
        elif gl and (tok.dep_ == "xcomp" or infinitive) and (gl in self.intent or gl in self.future_verbs):
            self._intent_type(draft, entry)
            draft.verb = gov
        elif gl and gl in self.request and tok.dep_ == "xcomp":
            draft.event, draft.cameo, draft.verb = "REQUEST", "100", gov
        elif gov is not None and self._prepares(gov) and entry.event in ("ASSAULT", "COERCE"):
            # "prepared to attack": forces readied, not yet an attack
            draft.event, draft.cameo, draft.verb = "MOBILIZE", "150", gov
        elif self._has_future(tok) and not entry.keeps_future and entry.event not in FOLD_EXEMPT:
            self._intent_type(draft, entry)
        return draft

    def _prepares(self, verb: Token) -> bool:
        """ "prepared to resume shelling": the verb or a verb above it in its chain is a preparation."""
        cur = verb
        for _ in range(3):
            if cur.lemma_.lower() in self.preparation:
                return True
            if cur.dep_ not in ("xcomp",) or cur.head == cur:
                return False
            cur = cur.head
        return False

    @staticmethod
    def _intent_type(draft: EventDraft, inner: Trigger) -> None:
        """An announced intention: cooperative acts are AGREE, conflictual ones THREATEN; an announced
        deployment ("will send 500 soldiers to Mali") stays MOBILIZE, with its modality future."""
        if inner.event == "MOBILIZE":
            return
        if inner.event in COOPERATIVE:
            draft.event, draft.cameo = "AGREE", "030"
        else:
            draft.event, draft.cameo = "THREATEN", "130"

    def _has_future(self, tok: Token, negated: bool = False) -> bool:
        """ "will attack"; in reported speech also "said it would attack" (the future of the past).
        A negated verb ("will not attack") counts only when ``negated`` is asked for."""
        reported = tok.dep_ in ("ccomp", "parataxis") and tok.head.lemma_.lower() in self.report
        for c in tok.children:
            if c.dep_ == "aux" and (c.lower_ in self.future_aux or (reported and c.lower_ == "would")):
                if negated or not any(m.dep_ == "neg" for m in tok.children):
                    return True
        return False

    # -- roles ---------------------------------------------------------------------------------
    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The verb's subject (climbing clause links when it has none); True when the verb is passive."""
        cur = verb
        for _ in range(5):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cur.children)
            agent = next((c for c in cur.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = self._pobj(agent)
                if pobj is not None:
                    return pobj, True
            subj = next((c for c in cur.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and not passive:
                if subj.lower_ in RELATIVE_PRONOUNS and cur.dep_ == "relcl":
                    return cur.head, False  # "Putin and Assad, who held a call": the relative's noun
                return subj, False
            if subj is not None and passive:
                return None, True
            if cur.dep_ in INHERIT_DEPS and cur.head != cur:
                cur = cur.head
                continue
            if cur.dep_ == "relcl":
                return cur.head, False
            break
        return None, False

    def _pobj(self, prep: Token) -> Token | None:
        """The object of a preposition; when the parser splits a name into several objects ("to Bashar
        al - Assad"), the one the knowledge base knows."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if len(objs) > 1:
            known = [o for o in objs if o.i in self.resolver.index.by_token]
            return known[-1] if known else objs[-1]
        return objs[0] if objs else None

    def _code(self, tok: Token | None) -> list[CodedActor]:
        if tok is None:
            return []
        found = self.resolver.code_phrase(tok)
        if found:
            return found
        # Nothing coded on the head phrase: look deeper ("the Red Cross operating in Iraq" stays as is,
        # but "a group of Chechen refugees" or "warships of the French navy" descend).
        for t in tok.subtree:
            if t.i == tok.i or t.dep_ in ("relcl", "acl", "advcl"):
                continue
            if t.i in self.resolver.index.by_token or t.ent_type_ == "PERSON":
                inner = self.resolver.code_phrase(t)
                if inner and all(a.kind == "capital" for a in inner) and _locative_pobj(t):
                    continue  # "talks in Ankara": where, not who
                if inner:
                    return inner
        return []

    def _roles(self, d: EventDraft, sent: Span) -> None:
        tok = d.trigger.token
        entry = d.trigger.entry
        info = self.lex.type_info(entry.event)
        preps = (
            entry.recipient_preps or (info.recipient_preps if info else ()) or ("with", "to", "against", "on")
        )
        if d.trigger.pos == "VERB":
            subj, passive = self._subject(d.verb)
            actors = self._code(subj)
            if passive:
                patient = next((c for c in d.content.children if c.dep_ == "nsubjpass"), None)
                if patient is None and d.content is not tok:
                    patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                d.recipients = self._code(patient)
            else:
                d.recipients = self._objects(d.content, preps, event=d.event)
                if not d.recipients and d.verb != d.content:
                    d.recipients = self._objects(d.verb, preps, event=d.event)
            d.actors = actors
        else:
            self._noun_roles(d, preps)
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

    def _by_preposition(
        self, tokens: Iterable[Token], preps: tuple[str, ...], named_only: bool = False
    ) -> list[CodedActor]:
        """The first party introduced by one of ``preps`` among ``tokens`` ("talks with X", "aid to
        Y"); with ``named_only``, a party with a country or organisation code, not a bare sector."""
        for c in tokens:
            if c.dep_ == "prep" and c.lower_ in preps:
                found = self._code(self._pobj(c))
                if found and (not named_only or any(a.code for a in found)):
                    return found
        return []

    def _objects(
        self, verb: Token, preps: tuple[str, ...], depth: int = 0, event: str | None = None
    ) -> list[CodedActor]:
        """The recipient among a verb's complements.

        For acts of force the object of a purpose clause is the target even when only a sector ("opened
        fire to disperse demonstrators"); otherwise a purpose clause gives only a coded party ("marched
        to demand the release of prisoners" has no recipient there). For moves of forces and goods
        (MOBILIZE, RETREAT, AID) a sector-only object is what moves ("deployed more troops"), not who
        receives it."""
        forceful = event in ("ASSAULT", "COERCE")
        moved = event in ("MOBILIZE", "RETREAT", "AID")
        if event == "CONSULT":
            # "discussed the conflict in Syria with Assad": the partner, not the topic (the parser may
            # hang "with Assad" on the topic).
            objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            heads = [*verb.children, *(x for o in objects for x in o.children)]
            found = self._by_preposition(heads, preps, named_only=True)
            if found:
                return found
        direct: list[CodedActor] = []
        for c in verb.children:
            if c.dep_ in ("dobj", "obj", "dative"):
                if any(p.dep_ == "poss" and p.lower_ in OWN_POSSESSIVES for p in c.children):
                    continue  # "pulled its troops out of Afghanistan": the actor's own forces
                direct = self._code(c)
                if any(a.code for a in direct):
                    return direct
                if moved:
                    direct = []
                if direct:
                    break
        # "contribute 4,000 troops to a force in Liberia": a named recipient beats a sector-only object.
        found = self._by_preposition(verb.children, preps)
        if found:
            return found
        # An object clause's subject: "demanded that the US cancel", "urged Putin to end"; and the
        # beneficiary of a purpose clause: "send troops to help Lebanon".
        for c in verb.children:
            purpose = c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            if c.dep_ in ("ccomp", "xcomp") or (purpose and depth == 0):
                subj = next((s for s in c.children if s.dep_ in SUBJECT_DEPS), None)
                found = self._code(subj)
                if found:
                    return found
                if depth < 2:
                    found = self._objects(c, preps, depth + 1, event)
                    if any(a.code for a in found) or (found and not direct and (forceful or not purpose)):
                        return found
        if direct:
            return direct
        # Any other prepositional complement naming an actor ("in Liberia", "from Iraq"); a capital
        # after a locative preposition is where it happened ("a curfew in Baghdad"), not a government.
        for c in verb.children:
            if c.dep_ in ("prep", "prt"):  # "sealed off [the West Bank]" is sometimes parsed as a particle
                pobj = self._pobj(c)
                found = self._code(pobj)
                if found and c.lower_ in LOCATIVE_PREPS and all(f.kind == "capital" for f in found):
                    continue
                if found:
                    return found
        return []

    def _noun_roles(self, d: EventDraft, preps: tuple[str, ...]) -> None:
        tok = _phrase_head(d.trigger.tokens)
        actors: list[CodedActor] = []
        recipients: list[CodedActor] = []
        for c in tok.children:
            if c.dep_ == "poss" and c.lower_ == "their" and not actors:
                # "he and Putin stressed ... in their phone call", "During their call, Putin told Trump":
                # the parties are the clause's joint subject, or its subject and object.
                actors, recipients = self._their_parties(tok)
                if not actors and d.trigger.entry.reciprocal:
                    # "Their conversation was followed by ...": the last two leaders named.
                    actors = self.resolver.last_pair(c.i)
                actors = actors or self._code(c)
            elif c.dep_ == "poss" or (
                c.dep_ in ("amod", "compound", "nmod") and c.i in self.resolver.index.by_token
            ):
                actors = actors or self._code(c)
            elif c.dep_ == "prep" and c.lower_ == "between":
                pobj = self._pobj(c)
                actors = self._code(pobj)
            elif c.dep_ == "prep" and c.lower_ == "by":
                pobj = self._pobj(c)
                actors = actors or self._code(pobj)
            elif c.dep_ == "prep" and c.lower_ in (*preps, "with", "on", "against", "to", "in"):
                pobj = self._pobj(c)
                recipients = recipients or self._code(pobj)
        if not actors:
            head = tok.head
            # "X held talks", "X launched air strikes": the governing verb's subject.
            if tok.dep_ in ("dobj", "obj", "attr") or (tok.dep_ == "pobj" and head.dep_ == "prep"):
                verb = head if tok.dep_ != "pobj" else head.head
                if verb.pos_ in VERB_POS:
                    subj, passive = self._subject(verb)
                    if not passive:
                        actors = self._code(subj)
        if not recipients:
            # "provide 25,000 tons of food aid to refugees": the recipient hangs on the governing verb.
            gov = _governing_verb(tok)
            if gov is not None:
                recipients = self._by_preposition(gov.children, preps)
        if d.trigger.entry.reciprocal and recipients and not actors:
            actors, recipients = recipients, []
        if not actors and d.trigger.entry.reciprocal:
            # "During their phone call on Tuesday, Putin told Trump ...": the clause around the noun.
            verb = tok.head
            while verb.pos_ not in VERB_POS and verb.head != verb:
                verb = verb.head
            if verb.pos_ in VERB_POS:
                subj, passive = self._subject(verb)
                if not passive:
                    actors = self._code(subj)
                    recipients = recipients or [
                        a for c in verb.children if c.dep_ in ("dobj", "dative") for a in self._code(c)
                    ]
        d.actors, d.recipients = actors, recipients

    def _their_parties(self, tok: Token) -> tuple[list[CodedActor], list[CodedActor]]:
        """Who "their" stands for on a noun: the nearest clause subject naming several parties ("he
        and Putin"), or a subject and an object together ("Putin told Trump")."""
        verb = tok.head
        first = True
        for _ in range(8):
            if verb.pos_ in VERB_POS and verb.dep_ not in ("amod", "acl", "relcl"):
                subj, passive = self._subject(verb)
                found = [] if passive else self._code(subj)
                if len(found) > 1:
                    return found, []
                if (
                    found
                    and first
                    and tok.dep_ == "pobj"
                    and tok.head.head == verb
                    and verb.lemma_.lower() in (self.report | self.request | CONVERSATION_VERBS)
                ):
                    objs = [a for c in verb.children if c.dep_ in ("dobj", "dative") for a in self._code(c)]
                    if objs:
                        return found, objs
                first = False
            if verb.head == verb:
                break
            verb = verb.head
        return [], []

    def _fallback_actor(self, sent: Span, d: EventDraft, others: list[CodedActor]) -> list[CodedActor]:
        """No actor from the grammar: the first coded actor in the sentence outside the recipients and
        outside the participants of the sentence's other events."""
        own = {a.head for a in d.actors}
        busy = [*d.recipients, *(o for o in others if o.head not in own)]
        taken = {b.head for b in busy}
        spans = [(b.start, b.end) for b in busy if b.start is not None]
        for m in self.resolver.index.matches:
            if not (sent.start <= m.span.start and m.span.end <= sent.end):
                continue
            if m.span.root.i in taken or any(
                s <= m.span.start_char and m.span.end_char <= e for s, e in spans
            ):
                continue
            if m.span.start > d.trigger.token.i and d.recipients:
                continue
            found = self.resolver.code_phrase(np_head(m.span.root), follow_conj=False)
            if found and all(f.head not in taken for f in found):
                if d.attribution is not None and found[0].head == d.attribution.head:
                    continue
                return found
        return []

    def _fill_codes(self, d: EventDraft, sent: Span) -> None:
        """Give a country to sector-only participants ("the government", "demonstrators").

        The place named in the sentence ("in Baghdad", "throughout Indonesia") comes first, then the
        other side of the event; a participant that still has no code is dropped.
        """
        place = self._place_country(sent, d)
        actor_code = next((a.code for a in d.actors if a.code), None)
        recip_code = next((r.code for r in d.recipients if r.code), None)
        for side, other in ((d.actors, recip_code), (d.recipients, actor_code)):
            for a in side:
                if a.code is None:
                    a.code = place or other
                    a.rule += ":context-country"
        d.actors = [a for a in d.actors if a.code]
        d.recipients = [r for r in d.recipients if r.code]
        info = self.lex.type_info(d.event)
        if not d.actors and d.recipients and info is not None and info.implied_actor == "place":
            # "A roadside bomb near Samarra killed two soldiers": an unidentified actor of that country.
            code = place or d.recipients[0].code
            d.actors = [CodedActor(code, "UNK", None, None, None, "", "implied:place", "implied", -1)]
        if (
            not d.recipients
            and d.actors
            and info is not None
            and info.implied_recipient == "foreign-place"
            and d.place is not None
            and d.place.country
            and all(a.code != d.place.country for a in d.actors)
        ):
            # "strengthened its forces in Lebanon", "pulled its troops out of Afghanistan": the country
            # where the forces move is the one the move is aimed at.
            p = d.place
            d.recipients = [
                CodedActor(
                    p.country, "GOV", None, p.start, p.end, p.text, "implied:foreign-place", "implied", -1
                )
            ]
        state = next((a for a in d.actors if a.code and a.code not in NON_STATE_CODES), None)
        implied = d.trigger.entry.domestic or (info is not None and info.implied_recipient == "domestic")
        if not d.recipients and state is not None and implied:
            # Protests, curfews, crackdowns with no one named: the actor's own country, its government
            # for a non-state actor, its people for the state.
            sector = "CVL" if state.sector in STATE_SECTORS else "GOV"
            d.recipients = [
                CodedActor(state.code, sector, None, None, None, "", "implied:domestic", "implied", -1)
            ]

    def _place_country(self, sent: Span, d: EventDraft) -> str | None:
        if d.place is not None and d.place.country:
            return d.place.country
        used = {a.head for a in d.actors} | {r.head for r in d.recipients}
        for m in self.resolver.index.matches:
            if not (sent.start <= m.span.start and m.span.end <= sent.end):
                continue
            ref = m.refs[0]
            if ref.kind not in ("country", "capital") or m.span.root.i in used:
                continue
            if m.span.root.head.dep_ == "prep" or m.span.root.dep_ == "pobj":
                return ref.code
        return None

    def _mode_hint(self, d: EventDraft) -> None:
        """Fill the mode from words near the trigger: "discussed ... by phone" → phone."""
        hints = self.lex.mode_hints.get(d.event)
        if d.mode or not hints:
            return
        near = {t.lemma_.lower() for t in d.trigger.token.subtree if abs(t.i - d.trigger.token.i) <= 8}
        near |= {c.lemma_.lower() for c in d.trigger.token.children}
        for mode, words in hints.items():
            if near & words:
                d.mode = mode
                return

    # -- attribution and modality --------------------------------------------------------------
    def _attribution(self, d: EventDraft) -> None:
        cur = d.verb
        for _ in range(6):
            if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "ROOT" and cur != d.verb):
                break
            if cur.head == cur:
                break
            cur = cur.head
        gov = cur.head if cur.dep_ in ("ccomp", "parataxis") else None
        if gov is None:
            # "..., the Kremlin said": the report verb is the root, the event clause hangs below it.
            root = d.verb.sent.root
            if root != d.verb and root.lemma_.lower() in self.report:
                gov = root
        if gov is None or gov.lemma_.lower() not in self.report:
            return
        subj = next((c for c in gov.children if c.dep_ in ("nsubj",)), None)
        if subj is None:
            return
        coded = self.resolver.code_phrase(subj)
        d.attribution = coded[0] if coded else None
        d.attribution_text = " ".join(t.text for t in subj.subtree)

    def _modality(self, d: EventDraft) -> None:
        tok = d.trigger.token
        chain = [tok, d.verb] if d.verb != tok else [tok]
        if tok.dep_ in ("xcomp",):
            chain.append(tok.head)
        for t in chain:
            for c in t.children:
                lem = c.lemma_.lower()
                if c.dep_ == "neg" or (c.dep_ == "det" and lem == "no"):
                    if (
                        t.i == tok.i
                        and tok.lemma_.lower() in self.acceptance
                        and d.event in ("AGREE", "CONCEDE")
                    ):
                        # "will not accept any more refugees": refusing is a rejection that did happen.
                        d.event, d.cameo = "REJECT", "120"
                        d.modality = "future" if self._has_future(tok, negated=True) else "asserted"
                        return
                    d.modality = "negated"
                    return
        for t in chain:
            for c in t.children:
                lem = c.lower_
                if c.dep_ == "mark" and lem in self.hyp_marks:
                    d.modality = "hypothetical"
                    return
                if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children
                ):
                    d.modality = "hypothetical" if d.event not in ("THREATEN",) else d.modality
                if c.dep_ == "aux" and lem in self.hyp_aux and lem != "may":
                    if lem == "would" and self._has_future(t):
                        d.modality = "future"  # "said it would allow": the future of the past
                    else:
                        d.modality = "hypothetical"
        if d.modality == "hypothetical":
            return
        for t in chain:
            for c in t.children:
                if c.dep_ == "aux" and c.lower_ in self.future_aux:
                    d.modality = "future"
                    return
                if c.dep_ == "aux" and c.lower_ == "to" and t.dep_ == "ROOT":
                    d.modality = "future"  # headline "Putin to hold talks"
                    return
            if t.dep_ == "xcomp" and t.head.lemma_.lower() in self.future_verbs:
                d.modality = "future"
                return
