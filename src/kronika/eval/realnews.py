"""Score the coder on real articles coded by hand into PLOVER events (document-level gold).

A gold folder holds ``docs.jsonl`` (``{"id", "text", "date"}`` one article a line) and ``gold/<id>.json``
(``{"doc_id", "pub_date", "events": [{"type", "mode", "actor", "recipient", "date", "modality", "quote",
"trigger"}]}``). The articles are read and coded as ``kronika code docs.jsonl`` would, then scored per
article with the folder's published rules:

* a coded event *sits at* a gold event when the gold ``quote`` and the event's sentence (lower-cased,
  white space folded, curly quotes straight) contain one another or share a common run of at least
  60 % of the shorter one;
* a *type match* sits there and has the gold type among its types; a *triple match* is a type match
  whose parties agree (country codes only, first three letters, IGO/UNO/EUR one code; reciprocal types
  either way round, and a gold event listing every party as actor matches parties within them);
* each gold event and each coded event is matched at most once (first free candidate in file order);
  an unmatched coded event that repeats a gold event of the article (same type, agreeing parties)
  counts neither way;
* date accuracy: among triple matches with a gold date, the share whose coded date equals it or is a
  month-or-finer prefix of it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.eval.gold import CODE_FIXES, OLD_LABELS, _prf

RECIPROCAL = frozenset({"CONSULT", "AGREE", "COOPERATE"})
IGO_SAME = {"UNO": "IGO", "EUR": "IGO"}
UNKNOWN = {"UNK", ""}
RUN_SHARE = 0.6
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "«": '"', "»": '"'})

Match = Callable[[dict[str, Any], dict[str, Any]], bool]


def normalise(text: str) -> str:
    """Lower case, white space folded, curly quotes made straight."""
    return " ".join(text.translate(_QUOTES).lower().split())


def same_place(quote: str, sentence: str) -> bool:
    """Whether a gold quote and a coded sentence (both normalised) state the same thing."""
    if not quote or not sentence:
        return False
    if quote in sentence or sentence in quote:
        return True
    short = min(len(quote), len(sentence))
    m = SequenceMatcher(None, quote, sentence, autojunk=False).find_longest_match(
        0, len(quote), 0, len(sentence)
    )
    return m.size >= RUN_SHARE * short


def country(code: Any) -> str:
    """The comparable part of an actor code: three letters, typos fixed, international bodies as one."""
    c = str(code or "").upper()[:3]
    c = CODE_FIXES.get(c, c)
    return IGO_SAME.get(c, c)


def _codes(parties: Iterable[dict[str, Any]]) -> set[str]:
    return {country(p.get("code")) for p in parties if p.get("code")}


def _directed(g_act: set[str], g_rec: set[str], c_act: set[str], c_rec: set[str]) -> bool:
    if g_act and not c_act & g_act:
        return False
    if g_rec:
        return bool(c_rec & g_rec)
    return c_rec <= g_act


def parties_agree(gold: dict[str, Any], coded: dict[str, Any]) -> bool:
    """Whether the coded parties agree with the gold ones, by the published rules."""
    g_act, g_rec = _codes(gold.get("actor", [])), _codes(gold.get("recipient", []))
    c_act, c_rec = _codes(coded.get("actor", [])), _codes(coded.get("recipient", []))
    if gold["type"] not in RECIPROCAL:
        return _directed(g_act, g_rec, c_act, c_rec)
    if g_rec:  # a reciprocal event coded with a direction: either direction
        return _directed(g_act, g_rec, c_act, c_rec) or _directed(g_act, g_rec, c_rec, c_act)
    # every party as actor: the coded parties lie within them and include two (one when gold has one)
    named = (c_act | c_rec) - UNKNOWN
    return named <= g_act and len(named & g_act) >= min(2, len(g_act))


def type_match(gold: dict[str, Any], coded: dict[str, Any]) -> bool:
    return gold["type"] in coded["types"] and same_place(gold["quote_n"], coded["text_n"])


def triple_match(gold: dict[str, Any], coded: dict[str, Any]) -> bool:
    return type_match(gold, coded) and parties_agree(gold, coded)


def _repeats(coded: dict[str, Any], golds: Sequence[dict[str, Any]]) -> bool:
    return any(g["type"] in coded["types"] and parties_agree(g, coded) for g in golds)


def date_right(gold: str | None, coded: str | None) -> bool:
    """The coded date equals the gold one or is a month-or-finer prefix of it."""
    if not gold or not coded:
        return False
    return coded == gold or (len(coded) >= 7 and gold.startswith(coded))


@dataclass
class ArticleScore:
    """Matches in one article: pairs (gold index, coded index) and the coded events that count as false."""

    pairs: list[tuple[int, int]]
    false: list[int]


def score_article(
    golds: Sequence[dict[str, Any]], coded: Sequence[dict[str, Any]], match: Match
) -> ArticleScore:
    """Greedy one-to-one matching in file order, then the false positives (repeats excluded)."""
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(golds):
        for ci, c in enumerate(coded):
            if ci not in used and match(g, c):
                used.add(ci)
                pairs.append((gi, ci))
                break
    false = [ci for ci, c in enumerate(coded) if ci not in used and not _repeats(c, golds)]
    return ArticleScore(pairs, false)


@dataclass
class RealNewsReport:
    n_articles: int
    n_gold: int
    n_coded: int
    type: dict[str, float]
    triple: dict[str, float]
    date_accuracy: float
    n_dated: int
    per_type: dict[str, dict[str, float]]
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, with_errors: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "n_articles": self.n_articles,
            "n_gold": self.n_gold,
            "n_coded": self.n_coded,
            "type": self.type,
            "triple": self.triple,
            "date_accuracy": self.date_accuracy,
            "n_dated": self.n_dated,
            "per_type": self.per_type,
        }
        if with_errors:
            d["misses"] = self.misses
            d["false_positives"] = self.false_positives
        return d


def load_gold_folder(folder: Path, doc_ids: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Gold events per article id, types mapped to PLOVER 2021 and quotes normalised."""
    wanted = set(doc_ids) if doc_ids is not None else None
    gold: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((folder / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        doc_id = data.get("doc_id") or path.stem
        if wanted is not None and doc_id not in wanted:
            continue
        events = []
        for e in data.get("events", []):
            e = dict(e)
            e["type"] = OLD_LABELS.get(e["type"], e["type"])
            e["quote_n"] = normalise(e.get("quote") or "")
            events.append(e)
        gold[doc_id] = events
    return gold


def _coded_view(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **record,
        "types": [OLD_LABELS.get(t, t) for t in record["event"]],
        "text_n": normalise(record.get("text") or ""),
    }


def code_folder(
    folder: Path, doc_ids: Iterable[str], settings: Settings | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Read and code the folder's ``docs.jsonl`` as ``kronika code`` does; records per article id."""
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    wanted = set(doc_ids)
    docs = [d for d in read_inputs([folder / "docs.jsonl"]) if d.doc_id in wanted]
    return {
        doc.doc_id: [_coded_view(e.to_dict()) for e in events]
        for doc, events in code_documents(docs, settings)
    }


def _party_text(parties: Iterable[dict[str, Any]]) -> list[str]:
    return [f"{p.get('code')} {p.get('sector')}" for p in parties]


def _listing(doc_id: str, e: dict[str, Any], gold: bool) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "type": e["type"] if gold else e["types"],
        "actor": _party_text(e.get("actor", [])),
        "recipient": _party_text(e.get("recipient", [])),
        "date": e.get("date"),
        "text": e.get("quote") if gold else e.get("text"),
        **({} if gold else {"trigger": e.get("event_text"), "rule": e.get("rule")}),
    }


def score(gold: dict[str, list[dict[str, Any]]], coded: dict[str, list[dict[str, Any]]]) -> RealNewsReport:
    """Score coded records against gold events with the published rules."""
    counts: Counter[str] = Counter()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    dated = right = 0
    misses: list[dict[str, Any]] = []
    false_pos: list[dict[str, Any]] = []
    for doc_id, golds in gold.items():
        events = coded.get(doc_id, [])
        typed = score_article(golds, events, type_match)
        counts["type_tp"] += len(typed.pairs)
        counts["type_fp"] += len(typed.false)
        counts["type_fn"] += len(golds) - len(typed.pairs)
        triple = score_article(golds, events, triple_match)
        matched = {gi for gi, _ in triple.pairs}
        for gi, ci in triple.pairs:
            tp[golds[gi]["type"]] += 1
            if golds[gi].get("date"):
                dated += 1
                right += date_right(golds[gi]["date"], events[ci].get("date"))
        for ci in triple.false:
            fp[events[ci]["types"][0]] += 1
            false_pos.append(_listing(doc_id, events[ci], gold=False))
        for gi, g in enumerate(golds):
            if gi not in matched:
                fn[g["type"]] += 1
                misses.append(_listing(doc_id, g, gold=True))
    types = sorted(set(tp) | set(fp) | set(fn))
    return RealNewsReport(
        n_articles=len(gold),
        n_gold=sum(len(g) for g in gold.values()),
        n_coded=sum(len(coded.get(d, [])) for d in gold),
        type=_prf(counts["type_tp"], counts["type_fp"], counts["type_fn"]),
        triple=_prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        date_accuracy=round(right / dated, 4) if dated else 0.0,
        n_dated=dated,
        per_type={t: _prf(tp[t], fp[t], fn[t]) for t in types},
        misses=misses,
        false_positives=false_pos,
    )


def is_gold_folder(path: Path) -> bool:
    return path.is_dir() and (path / "docs.jsonl").is_file() and (path / "gold").is_dir()


def evaluate_realnews(
    folder: str | Path, settings: Settings | None = None, doc_ids: Iterable[str] | None = None
) -> RealNewsReport:
    """Code a real-news gold folder's articles and score them (optionally only the given articles)."""
    folder = Path(folder)
    gold = load_gold_folder(folder, doc_ids)
    return score(gold, code_folder(folder, gold, settings))


def split_ids(ids: Iterable[str], part: str) -> list[str]:
    """A fixed half of the article ids (``"a"`` or ``"b"``), by a stable hash of each id, for working
    on one half while the other stays unseen."""
    if part not in ("a", "b"):
        raise ValueError(f"part must be 'a' or 'b', not {part!r}")
    want = 0 if part == "a" else 1
    return [i for i in ids if int(hashlib.sha1(i.encode()).hexdigest(), 16) % 2 == want]
