"""Resolve the date of an event mention against the publication date.

``resolve_event_date`` picks the date expression attached to the trigger (``clauses``), then turns
it into ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. dateparser parses the wording; Kronika adds only
what dateparser cannot know: the tense of the clause (which Wednesday, which November 28), the
parts the text really contains (so a missing day or month is never filled in from elsewhere), and
the rule that a week, having no precision of its own, becomes a month or a year. docs/dates.md
states every rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import asdict, dataclass
from typing import Any

from dateparser.date import DateDataParser
from spacy.tokens import Span, Token

from kronika.dates.clauses import FUTURE, PAST, attachment_rank, clause_tense
from kronika.dates.expressions import (
    ABSOLUTE,
    ISO_RE,
    NAMED_DAY,
    NUMERIC_DATE_RE,
    PARTIAL,
    RELATIVE,
    WEEKDAY,
    YEAR_RE,
    DateExpression,
    day_number,
    find_date_expressions,
    is_month,
)
from kronika.dates.lexicon import DateLexicon, load_lexicon

log = logging.getLogger(__name__)

DAY = "day"
MONTH = "month"
YEAR = "year"

SOURCE_TEXT = "text"
SOURCE_PUBLICATION = "publication"

# Canonical anchor words dateparser understands, by direction in the lexicon.
_ANCHOR_WORDS = {"past": "last", "current": "this", "future": "next"}


@dataclass
class DateResolution:
    """The date of one event mention and where it came from.

    ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as ``precision`` says (``day``, ``month``,
    ``year``). ``text``/``start``/``end`` give the expression as written and its character offsets
    in the Doc's text. ``source`` is ``text`` when the date was resolved from that expression,
    ``publication`` when the sentence has no date expression and the publication date stands in,
    None when there is no date. ``reason`` names the rule that produced the date, for auditing.
    """

    date: str | None = None
    precision: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    source: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Resolved:
    date: str | None
    precision: str | None
    reason: str
    needs_publication: bool = False


def _fmt(day: dt.date, precision: str) -> str:
    if precision == DAY:
        return day.isoformat()
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _week(day: dt.date) -> tuple[str, str]:
    """A calendar week (Monday to Sunday) as a month when it lies in one, else as its ISO year."""
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return _fmt(monday, MONTH), MONTH
    return f"{(monday + dt.timedelta(days=3)).year:04d}", YEAR


@functools.lru_cache(maxsize=4096)
def _parse(text: str, base: dt.date, prefer: str = "current_period") -> dt.date | None:
    """What dateparser reads in ``text`` relative to ``base`` (asked once per wording and base: each
    event of a sentence resolves the same expression again)."""
    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):  # dateparser raises on some odd inputs
        return None
    return data.date_obj.date() if data.date_obj else None


def _strip_fuzzy(text: str, lex: DateLexicon) -> str:
    lowered = text.lower()
    changed = True
    while changed:
        changed = False
        for prefix in lex.fuzzy_prefixes:
            if re.match(rf"{re.escape(prefix)}[\s-]+", lowered):
                lowered = re.sub(rf"^{re.escape(prefix)}[\s-]+", "", lowered)
                text = text[len(text) - len(lowered) :]
                changed = True
    return text


def _calendar_parts(span: Span, lex: DateLexicon) -> tuple[int | None, int | None, int | None]:
    """Year, month and day that the words of an expression really contain."""
    year = month = day = None
    tokens = list(span)
    for i, tok in enumerate(tokens):
        if year is None and YEAR_RE.match(tok.text):
            year = int(tok.text)
        elif month is None and is_month(tok, lex):
            month = lex.month_number(tok.text)
            neighbours = [tokens[j] for j in (i + 1, i - 1, i - 2) if 0 <= j < len(tokens)]
            for near in neighbours:
                if near.lower_ == "of":
                    continue
                number = day_number(near)
                if number is not None and not YEAR_RE.match(near.text):
                    day = number
                    break
    return year, month, day


def _resolve_absolute(expr: DateExpression, lex: DateLexicon) -> _Resolved:
    numeric = ISO_RE.search(expr.span.text) or NUMERIC_DATE_RE.search(expr.span.text)
    if numeric is not None:
        parsed = _parse(re.sub(r"\s", "", numeric.group(0)), dt.date(2000, 1, 1))
        if parsed is None:
            return _Resolved(None, None, "absolute: unparsed numeric date")
        return _Resolved(parsed.isoformat(), DAY, "absolute: numeric date")
    year, month, day = _calendar_parts(expr.span, lex)
    if year is None:
        return _Resolved(None, None, "absolute: no year")
    precision = DAY if (month and day) else MONTH if month else YEAR
    parsed = _parse(_strip_fuzzy(expr.span.text, lex), dt.date(year, 1, 1))
    if parsed is not None and parsed.year == year and (month is None or parsed.month == month):
        return _Resolved(_fmt(parsed, precision), precision, f"absolute: {precision}")
    # dateparser could not read the wording ("the end of 2016 fiscal year"): use the parts found.
    try:
        fallback = dt.date(year, month or 1, day or 1)
    except ValueError:
        return _Resolved(None, None, "absolute: impossible date")
    return _Resolved(_fmt(fallback, precision), precision, f"absolute: {precision} from parts")


def _anchor(expr: DateExpression, lex: DateLexicon) -> str | None:
    for tok in expr.span:
        if tok.lower_ in lex.anchors:
            return lex.anchors[tok.lower_]
    return None


def _pick(candidates: list[dt.date], pub: dt.date, direction: str | None) -> dt.date | None:
    """The candidate nearest to the publication date on the side the direction allows.

    ``past``: on or before it; ``future``: on or after it; ``before``/``after``: strictly so;
    anything else: the nearest on either side.
    """
    allowed = {
        PAST: [c for c in candidates if c <= pub],
        FUTURE: [c for c in candidates if c >= pub],
        "before": [c for c in candidates if c < pub],
        "after": [c for c in candidates if c > pub],
    }.get(direction or "", candidates)
    if not allowed:
        return None
    return min(allowed, key=lambda c: (abs((c - pub).days), c))


def _direction(expr: DateExpression, tense: str | None, lex: DateLexicon) -> str | None:
    anchor = _anchor(expr, lex)
    if anchor == "past":
        return "before"
    if anchor == "future":
        return "after"
    return tense if tense in (PAST, FUTURE) else None


def _resolve_weekday(expr: DateExpression, pub: dt.date, tense: str | None, lex: DateLexicon) -> _Resolved:
    weekday = next(
        (lex.weekday_number(t.text) for t in expr.span if lex.weekday_number(t.text) is not None), None
    )
    if weekday is None:
        return _Resolved(None, None, "weekday: none found")
    offset = (weekday - pub.weekday()) % 7
    candidates = [pub + dt.timedelta(days=offset + k) for k in (-14, -7, 0, 7)]
    direction = _direction(expr, tense, lex)
    chosen = _pick(candidates, pub, direction)
    if chosen is None:
        return _Resolved(None, None, "weekday: no candidate")
    return _Resolved(chosen.isoformat(), DAY, f"weekday: {direction or 'nearest'}")


def _resolve_partial(expr: DateExpression, pub: dt.date, tense: str | None, lex: DateLexicon) -> _Resolved:
    _, month, day = _calendar_parts(expr.span, lex)
    if month is None:
        return _Resolved(None, None, "partial: no month")
    direction = _direction(expr, tense, lex)
    if _anchor(expr, lex) == "current":
        direction = None
        years = [pub.year]
    else:
        years = [pub.year - 1, pub.year, pub.year + 1]
    if day is not None:
        candidates = []
        for year in years:
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue  # February 29 outside a leap year
        chosen = _pick(candidates, pub, direction)
        precision = DAY
    else:
        # Compare months with months: "in February" published in February is this February.
        this_month = pub.replace(day=1)
        chosen = _pick([dt.date(year, month, 1) for year in years], this_month, direction)
        precision = MONTH
    if chosen is None:
        return _Resolved(None, None, "partial: no candidate")
    return _Resolved(_fmt(chosen, precision), precision, f"partial: {direction or 'nearest'} year")


def _resolve_named_day(expr: DateExpression, pub: dt.date, lex: DateLexicon) -> _Resolved:
    words = [t.lower_ for t in expr.span]
    for phrase in sorted(lex.named_days, key=lambda p: len(p.split()), reverse=True):
        parts = phrase.split()
        if any(words[i : i + len(parts)] == parts for i in range(len(words) - len(parts) + 1)):
            offset = lex.named_days[phrase]
            return _Resolved((pub + dt.timedelta(days=offset)).isoformat(), DAY, f"named day: {phrase}")
    return _Resolved(None, None, "named day: none found")


def _resolve_relative(expr: DateExpression, pub: dt.date, lex: DateLexicon) -> _Resolved:
    unit = next((lex.units[t.lower_] for t in expr.span if t.lower_ in lex.units), None)
    if unit is None:
        return _Resolved(None, None, "relative: no unit")
    words = []
    for tok in expr.span:
        word = tok.lower_
        if word in lex.softeners or word in ("the", "'s", "’s"):
            continue
        if word in lex.anchors:
            word = _ANCHOR_WORDS[lex.anchors[word]]
        elif word in lex.units:
            word = "week" if word == "weekend" else word
        words.append(word)
    parsed = _parse(" ".join(words), pub)
    if parsed is None:
        return _Resolved(None, None, f"relative: dateparser could not read {' '.join(words)!r}")
    if unit == "week":
        date, precision = _week(parsed)
        return _Resolved(date, precision, "relative: week as " + precision)
    precision = {"day": DAY, "month": MONTH, "year": YEAR}[unit]
    return _Resolved(_fmt(parsed, precision), precision, f"relative: {precision}")


def resolve_expression(
    expr: DateExpression,
    pub_date: dt.date | None,
    tense: str | None = None,
    lexicon: DateLexicon | None = None,
) -> tuple[str | None, str | None, str]:
    """Date, precision and the rule used for one expression; (None, None, why) when unresolvable.

    ``tense`` (``past``, ``present``, ``future``) chooses among the weekdays or years a bare
    "Wednesday" or "November 28" could mean. Without a publication date only expressions that
    carry their own year resolve.
    """
    lex = lexicon or load_lexicon()
    resolved = _resolve(expr, pub_date, tense, lex)
    return resolved.date, resolved.precision, resolved.reason


def _resolve(expr: DateExpression, pub: dt.date | None, tense: str | None, lex: DateLexicon) -> _Resolved:
    if expr.kind == ABSOLUTE:
        return _resolve_absolute(expr, lex)
    if expr.kind not in (PARTIAL, WEEKDAY, NAMED_DAY, RELATIVE):
        return _Resolved(None, None, f"{expr.kind}: not a point in time")
    if pub is None:
        return _Resolved(None, None, f"{expr.kind}: needs a publication date", needs_publication=True)
    if expr.kind == PARTIAL:
        return _resolve_partial(expr, pub, tense, lex)
    if expr.kind == WEEKDAY:
        return _resolve_weekday(expr, pub, tense, lex)
    if expr.kind == NAMED_DAY:
        return _resolve_named_day(expr, pub, lex)
    return _resolve_relative(expr, pub, lex)


def _distance(expr: DateExpression, trigger: Token) -> int:
    span = expr.span
    if span.start <= trigger.i < span.end:
        return 0
    return min(abs(trigger.i - span.start), abs(trigger.i - (span.end - 1)))


def rank_expressions(sent: Span, trigger: Token, expressions: list[DateExpression]) -> list[DateExpression]:
    """The expressions that may date the trigger, best attached first (see ``clauses``)."""
    ranked = []
    for expr in expressions:
        rank = attachment_rank(expr.span, trigger, sent)
        if rank is not None:
            ranked.append((rank, _distance(expr, trigger), expr.start, expr))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


_NOUN_LINKS = ("dobj", "pobj", "prep")  # a nominal trigger climbs these to the verb it hangs on


def _perfect(trigger: Token) -> bool:
    """ "has met", "had threatened", "have been arrested", "has been lobbying", "the delegation,
    endorsed by the EU", "had told him the US would no longer supply arms": an act reported as done
    some time before the report (a perfect, a participle describing a noun, or the content of a
    report in the perfect), not on its day."""
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and verb.dep_ in _NOUN_LINKS:
        verb = verb.head
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    for _ in range(3):
        if _has_perfect_aux(verb):
            return True
        if verb.dep_ not in ("ccomp", "xcomp") or verb.head is verb:
            return False
        verb = verb.head
    return False


def _has_perfect_aux(verb: Token) -> bool:
    """A perfect, simple or progressive: "has met", "had been lobbying"."""
    if verb.tag_ not in ("VBN", "VBG"):
        return False
    auxes = {c.lemma_.lower() for c in verb.children if c.dep_ == "aux"}
    return "have" in auxes and (verb.tag_ == "VBN" or "be" in auxes)


def _antecedent(trigger: Token, lex: DateLexicon) -> bool:
    """Is the nominal trigger named as what came before the reported event ("following his talks",
    "over Turkish objections", "in the wake of the attack")?"""
    if trigger.dep_ != "pobj":
        return False
    prep = trigger.head
    if prep.lower_ in lex.antecedent_prepositions:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in lex.antecedent_nouns


def _publication(
    pub_date: dt.date | None, trigger: Token | None = None, lex: DateLexicon | None = None
) -> DateResolution:
    """With no date expression: the publication day; for an act in the perfect ("has met", "had
    threatened") or named as what came before the reported one ("after the talks"), done some time
    before the report, only the publication month."""
    if pub_date is None:
        return DateResolution()
    if trigger is not None and (_perfect(trigger) or _antecedent(trigger, lex or load_lexicon())):
        return DateResolution(
            date=_fmt(pub_date, MONTH),
            precision=MONTH,
            source=SOURCE_PUBLICATION,
            reason="no date expression, perfect tense or an earlier act: publication month",
        )
    return DateResolution(
        date=pub_date.isoformat(),
        precision=DAY,
        source=SOURCE_PUBLICATION,
        reason="no date expression: publication date",
    )


def _narrative(year: int | None) -> DateResolution:
    """An undated document's event with no date of its own: the year the text first names."""
    if year is None:
        return DateResolution()
    return DateResolution(
        date=f"{year:04d}",
        precision=YEAR,
        source=SOURCE_TEXT,
        reason="no date expression, no publication date: the year the text first names",
    )


def _in_story_year(expr: DateExpression, year: int, lex: DateLexicon) -> _Resolved:
    """An undated text's "in June" or "on Sunday": the month (and day) in the year its story is told
    in, else that year."""
    _, month, day = _calendar_parts(expr.span, lex) if expr.kind == PARTIAL else (None, None, None)
    if month is not None:
        try:
            return _Resolved(
                _fmt(dt.date(year, month, day or 1), DAY if day else MONTH),
                DAY if day else MONTH,
                "partial: in the story year",
            )
        except ValueError:
            pass
    return _Resolved(f"{year:04d}", YEAR, f"{expr.kind}: the story year")


def narrative_year(sent: Span, lexicon: DateLexicon | None = None) -> int | None:
    """The first year a sentence names ("In 1972, ..."): the first such year of an undated text
    is the year its story is told in."""
    lex = lexicon or load_lexicon()
    for expr in find_date_expressions(sent, lexicon=lex):
        year = _absolute_year(expr, lex) if expr.kind == ABSOLUTE else None
        if year is not None:
            return year
    return None


def _absolute_year(expr: DateExpression, lex: DateLexicon) -> int | None:
    """The year of ``_resolve_absolute(expr).date``, without asking dateparser when the words decide
    it: an expression with a year and a month and day that can be a date in it resolves in that year,
    parsed or not."""
    numeric = ISO_RE.search(expr.span.text) or NUMERIC_DATE_RE.search(expr.span.text)
    if numeric is None:
        year, month, day = _calendar_parts(expr.span, lex)
        if year is None:
            return None
        try:
            dt.date(year, month or 1, day or 1)
            return year
        except ValueError:
            pass
    date = _resolve_absolute(expr, lex).date
    return int(date[:4]) if date else None


def resolve_event_date(
    sent: Span, trigger: Token, pub_date: dt.date | None, story_year: int | None = None
) -> DateResolution:
    """The date of the event whose trigger is ``trigger`` in the parsed sentence ``sent``.

    The date expression attached to the trigger is resolved against ``pub_date``; with none in the
    sentence the publication date stands in (its month for an act in the perfect). A text with no
    publication date gives such an event the first year the text names (``story_year``), as year.
    Today's date is never used.
    """
    lex = load_lexicon()
    if isinstance(pub_date, dt.datetime):
        pub_date = pub_date.date()
    for expr in rank_expressions(sent, trigger, find_date_expressions(sent, lexicon=lex)):
        tense = clause_tense(expr.span.root, sent, lex)
        resolved = _resolve(expr, pub_date, tense, lex)
        if resolved.needs_publication and story_year is not None:
            resolved = _in_story_year(expr, story_year, lex)
        if resolved.date is not None or resolved.needs_publication:
            reason = resolved.reason
            if expr.kind in (WEEKDAY, PARTIAL):
                reason += f" ({tense or 'unknown'} tense)"
            return DateResolution(
                date=resolved.date,
                precision=resolved.precision,
                text=expr.text,
                start=expr.start,
                end=expr.end,
                source=SOURCE_TEXT if resolved.date is not None else None,
                reason=reason,
            )
        log.debug("date expression %r not resolved: %s", expr.text, resolved.reason)
    if pub_date is None:
        return _narrative(story_year)
    return _publication(pub_date, trigger, lex)
