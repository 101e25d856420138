"""Which clause a date expression belongs to, the tense of that clause, and how well it fits a trigger.

A clause is headed by a verb (or by the sentence root); an infinitive complement ("plans to
hold", "is set to meet") belongs to the clause of the verb it completes.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kronika.dates.lexicon import DateLexicon, load_lexicon

PAST = "past"
PRESENT = "present"
FUTURE = "future"

# Dependencies that open a clause whose time is not the time of the clause above it.
EMBEDDED_CLAUSES = frozenset({"relcl", "acl"})
# Subordinators of a clause that happened at another time than the main event.
REFERENCE_MARKERS = frozenset({"since", "after", "before", "until", "till"})
# Attachment ranks, best first.
ON_PATH = 0  # the trigger lies between the expression and its clause head ("talks on Friday")
SAME_CLAUSE = 1  # expression and trigger share a clause head
GOVERNING_CLAUSE = 2  # the expression dates a clause above the trigger's ("said Sunday that ...")
ELSEWHERE = 3  # any other clause of the sentence, nearest first


def _is_root(token: Token, sent: Span) -> bool:
    return token.head == token or token == sent.root or not (sent.start <= token.head.i < sent.end)


def _opens_clause(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass", "xcomp")


def path_to_clause_head(token: Token, sent: Span) -> list[Token]:
    """The token, its heads up to and including the head of its clause."""
    path = [token]
    current = token
    while not (_opens_clause(current) or _is_root(current, sent)):
        current = current.head
        path.append(current)
    return path


def clause_head(token: Token, sent: Span) -> Token:
    """The verb heading the clause a token belongs to (the sentence root when there is none)."""
    return path_to_clause_head(token, sent)[-1]


def _lowest_verb(token: Token, sent: Span) -> Token | None:
    for t in path_to_clause_head(token, sent):
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _finite_tense(verb: Token, lex: DateLexicon) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    for i, aux in enumerate(auxes):
        if aux.lower_ in lex.future_auxiliaries or aux.lemma_.lower() in lex.future_auxiliaries:
            rest = auxes[i + 1 :]
            # "would have met" looks back, "would meet" forward.
            if aux.lower_ == "would" and any(a.lemma_ == "have" for a in rest):
                return PAST
            return FUTURE
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        return PAST  # perfect: "has signed", "had struck"
    if any(a.tag_ == "VBD" for a in auxes) or verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBN" and not auxes:
        return PAST  # reduced clause: "talks held on Monday"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return PRESENT
    return None


def clause_tense(token: Token, sent: Span, lexicon: DateLexicon | None = None) -> str | None:
    """``past``, ``present`` or ``future`` for the clause a token belongs to; None when unknown.

    Past tense and perfect count as past; "will", "shall", "would" and infinitives completing a
    future-looking head ("is due to", "plans to", "is set to", "is going to", "is to") as future.
    A verb without its own tense (a conjunct, an infinitive) takes the tense of its head.
    """
    lex = lexicon or load_lexicon()
    verb = _lowest_verb(token, sent)
    seen = 0
    while verb is not None and seen < 12:
        seen += 1
        head = verb.head
        infinitive = verb.tag_ == "VB" and any(c.tag_ == "TO" for c in verb.children)
        if (verb.dep_ == "xcomp" or infinitive) and not _is_root(verb, sent):
            lemma = head.lemma_.lower()
            # "is going to attack" looks forward, "went to meet" does not.
            if lemma in lex.future_heads and (lemma != "go" or head.tag_ == "VBG"):
                return FUTURE
            verb = head
            continue
        tense = _finite_tense(verb, lex)
        if tense is not None:
            return tense
        if verb.dep_ == "conj" and not _is_root(verb, sent) and head.pos_ in ("VERB", "AUX"):
            verb = head
            continue
        return PRESENT if verb.tag_ in ("VB", "VBG") and verb.dep_ == "ROOT" else None
    return None


def _embedded_outside(token: Token, trigger: Token, sent: Span) -> bool:
    """The token sits in a relative clause or clausal modifier that does not contain the trigger, or in
    a clause that names a reference event ("the first since Putin returned to the presidency in May
    2012")."""
    current = token
    while not _is_root(current, sent):
        embedded = current.dep_ in EMBEDDED_CLAUSES or (
            current.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in REFERENCE_MARKERS for c in current.children)
        )
        if embedded and current.pos_ in ("VERB", "AUX"):
            if not any(t.i == trigger.i for t in current.subtree):
                return True
        current = current.head
    return False


def attachment_rank(span: Span, trigger: Token, sent: Span) -> int | None:
    """How closely a date expression belongs to a trigger (lower is closer); None to exclude it."""
    root = span.root
    path = path_to_clause_head(root, sent)
    expr_head = path[-1]
    if any(t.i == trigger.i for t in path):
        return ON_PATH
    trigger_head = clause_head(trigger, sent)
    # "the attack, which happened on Monday": a relative clause on a nominal trigger dates it.
    if expr_head.dep_ in EMBEDDED_CLAUSES and expr_head.head.i == trigger.i:
        return ON_PATH
    if expr_head.i == trigger_head.i:
        return SAME_CLAUSE
    if any(a.i == expr_head.i for a in trigger_head.ancestors):
        return GOVERNING_CLAUSE
    if _embedded_outside(root, trigger, sent):
        return None
    return ELSEWHERE
