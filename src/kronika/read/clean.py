"""Plain-text boilerplate cleaning: keep the report, cut what a web page wrapped around it.

The cleaner works line by line on the raw text and decides from the text's structure (where the
body starts, single-line paragraphs between body paragraphs, repeated lines, a caption repeated
with its photo credit) and from the pattern data files under ``data/boilerplate/``. Everything it
cuts is listed as a :class:`~kronika.document.Removed` span of the raw text. When unsure, it keeps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kronika.document import Removed
from kronika.read import pubdate
from kronika.read.patterns import Boilerplate, normalise_line

_SENTENCE_END = re.compile(r"[.!?…]['’\"”)\]]*$|['’\"”]$")
_REPORT_END = re.compile(r"[.!…]['’\"”)\]]*$|['’\"”]$")  # a statement, not a headline's question
_SENTENCE_INSIDE = re.compile(r"[.!?…]['’\"”)\]]*\s+(?=\S)")  # a sentence ending inside a line
_CSS_TOKEN = re.compile(r"^[a-z][a-z0-9]*(?:(?:__|--|[_-])[a-z0-9]+)+$")
_BULLET = re.compile(r"^(?:[•·*▪►-]|\d{1,3}[.)])\s+")
_CROSSHEAD = re.compile(r"^[–—-]\s*\S.*\S\s*[–—-]$")
_NAME_LINE = re.compile(r"^[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|bin|da|di|le|la)){1,3}$")
_WORD = re.compile(r"[\w'’-]+")
_BYLINE = re.compile(r"^(?:[Bb]y|BY)\s+[A-Z]")
_WIKI_HEADING = re.compile(r"(={2,6})[ \t]*([^=\n]{1,60}?)[ \t]*\1(?!=)")

# Kinds applied by pattern, in order of precedence.
_LINK_WORDS = 30  # the longest line read as a trailing link or tag list
PATTERN_KINDS = ("caption", "credit", "tags", "related-link", "advert", "share", "navigation")


@dataclass
class Line:
    """One raw line: its offsets in the raw text, and the kind of boilerplate it is (None = body)."""

    idx: int
    start: int
    end: int
    raw: str
    kind: str | None = None
    cut: int = 0  # characters removed from the start of the line (a glued-on headline)
    cut_kind: str | None = None
    tail: int | None = None  # where the kept part of the line ends (a wiki link section begins)

    @property
    def s(self) -> str:
        return self.raw.strip()

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.raw))


@dataclass
class Cleaned:
    """The body of a text and what was cut from it."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    title: str | None = None
    byline: str | None = None
    date: pubdate.DateMatch | None = None
    lead: str = ""


def split_lines(raw: str) -> list[Line]:
    """Split ``raw`` into lines that remember their offsets (the newline is not part of a line)."""
    lines: list[Line] = []
    pos = 0
    for m in re.finditer(r"\r\n|\r|\n", raw):
        lines.append(Line(len(lines), pos, m.start(), raw[pos : m.start()]))
        pos = m.end()
    lines.append(Line(len(lines), pos, len(raw), raw[pos:]))
    return lines


def _holds_sentences(line: Line) -> bool:
    """A long line, or one that holds a whole sentence before its last words, is a paragraph of the
    report even when those last words lack a full stop ("... Twenty were killed. == References ==")."""
    if line.words > _LINK_WORDS:
        return True
    ends = [m.end() for m in _SENTENCE_INSIDE.finditer(line.s)]
    return bool(ends) and is_sentence(line.s[: ends[-1]].strip())


def is_sentence(s: str, min_words: int = 6) -> bool:
    """A line that reads like body text: enough words and a sentence ending."""
    return len(_WORD.findall(s)) >= min_words and bool(_SENTENCE_END.search(s))


def _is_css(s: str) -> bool:
    tokens = _BULLET.sub("", s).split()
    return 0 < len(tokens) <= 8 and all(_CSS_TOKEN.match(t) for t in tokens)


def _pattern_kind(line: Line, bp: Boilerplate) -> str | None:
    s = line.s
    if _is_css(s):
        return "css"
    norm = normalise_line(s)
    for kind in PATTERN_KINDS:
        rules = bp.kinds.get(kind)
        if rules and rules.matches(s, norm):
            return kind
    for kind, rules in bp.kinds.items():  # kinds added by users' pattern files
        if kind not in PATTERN_KINDS and rules.matches(s, norm):
            return kind
    return None


def _neighbour(lines: list[Line], idx: int, step: int, kept_only: bool = False) -> Line | None:
    i = idx + step
    while 0 <= i < len(lines):
        line = lines[i]
        if not line.blank and (not kept_only or line.kind is None):
            return line
        i += step
    return None


def is_hard_wrapped(lines: list[Line]) -> bool:
    """Whether paragraphs run over several lines (text wrapped at a fixed width), rather than one line
    per paragraph: no long lines, and lines that break off mid-sentence into the next (twice into a
    lowercase word, or three times in all)."""
    if any(len(ln.raw) > 100 for ln in lines):
        return False
    breaks = lower = 0
    for a, b in zip(lines, lines[1:], strict=False):
        if b.blank or len(a.s) < 30 or _SENTENCE_END.search(a.s):
            continue
        lower += b.s[0].islower()
        breaks += len(a.s) >= 50 or b.s[0].islower()
    return lower >= 2 or breaks >= 3


class Cleaner:
    """Classifies the lines of one text; see :func:`clean_text`."""

    def __init__(self, raw: str, bp: Boilerplate, title: str | None = None) -> None:
        self.raw = raw
        self.bp = bp
        self.given_title = title
        self.lines = split_lines(raw)
        self.nonblank = [ln for ln in self.lines if not ln.blank]
        self.wrapped = is_hard_wrapped(self.lines)
        self.result = Cleaned(text="")

    def run(self) -> Cleaned:
        for line in self.nonblank:
            line.kind = _pattern_kind(line, self.bp)
        self._repeated_captions()
        body_start = self._body_start()
        self._comment_thread(body_start)
        self._link_lists(body_start)
        self._header(body_start)
        self._repeated_templates()
        self._glued_headlines(body_start)
        self._stray_headlines(body_start)
        self._trailing_links()
        self._link_sections()
        return self._assemble(body_start)

    # -- structure -----------------------------------------------------------------------------

    def _alone(self, idx: int) -> bool:
        """True when the line is a paragraph of its own: in hard-wrapped text, with blank or removed
        lines (or the text's edge) on both sides; otherwise every line is one."""
        if not self.wrapped:
            return True
        for j in (idx - 1, idx + 1):
            if 0 <= j < len(self.lines) and not self.lines[j].blank and self.lines[j].kind is None:
                return False
        return True

    def _body_start(self) -> int:
        for line in self.nonblank:
            if line.kind is None and (is_sentence(line.s, 8) or pubdate.find_dateline(line.s)):
                idx = line.idx  # the start of its paragraph (hard-wrapped text)
                while (
                    self.wrapped
                    and idx > 0
                    and not self.lines[idx - 1].blank
                    and self.lines[idx - 1].kind is None
                ):
                    idx -= 1
                return idx
        return len(self.lines)

    def _repeated_captions(self) -> None:
        """A line repeated by the next one plus a credit ("... (AFP/Getty Images)") is a caption."""
        for a, b in zip(self.nonblank, self.nonblank[1:], strict=False):
            if b.idx - a.idx > 2:
                continue
            sa, sb = a.s, b.s
            if a.words < 4:
                continue
            if sb.startswith(sa) and sb != sa:
                rest = sb[len(sa) :].strip()
                if b.kind == "caption" or re.fullmatch(r"[(\[].{1,80}[)\]]", rest):
                    a.kind = b.kind = "caption"
            elif sa.startswith(sb) and sa != sb and a.kind == "caption" and b.words >= 4:
                b.kind = "caption"
            elif sa == sb and a.kind is None and b.kind is None:
                b.kind = "duplicate"

    def _comment_thread(self, body_start: int) -> None:
        """From a comment-thread header after the body start, everything is the thread."""
        half = len(self.raw) / 2
        for line in self.nonblank:
            s, norm = line.s, normalise_line(line.s)
            strong = self.bp.strong_headers.matches(s, norm)
            weak = not strong and self.bp.weak_headers.matches(s, norm)
            if not (strong or weak):
                continue
            if line.idx < body_start or (weak and line.start < half):
                if line.kind is None:
                    line.kind = "navigation"
                continue
            for rest in self.lines[line.idx :]:
                if not rest.blank:
                    rest.kind = "comments"
            return

    def _header(self, body_start: int) -> None:
        """Before the body: the date line, the byline and the headline."""
        head = [ln for ln in self.nonblank if ln.idx < body_start and ln.kind is None]
        self._date_and_byline(head)
        self._names_by_date(head)
        self._headline(head)

    def _date_and_byline(self, head: list[Line]) -> None:
        """Header lines with a date ("March 3, 2016 10:42") or a byline ("By Jane Doe")."""
        res = self.result
        for line in head:
            found = pubdate.header_date(line.s)
            if found is not None:
                line.kind = "date"
                if res.date is None:
                    res.date = found
                    res.byline = res.byline or pubdate.byline_from(line.s)
            elif _BYLINE.match(line.s) and line.words <= 10:
                line.kind = "byline"
                res.byline = res.byline or pubdate.byline_from(line.s)

    def _names_by_date(self, head: list[Line]) -> None:
        """A bare name right above or below the date line is the author."""
        res = self.result
        for line in head:
            if line.kind is None and _NAME_LINE.match(line.s):
                near = [_neighbour(self.lines, line.idx, -1), _neighbour(self.lines, line.idx, 1)]
                if any(n is not None and n.kind == "date" for n in near):
                    line.kind = "byline"
                    res.byline = res.byline or line.s

    def _headline(self, head: list[Line]) -> None:
        """The headline: the first remaining line above the body, if more text follows it."""
        for line in head:
            if line.kind is not None:
                continue
            s = line.s
            if self.given_title is not None and normalise_line(s) != normalise_line(self.given_title):
                break
            later = any(ln.kind is None and ln.idx > line.idx for ln in self.nonblank)
            alone = self._alone(line.idx)
            if later and alone and line.words <= 30 and not s.endswith("."):
                line.kind = "title"
                self.result.title = s
            break

    def _repeated_templates(self) -> None:
        """Short non-sentence lines that recur in the text are page furniture."""
        counts = Counter(normalise_line(ln.s) for ln in self.nonblank if ln.kind is None and ln.words <= 6)
        for line in self.nonblank:
            if line.kind is None and line.words <= 6 and not _SENTENCE_END.search(line.s):
                if counts[normalise_line(line.s)] >= 2 and self._alone(line.idx):
                    line.kind = "navigation"

    def _link_lists(self, body_start: int) -> None:
        """Menus, tag lists and link lists: three or more lines in a row, each removed already or short
        (no sentence ending; at most three words above the body, five below), with at least two short
        ones. The short lines take the kind of the nearest removed line above them in the run ("Related
        Topics" → tags). Date and byline lines belong to the header and are left to it."""
        run: list[Line] = []
        for line in [*self.lines, Line(len(self.lines), len(self.raw), len(self.raw), "")]:
            meta = line.idx < body_start and (pubdate.header_date(line.s) or _BYLINE.match(line.s))
            limit = 3 if line.idx < body_start else 5
            short = (
                line.kind is None
                and not meta
                and 1 <= line.words <= limit
                and not _SENTENCE_END.search(line.s)
            )
            if not line.blank and (line.kind is not None or short):
                run.append(line)
                continue
            kept = [ln for ln in run if ln.kind is None]
            if len(run) >= 3 and len(kept) >= 2:
                kind = "navigation"
                for ln in run:
                    if ln.kind is None:
                        ln.kind = kind
                    elif re.search(r"[A-Za-z]", ln.s):
                        kind = ln.kind
            run = []

    def _trailing_links(self) -> None:
        """After the last sentence of the report, short lines that do not end a sentence (link and tag
        lists, "Who are the Rapid Support Forces?") are not part of it. A long line is a paragraph of the
        report even when its last words lack a full stop ("... ==References==")."""
        kept = [ln for ln in self.nonblank if ln.kind is None]
        last = next((ln for ln in reversed(kept) if is_sentence(ln.s) and _REPORT_END.search(ln.s)), None)
        if last is None:
            return
        for line in kept:
            if line.idx <= last.idx or _CROSSHEAD.match(line.s) or _holds_sentences(line):
                continue
            if not _SENTENCE_END.search(line.s) or (line.s.endswith("?") and line.words <= 10):
                line.kind = "related-link"

    def _glued_headlines(self, body_start: int) -> None:
        """ "Peace talks with Erdogan, RouhaniThe country is ...": cut the glued-on headline."""
        if not self.bp.glue_starters:
            return
        starters = "|".join(re.escape(w) for w in sorted(self.bp.glue_starters, key=len, reverse=True))
        glue = re.compile(rf"^(\s*[^.!?:;“”\"]{{6,140}}?[a-z])(?:{starters})\b(?=\s)")
        for line in self.nonblank:
            if line.kind is not None or line.idx < body_start:
                continue
            m = glue.match(line.raw)
            if m and len(m.group(1).split()) >= 3 and is_sentence(line.raw[m.end(1) :]):
                line.cut = m.end(1)
                line.cut_kind = "related-link"

    def _stray_headlines(self, body_start: int) -> None:
        """A short line without final punctuation standing alone between body paragraphs (or
        after the last one) is a related-article headline or a stray fragment."""
        for line in self.nonblank:
            if line.kind is not None or line.idx <= body_start:
                continue
            s = line.s
            if not (2 <= line.words <= 14) or _SENTENCE_END.search(s) or s.endswith((":", ";", ",")):
                continue
            if _CROSSHEAD.match(s) or s[0] in "“\"‘'(" or not s[0].isupper() or _holds_sentences(line):
                continue
            if not self._alone(line.idx):
                continue
            before = _neighbour(self.lines, line.idx, -1, kept_only=True)
            after = _neighbour(self.lines, line.idx, 1, kept_only=True)
            if before is None or not _SENTENCE_END.search(before.s):
                continue
            if after is not None and not _SENTENCE_END.search(after.s):
                continue
            line.kind = "related-link"

    def _link_sections(self) -> None:
        """ "==See also== * 2007 Bagram Airfield bombing * ...": a wiki section of links, sources or
        notes (``link_sections``) is cut from its heading to the next heading or the end."""
        if not self.bp.link_sections:
            return
        cutting = False
        for line in self.nonblank:
            if line.kind is None:
                cutting = self._cut_link_sections(line, cutting)
        for line in self.nonblank:
            if line.tail is not None and not line.raw[line.cut : line.tail].strip():
                line.kind, line.tail = "navigation", None

    def _cut_link_sections(self, line: Line, cutting: bool) -> bool:
        """Mark the part of one line inside a link section; True when the section goes on after it."""
        headings = list(_WIKI_HEADING.finditer(line.raw))
        for m in headings:
            links = m.group(2).strip().lower() in self.bp.link_sections
            if links and not cutting:
                line.tail, cutting = m.start(), True
            elif not links and cutting:
                cutting = False
                if line.tail is None:  # the section began on an earlier line
                    line.cut, line.cut_kind = m.start(), "navigation"
        if cutting and not headings:
            line.kind = "navigation"
        return cutting

    # -- output --------------------------------------------------------------------------------

    def _assemble(self, body_start: int) -> Cleaned:
        res = self.result
        parts: list[str] = []
        spans: list[Removed] = []
        last_kept = -2
        for line in self.lines:
            if line.blank:
                continue
            if line.kind is not None:
                lead = len(line.raw) - len(line.raw.lstrip())
                spans.append(Removed(line.start + lead, line.start + len(line.raw.rstrip()), line.kind))
                continue
            kept = line.raw[line.cut : line.tail].strip()
            if line.tail is not None:
                tail_start = line.start + line.tail
                spans.append(Removed(tail_start, line.start + len(line.raw.rstrip()), "navigation"))
            if line.cut:
                lead = len(line.raw) - len(line.raw.lstrip())
                cut_end = line.start + len(line.raw[: line.cut].rstrip())
                spans.append(Removed(line.start + lead, cut_end, line.cut_kind or "related-link"))
            if parts:
                parts.append("\n" if line.idx == last_kept + 1 else "\n\n")
            parts.append(kept)
            last_kept = line.idx
            if not res.lead and line.idx >= body_start:
                res.lead = kept
        res.text = "".join(parts)
        res.removed = _merge(spans, self.raw)
        return res


def _merge(spans: list[Removed], raw: str) -> list[Removed]:
    """Join neighbouring spans of the same kind separated only by whitespace."""
    merged: list[Removed] = []
    for span in sorted(spans, key=lambda r: r.start):
        prev = merged[-1] if merged else None
        if prev and prev.kind == span.kind and not raw[prev.end : span.start].strip():
            prev.end = span.end
        else:
            merged.append(Removed(span.start, span.end, span.kind))
    return merged


def clean_text(raw: str, bp: Boilerplate, title: str | None = None) -> Cleaned:
    """Cut boilerplate from a plain text.

    ``title`` is the headline when the source gave one: a first line repeating it is removed as
    ``title``; a different first line is then kept.
    """
    return Cleaner(raw, bp, title).run()
