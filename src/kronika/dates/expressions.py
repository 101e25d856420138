"""Find the date expressions of a sentence and tell points in time from durations, ages and frequencies.

Candidates are spaCy's DATE entities (and TIME entities that name a day, such as "tonight"), plus
token patterns for what the model misses ("this week's", "Nov. 14th, 2013", "in 2015" after a
comma). Overlapping candidates keep the longest. Each candidate is then classified from its own
words and the word before it; only some kinds are points in time that can date an event.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kronika.dates.lexicon import DateLexicon, load_lexicon
from kronika.entities import entities_in, entity_index

# Kinds of date expression.
ABSOLUTE = "absolute"  # carries its own year: "November 14, 2013", "May 2012", "in 2015"
PARTIAL = "partial"  # a month, with or without a day, but no year: "on November 28", "in March"
WEEKDAY = "weekday"  # "on Wednesday", "last Wednesday", "next Friday"
NAMED_DAY = "named_day"  # "today", "yesterday", "tomorrow", "tonight", "this morning"
RELATIVE = "relative"  # "last month", "this week", "next year", "three days ago"
DURATION = "duration"  # "for two years", "six-year", "more than a decade"
FREQUENCY = "frequency"  # "every day", "annually"
AGE = "age"  # "45-year-old", "aged 45"
UNKNOWN = "unknown"  # anything else spaCy calls a date ("the 1990s", "the same day")

POINT_KINDS = frozenset({ABSOLUTE, PARTIAL, WEEKDAY, NAMED_DAY, RELATIVE})

# Prepositions kept in the reported text ("on Wednesday", "in May 2012").
TEXT_PREPOSITIONS = frozenset({"on", "in"})
# Words trimmed from the edges of a candidate before it is classified and parsed.
LEADING_TRIM = frozenset({"on", "in", "at", "of", "since", "during", "by", "until", "from"})
TRAILING_TRIM = frozenset({"'s", "’s", "'", ",", ".", "-", "—", "–", "(", ")"})

YEAR_RE = re.compile(r"^(1[0-9]|20)\d{2}$")
# Numeric dates, matched on the text of an expression (spaCy splits "2013-11-14" into five tokens).
ISO_RE = re.compile(r"\b(1[0-9]|20)\d{2}\s?[-/]\s?\d{1,2}\s?[-/]\s?\d{1,2}\b")
NUMERIC_DATE_RE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](1[0-9]|20)\d{2}\b")
DAY_RE = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$", re.IGNORECASE)
QUANTIFIERS = frozenset({"a", "an", "one", "couple", "few", "several"})


@dataclass(frozen=True)
class DateExpression:
    """A date expression of a sentence.

    ``text``, ``start`` and ``end`` cover the expression as written, with a leading "on" or "in"
    ("on Wednesday"); offsets are characters in the Doc's text. ``span`` is the expression itself
    without that preposition. ``origin`` says whether spaCy's entity recogniser or one of the
    token patterns found it.
    """

    text: str
    start: int
    end: int
    kind: str
    origin: str
    span: Span = field(compare=False, repr=False)

    @property
    def is_point(self) -> bool:
        """True for a point in time that can date an event (not a duration, age or frequency)."""
        return self.kind in POINT_KINDS


def day_number(token: Token) -> int | None:
    """The day of the month a token such as "14" or "14th" names."""
    match = DAY_RE.match(token.text)
    if match:
        day = int(match.group(1))
        if 1 <= day <= 31:
            return day
    return None


def is_month(token: Token, lex: DateLexicon) -> bool:
    """A month name; "May" only when capitalised, not tagged as the modal verb and not part of a
    person's name ("Theresa May", "May said")."""
    if lex.month_number(token.text) is None:
        return False
    if token.lower_.rstrip(".") == "may":
        return token.text[0] == "M" and token.tag_ != "MD" and not _in_name(token, lex)
    return True


def _in_name(token: Token, lex: DateLexicon) -> bool:
    """ "Theresa May": a surname after a given name, or a word of a person's name."""
    if token.ent_type_ == "PERSON":
        return True
    if token.i == 0:
        return False
    prev = token.doc[token.i - 1]
    return (
        prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and lex.month_number(prev.text) is None
        and lex.weekday_number(prev.text) is None
    )


def _has_number(tokens: list[Token]) -> bool:
    return any(t.like_num or t.lower_ in QUANTIFIERS for t in tokens)


def _contains_phrase(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    n = len(parts)
    return any(words[i : i + n] == parts for i in range(len(words) - n + 1))


def _is_age(span: Span, lex: DateLexicon) -> bool:
    doc = span.doc
    following = [t.lower_ for t in doc[span.end : span.end + 3]]
    words = [t.lower_ for t in span]
    if any(w in lex.age_words for w in words):
        return True
    if span.start > 0 and doc[span.start - 1].lower_ in lex.age_words:
        return True
    # "45 years old", "45-year-old man" when the entity stops before "old".
    return bool(following) and (following[0] in lex.age_words or following[:2] == ["-", "old"])


END_HEDGES = frozenset({"at", "least", "the", "earliest", "latest"})  # "until at least February"


def _ends_a_span(span: Span, lex: DateLexicon) -> bool:
    """Is the expression introduced by "until" (past "at least") and without a year: the end of a
    span ("put on hold until February")? With a year ("until 2015, Russia supplied ...") it still
    dates a past act."""
    if any(YEAR_RE.match(t.text) for t in span):
        return False
    i = span.start - 1
    doc = span.doc
    while i >= 0 and span.start - i <= 4 and doc[i].lower_ in END_HEDGES:
        i -= 1
    return i >= 0 and doc[i].lower_ in lex.end_prepositions


def _clock_time(span: Span, lex: DateLexicon) -> bool:
    """A four-digit number followed by a time zone or "hours" ("1530 UTC"): a time of day."""
    doc = span.doc
    last = doc[span.end - 1]
    nxt = doc[span.end] if span.end < len(doc) else None
    words = {t.lower_ for t in span[1:]} | ({nxt.lower_} if nxt is not None else set())
    return bool(YEAR_RE.match(last.text) or YEAR_RE.match(span[0].text)) and bool(words & lex.clock_words)


def _not_a_point(span: Span, words: list[str], lex: DateLexicon) -> str | None:
    """The kind of an expression that is no point in time whatever its words: an age, the end of a
    span, a clock time, a frequency; None otherwise."""
    if _is_age(span, lex):
        return AGE
    if _ends_a_span(span, lex):
        return DURATION
    if _clock_time(span, lex):
        return UNKNOWN
    if any(w in lex.frequency_words for w in words):
        return FREQUENCY
    return None


def classify(span: Span, lex: DateLexicon | None = None) -> str:
    """The kind of a (trimmed) date expression, from its words and the word before it."""
    lex = lex or load_lexicon()
    tokens = list(span)
    words = [t.lower_ for t in tokens]
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    excluded = _not_a_point(span, words, lex)
    if excluded is not None:
        return excluded
    if (
        any(YEAR_RE.match(t.text) for t in tokens)
        or ISO_RE.search(span.text)
        or NUMERIC_DATE_RE.search(span.text)
    ):
        return ABSOLUTE
    if any(is_month(t, lex) for t in tokens):
        return PARTIAL
    if any(lex.weekday_number(t.text) is not None and len(t.text) > 3 for t in tokens):
        return WEEKDAY
    if any(_contains_phrase(words, phrase) for phrase in lex.named_days):
        return NAMED_DAY
    unit_positions = [i for i, w in enumerate(words) if w in lex.units]
    if unit_positions:
        return _unit_kind(tokens, words, unit_positions[0], before, lex)
    if any(w in lex.duration_words for w in words):
        return DURATION
    return UNKNOWN


def _unit_kind(tokens: list[Token], words: list[str], i: int, before: str, lex: DateLexicon) -> str:
    """An expression with a time unit (its first at ``i``): "for three days" is a duration, "two days
    ago" and "last week" are relative."""
    if before in lex.duration_prepositions:
        return DURATION
    if any(w in lex.ago_words for w in words) and _has_number(tokens):
        return RELATIVE
    if i > 0 and words[i - 1] in lex.anchors and not _has_number(tokens):
        return RELATIVE
    return DURATION


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_TRIM:
        start += 1
    while end > start and (doc[end - 1].lower_ in TRAILING_TRIM or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


@functools.lru_cache(maxsize=4)
def _matcher(vocab: Vocab, lex: DateLexicon) -> Matcher:
    """Token patterns for date expressions spaCy's entity recogniser tends to miss."""
    full_weekdays = sorted(w for w in lex.weekdays if len(w) > 3)
    months = sorted({*lex.months, *(m + "." for m in lex.months)})
    units = sorted(u for u, kind in lex.units.items() if not u.endswith("s") or kind == "week")
    day = {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}}
    year = {"TEXT": {"REGEX": YEAR_RE.pattern}}
    month = {"LOWER": {"IN": months}, "IS_TITLE": True}
    anchor = {"LOWER": {"IN": sorted(lex.anchors)}}
    part = {"LOWER": {"IN": sorted(lex.day_parts)}, "OP": "?"}
    matcher = Matcher(vocab)
    matcher.add("WEEKDAY", [[{**anchor, "OP": "?"}, {"LOWER": {"IN": full_weekdays}}, part]])
    matcher.add(
        "NAMED_DAY",
        [[*({"LOWER": w} for w in phrase.split()), part] for phrase in sorted(lex.named_days)],
    )
    matcher.add(
        "RELATIVE",
        [
            [{"LOWER": {"IN": sorted(lex.softeners)}, "OP": "?"}, anchor, {"LOWER": {"IN": units}}],
            [
                {"LIKE_NUM": True},
                {"LOWER": {"IN": sorted(lex.units)}},
                {"LOWER": {"IN": sorted(lex.ago_words)}},
            ],
            [
                {"LOWER": {"IN": sorted(QUANTIFIERS)}},
                {"LOWER": {"IN": sorted(lex.units)}},
                {"LOWER": {"IN": sorted(lex.ago_words)}},
            ],
        ],
    )
    matcher.add(
        "CALENDAR",
        [
            [month, day, {"ORTH": ",", "OP": "?"}, {**year, "OP": "?"}],
            [day, {"LOWER": "of", "OP": "?"}, month, {**year, "OP": "?"}],
            [month, {"ORTH": ",", "OP": "?"}, year],
            [{"LOWER": {"IN": ["in", "since", "during", "until", *sorted(lex.anchors)]}}, month],
            [{"LOWER": {"IN": ["in", "since", "during", "until"]}}, year],
            [year, {"ORTH": {"IN": ["-", "/"]}}, day, {"ORTH": {"IN": ["-", "/"]}}, day],
            [{"TEXT": {"REGEX": NUMERIC_DATE_RE.pattern}}],
            [{"TEXT": {"REGEX": ISO_RE.pattern}}],
        ],
    )
    return matcher


def _candidates(sent: Span, lex: DateLexicon) -> list[tuple[Span, str]]:
    doc = sent.doc
    entity_spans = entities_in(sent, ("DATE", "TIME"))
    matches = [doc[sent.start + s : sent.start + e] for _, s, e in _matcher(doc.vocab, lex)(sent)]
    # Trim before choosing among overlaps, so "in May" (a pattern) does not beat "May 2012".
    trimmed: list[Span] = []
    origins: dict[tuple[int, int], str] = {}
    for origin, spans in (("entity", entity_spans), ("pattern", matches)):
        for span in spans:
            core = _trim(span)
            if core is None:
                continue
            if span.label_:
                core = Span(doc, core.start, core.end, label=span.label_)
            origins.setdefault((core.start, core.end), origin)
            trimmed.append(core)
    return [(s, origins[(s.start, s.end)]) for s in sorted(filter_spans(trimmed), key=lambda s: s.start)]


def find_date_expressions(
    sent: Span, include_ignored: bool = False, lexicon: DateLexicon | None = None
) -> list[DateExpression]:
    """The date expressions of a sentence in text order.

    By default only points in time are returned; ``include_ignored`` also returns durations, ages,
    frequencies and unrecognised expressions (their ``kind`` says which).
    """
    lex = lexicon or load_lexicon()
    memo = _memo(sent, lex)
    key = (sent.start, sent.end, include_ignored)
    if key not in memo:
        memo[key] = _find(sent, include_ignored, lex)
    return list(memo[key])


_MEMO_KEY = "kronika_date_expressions"


def _memo(sent: Span, lex: DateLexicon) -> dict[tuple[int, int, bool], list[DateExpression]]:
    """The date expressions already found in the sentences of ``sent``'s document (each sentence is
    asked once per event and once for the story's year): kept on the ``Doc`` for the entity index
    and lexicon they were found with."""
    user_data = sent.doc.user_data
    index = entity_index(sent.doc)
    held = user_data.get(_MEMO_KEY)
    if not (isinstance(held, tuple) and held[0] is index and held[1] is lex):
        held = user_data[_MEMO_KEY] = (index, lex, {})
    return held[2]


def _find(sent: Span, include_ignored: bool, lex: DateLexicon) -> list[DateExpression]:
    doc = sent.doc
    found: list[DateExpression] = []
    for core, origin in _candidates(sent, lex):
        kind = classify(core, lex)
        if core.label_ == "TIME" and kind not in (NAMED_DAY, WEEKDAY):
            continue  # clock times ("10 a.m.") do not date anything on their own
        if kind not in POINT_KINDS and not include_ignored:
            continue
        first = core.start
        if first > sent.start and doc[first - 1].lower_ in TEXT_PREPOSITIONS:
            first -= 1
        shown = doc[first : core.end]
        found.append(
            DateExpression(
                text=shown.text,
                start=shown.start_char,
                end=shown.end_char,
                kind=kind,
                origin=origin,
                span=core,
            )
        )
    return found
