"""Publication dates from the text: date lines under the headline, datelines, and year inference.

No date is ever invented. A date counts only when the text spells out day, month and year
(dateparser runs with ``REQUIRE_PARTS`` and the year must appear in the matched text). A dateline
without a year ("MOSCOW, Feb 24 –") gets its year only from evidence: the weekday the lead
paragraph names must fall on that day, and another document of the same batch with a known date
a few days away must report the same story (see :class:`YearResolver`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import dateparser

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WDAY = r"(?:(?:Mon|Tue|Tues|Wed|Wednes|Thu|Thur|Thurs|Fri|Sat|Satur|Sun)(?:day)?\.?,?\s+)"
_TIME = (
    r"(?:\s*(?:[,/|•·–—-]|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|PST|PDT|ET|MSK|IST|[+-]\d{2}:?\d{2}))?)?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
DATE_RE = re.compile(
    rf"(?:{_WDAY}?{_DAY}\s+{_MON},?\s+{_YEAR}{_TIME})"
    rf"|(?:{_WDAY}?{_MON}\s+{_DAY},?\s+{_YEAR}{_TIME})"
    rf"|(?:{_YEAR}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)",
    re.IGNORECASE,
)
_PARSE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTH_NUM = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}

# "MOSCOW, Feb 24 –", "MOSCOW (Reuters) -", "Beirut, March 3, 2016 (AFP) -", "BEIRUT —"
_CAPS_PLACE = (
    r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}(?:,\s*[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+)?)?"
)
_TITLE_PLACE = r"[A-Z][a-z.'’\-]+(?:\s+[A-Z][a-z.'’\-]+){0,2}"
_DL_DATE = rf"(?P<date>{_MON}\s+\d{{1,2}}(?:,?\s+(?P<year>{_YEAR}))?)"
_AGENCY = r"\((?P<agency>[A-Z][\w .&'’-]{1,30})\)"
_DASH = r"\s*[-–—:]+\s+"
DATELINE_RES = (
    re.compile(rf"^(?P<place>{_CAPS_PLACE})(?:\s*,\s*{_DL_DATE})?\s*(?:{_AGENCY})?{_DASH}"),
    re.compile(rf"^(?P<place>{_TITLE_PLACE})\s*,\s*{_DL_DATE}\s*(?:{_AGENCY})?{_DASH}"),
    re.compile(rf"^(?P<place>{_TITLE_PLACE})\s*{_AGENCY}{_DASH}"),
    # "SOCHI (Anatolia Post), November 22, 2017 -"
    re.compile(rf"^(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE})\s*{_AGENCY}\s*,\s*{_DL_DATE}{_DASH}"),
    # "(Gulf Observer) March 2, 2016 -": the publisher and the date, no place
    re.compile(rf"^(?P<place>){_AGENCY}\s*,?\s*{_DL_DATE}{_DASH}"),
)


@dataclass
class DateMatch:
    """A full publication date found in the text, with the words it was read from."""

    date: dt.date
    text: str
    start: int
    end: int


@dataclass
class Dateline:
    """The place (and maybe date and agency) that opens the first paragraph."""

    place: str
    text: str
    date_text: str | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    agency: str | None = None

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


def parse_date(text: str) -> dt.date | None:
    """Parse a date that names day, month and year; None when any part is missing."""
    if not re.search(_YEAR, text):
        return None
    cleaned = re.sub(r"\s*[/|•·]\s*", " ", text).strip()
    for candidate in (cleaned, re.sub(_TIME + "$", "", cleaned, flags=re.IGNORECASE).strip()):
        try:
            parsed = dateparser.parse(candidate, languages=["en"], settings=_PARSE_SETTINGS)
        except Exception:  # dateparser raises a variety of errors on odd input
            parsed = None
        if parsed is not None and str(parsed.year) in text:
            return parsed.date()
    return None


def find_date(line: str) -> DateMatch | None:
    """The first full date (day, month and year) in ``line``."""
    for m in DATE_RE.finditer(line):
        date = parse_date(m.group(0))
        if date is not None:
            return DateMatch(date, m.group(0).strip(" ,/|–—-"), m.start(), m.end())
    return None


def header_date(line: str) -> DateMatch | None:
    """A date when ``line`` is a date line ("November 22, 2017 | By | Reply More"), not a sentence."""
    s = line.strip()
    if len(s) > 160:
        return None
    found = find_date(s)
    if found is None:
        return None
    rest = (s[: found.start] + " " + s[found.end :]).strip()
    rest_words = re.findall(r"[A-Za-z]+", rest)
    if len(rest_words) > 8 or (rest.endswith(".") and len(rest_words) > 4):
        return None
    return found


def byline_from(line: str) -> str | None:
    """The author named in a "By Jane Roe" line or date line, if any."""
    m = re.search(r"\b[Bb]y\s+([A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|el|bin))*)", line)
    if m:
        return m.group(1).strip()
    return None


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline that opens ``paragraph`` ("MOSCOW, Feb 24 –", "MOSCOW (Reuters) -")."""
    head = paragraph.lstrip()[:160]
    for i, regex in enumerate(DATELINE_RES):
        m = regex.match(head)
        if not m:
            continue
        groups = m.groupdict()
        if i == 0 and not groups.get("date") and not groups.get("agency"):
            # A bare capitalised word followed by a dash must look like a place in capitals.
            if not re.fullmatch(r"[A-Z][A-Z .'’\-,]{2,}", m.group("place")):
                continue
        place = m.group("place").strip(" ,")
        dl = Dateline(place=place, text=m.group(0).strip(), agency=groups.get("agency"))
        if groups.get("date"):
            dl.date_text = groups["date"].strip()
            mm = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2})", dl.date_text)
            if mm:
                dl.month = _MONTH_NUM.get(mm.group(1)[:3].lower())
                dl.day = int(mm.group(2))
            if groups.get("year"):
                dl.year = int(groups["year"])
        return dl
    return None


def weekdays_named(text: str) -> set[int]:
    """Weekdays (0 = Monday) that ``text`` names."""
    return {WEEKDAYS.index(w.lower()) for w in _WEEKDAY_RE.findall(text)}


def years_with_weekday(month: int, day: int, weekdays: set[int], first: int = 1990) -> list[int]:
    """Years in which ``month``/``day`` falls on one of ``weekdays`` (up to next year)."""
    last = dt.date.today().year + 1
    years = []
    for year in range(first, last + 1):
        try:
            if dt.date(year, month, day).weekday() in weekdays:
                years.append(year)
        except ValueError:
            continue
    return years


_STOP = frozenset(
    """
    about above after again against also among an and another any are around as at be because been
    before being between both but by can could did does during each either even every few for from
    further had has have having he her here hers him his how however if in into is it its itself just
    last like made make many may more most much must near new next no nor not now of off on once only
    or other our out over own per said same says she should since so some still such than that the
    their them then there these they this those through to today told too under until up upon very
    was we week were what when where whether which while who whom whose why will with within without
    would year years yesterday you your monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    president minister prime government official officials spokesman spokeswoman state news
    """.split()
)


def fingerprint(text: str, size: int = 60) -> frozenset[str]:
    """A small set of the words that identify a story: names first, then frequent content words."""
    names = Counter(w.lower() for w in re.findall(r"\b[A-Z][a-z]{2,}(?:-[A-Za-z]+)*\b", text))
    words = Counter(w.lower() for w in re.findall(r"\b[a-z]{5,}\b", text))
    for w in list(names):
        if w in _STOP:
            del names[w]
    for w in list(words):
        if w in _STOP:
            del words[w]
    picked = [w for w, _ in names.most_common(size // 2)]
    picked += [w for w, _ in words.most_common(size) if w not in names][: size - len(picked)]
    return frozenset(picked)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two fingerprints."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass
class PendingYear:
    """A document whose date lacks its year, waiting for the rest of the batch."""

    month: int
    day: int
    weekdays: set[int]
    fingerprint: frozenset[str]
    date_text: str


@dataclass
class YearResolver:
    """Infers missing years from the dated documents of a batch (keeps only fingerprints).

    A candidate year is supported by a dated document no more than ``max_days`` away whose
    fingerprint shares at least ``min_shared`` words and ``min_similarity`` of the smaller one.
    """

    min_similarity: float = 0.15
    min_shared: int = 6
    max_days: int = 3
    max_known: int = 50_000
    known: list[tuple[dt.date, frozenset[str]]] = field(default_factory=list)

    def add(self, date: dt.date, text: str) -> None:
        """Remember a document with a known date (its fingerprint only)."""
        if len(self.known) < self.max_known:
            self.known.append((date, fingerprint(text)))

    def resolve(self, pending: PendingYear) -> tuple[dt.date | None, str]:
        """The inferred date and why, or None and why not."""
        if not pending.weekdays:
            return None, f"year unknown for {pending.date_text!r}: the lead paragraph names no weekday"
        years = years_with_weekday(pending.month, pending.day, pending.weekdays)
        if not years:
            return None, f"year unknown for {pending.date_text!r}: no year fits the weekday named"
        supported: dict[int, float] = {}
        for year in years:
            day = dt.date(year, pending.month, pending.day)
            for known_date, fp in self.known:
                if abs((known_date - day).days) <= self.max_days:
                    score = similarity(pending.fingerprint, fp)
                    if score >= self.min_similarity and len(pending.fingerprint & fp) >= self.min_shared:
                        supported[year] = max(score, supported.get(year, 0.0))
        if len(supported) == 1:
            year = next(iter(supported))
            return dt.date(year, pending.month, pending.day), (
                f"year {year} inferred for {pending.date_text!r}: the weekday agrees and a dated "
                f"document of the batch reports the same story (similarity {supported[year]:.2f})"
            )
        if len(supported) > 1:
            listed = ", ".join(str(y) for y in sorted(supported))
            return None, f"year unknown for {pending.date_text!r}: several years fit ({listed})"
        return None, (
            f"year unknown for {pending.date_text!r}: no dated document of the batch reports the same "
            "story within a few days"
        )
