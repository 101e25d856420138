"""One text or HTML page (an Item) to one Document: clean, date, dateline, language."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from kronika.config import Settings
from kronika.document import STATUS_FAILED, STATUS_SKIPPED, Document
from kronika.read import pubdate
from kronika.read.clean import Cleaned, clean_text
from kronika.read.errors import ReadError
from kronika.read.formats import Item
from kronika.read.language import detect_language
from kronika.read.patterns import load_boilerplate

log = logging.getLogger(__name__)

ACCEPTED_LANGUAGES = frozenset({"en"})


def failed(doc_id: str, error: ReadError, path: str | None = None, url: str | None = None) -> Document:
    """The status record of a document that could not be read."""
    return Document(doc_id=doc_id, status=error.status, reason=error.reason, path=path, url=url)


def cap_text(text: str, settings: Settings, warnings: list[str]) -> str:
    """Cut ``text`` to ``settings.max_bytes`` (UTF-8) with a warning."""
    if len(text) * 4 <= settings.max_bytes:
        return text
    data = text.encode("utf-8")
    if len(data) <= settings.max_bytes:
        return text
    warnings.append(f"truncated: the text is {len(data)} bytes; kept the first {settings.max_bytes}")
    return data[: settings.max_bytes].decode("utf-8", errors="ignore")


def build_document(
    text: str,
    doc_id: str,
    *,
    pub_date: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    path: str | None = None,
    byline: str | None = None,
    publisher: str | None = None,
    settings: Settings | None = None,
    warnings: list[str] | None = None,
) -> tuple[Document, pubdate.PendingYear | None]:
    """Clean ``text`` into a Document; also returns what is needed to infer a missing year."""
    settings = settings or Settings()
    warnings = list(warnings or [])
    if not text.strip():
        return failed(doc_id, ReadError("empty"), path, url), None
    text = cap_text(text, settings, warnings)
    cleaned = clean_text(text, load_boilerplate(settings), title=title)
    doc = Document(
        doc_id=doc_id,
        text=cleaned.text,
        title=title or cleaned.title,
        url=url,
        path=path,
        byline=byline or cleaned.byline,
        publisher=publisher,
        removed=cleaned.removed,
        warnings=warnings,
    )
    if not cleaned.text.strip():
        doc.status, doc.reason = STATUS_SKIPPED, ReadError("no-body").reason
        return doc, None
    if not _accept_language(doc, cleaned.text):
        return doc, None
    return doc, _date_document(doc, cleaned, pub_date)


def _accept_language(doc: Document, text: str) -> bool:
    """Record the language of ``text``; a text in a language not coded is skipped."""
    lang, _prob = detect_language(text)
    doc.language = lang
    if lang is None:
        doc.warnings.append("language: text too short to identify its language; read as English")
    elif lang not in ACCEPTED_LANGUAGES:
        doc.status, doc.reason = STATUS_SKIPPED, f"language: {lang}"
        return False
    return True


def _date_document(doc: Document, cleaned: Cleaned, pub_date: dt.date | None) -> pubdate.PendingYear | None:
    """Give ``doc`` its dateline and publication date: the given one, else one found in the text; a
    dateline without a year returns what is needed to infer it."""
    dateline = _apply_dateline(doc, cleaned)
    found = _found_date(doc, cleaned, dateline)
    if pub_date is not None:
        doc.pub_date = pub_date
        if found is not None and found != pub_date:
            doc.warnings.append(
                f"pub_date: the given date {pub_date.isoformat()} differs from "
                f"{doc.pub_date_text!r} in the text"
            )
        return None
    if found is not None:
        doc.pub_date = found
        return None
    if dateline is not None and dateline.month and dateline.day:
        doc.pub_date_text = dateline.date_text
        first_para = cleaned.lead
        return pubdate.PendingYear(
            month=dateline.month,
            day=dateline.day,
            weekdays=pubdate.weekdays_named(first_para),
            fingerprint=pubdate.fingerprint(cleaned.text),
            date_text=dateline.date_text or "",
        )
    return None


def _apply_dateline(doc: Document, cleaned: Cleaned) -> pubdate.Dateline | None:
    """The dateline of the lead paragraph ("MOSCOW (Reuters) -"): its place, and its agency as publisher."""
    dateline = pubdate.find_dateline(cleaned.lead) if cleaned.lead else None
    if dateline is not None:
        doc.dateline = dateline.place or None
        if dateline.agency and not doc.publisher:
            doc.publisher = dateline.agency
    return dateline


def _found_date(doc: Document, cleaned: Cleaned, dateline: pubdate.Dateline | None) -> dt.date | None:
    """The publication date written in the text or its dateline (its words go to ``pub_date_text``)."""
    found: dt.date | None = None
    if cleaned.date is not None:
        found, doc.pub_date_text = cleaned.date.date, cleaned.date.text
    elif dateline is not None and dateline.date is not None:
        found, doc.pub_date_text = dateline.date, dateline.date_text
    return found


def settle_year(doc: Document, pending: pubdate.PendingYear, resolver: pubdate.YearResolver | None) -> None:
    """Give ``doc`` the inferred date, or leave it null with a warning that says why."""
    if resolver is None:
        date, why = None, f"year unknown for {pending.date_text!r}: no other documents to compare with"
    else:
        date, why = resolver.resolve(pending)
    doc.pub_date = date
    doc.warnings.append(f"pub_date: {why}")


def read_text(
    text: str,
    doc_id: str,
    pub_date: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> Document:
    """Clean one plain text into a Document (boilerplate removed, date, dateline, language)."""
    return _read_alone(Item(doc_id, text=text, title=title, url=url, date=pub_date), settings)


# -- HTML ---------------------------------------------------------------------------------------


def extract_html(html: str) -> dict[str, str | None]:
    """Main text and metadata of a page with trafilatura (offline: nothing is fetched)."""
    import trafilatura

    try:
        out = trafilatura.extract(
            html,
            output_format="json",
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds of parse errors
        raise ReadError("html", f"the HTML cannot be parsed ({type(exc).__name__}: {exc})") from exc
    if not out:
        raise ReadError("html")
    meta = json.loads(out)
    return {k: meta.get(k) for k in ("text", "title", "author", "date", "sitename", "hostname", "source")}


def _html_date(value: str | None, html: str) -> dt.date | None:
    """A metadata date only when the page itself carries that year."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m or m.group(1) not in html:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_item(
    item: Item, settings: Settings | None = None, pub_date: dt.date | None = None
) -> tuple[Document, pubdate.PendingYear | None]:
    """Turn one raw Item (a text or an HTML page) into a Document, and a pending year inference if any.

    ``pub_date`` overrides the date the item carries. An HTML page is extracted first (article text
    and metadata), then cleaned like a plain text.
    """
    if item.error is not None:
        doc = failed(item.doc_id, item.error, item.path, item.url)
        doc.warnings.extend(item.warnings)
        return doc, None
    given = pub_date or item.date
    text, title, url = item.text or "", item.title, item.url
    meta: dict[str, str | None] = {}
    if item.html is not None:
        try:
            if not item.html.strip():
                raise ReadError("empty")
            meta = extract_html(item.html)
        except ReadError as err:
            return failed(item.doc_id, err, item.path, item.url), None
        # trafilatura puts one paragraph per line; blank lines let the cleaner see paragraphs.
        text = "\n\n".join(ln for ln in (meta.get("text") or "").splitlines() if ln.strip())
        title, url = title or meta.get("title"), url or meta.get("source")
    date = given or _html_date(meta.get("date"), item.html or "")
    doc, pending = build_document(
        text,
        item.doc_id,
        pub_date=date,
        title=title,
        url=url,
        path=item.path,
        byline=meta.get("author"),
        publisher=meta.get("sitename"),
        settings=settings,
        warnings=item.warnings,
    )
    if item.html is not None:
        if date is not None and given is None and doc.pub_date_text is None:  # the page's own date
            doc.pub_date_text = meta.get("date")
        if doc.status == STATUS_FAILED and doc.reason and doc.reason.startswith("empty"):
            doc.reason = ReadError("html").reason  # the page had no article text
    return doc, pending


def read_html(
    html: str,
    doc_id: str,
    pub_date: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> Document:
    """Read one HTML page into a Document (trafilatura extraction, then the plain-text cleaner)."""
    return _read_alone(Item(doc_id, html=html, title=title, url=url, date=pub_date), settings)


def _read_alone(item: Item, settings: Settings | None) -> Document:
    """One document read on its own: a year its date lacks has no other documents to be inferred from."""
    doc, pending = read_item(item, settings)
    if pending is not None:
        settle_year(doc, pending, None)
    return doc
