"""Scoring toponym recognition and resolution on public geoparsing corpora (TR-News, GeoVirus layouts).

Recognition: precision, recall and F1 of toponym spans, a predicted span matching a gold one it
overlaps (one to one), and the same for exact spans. Resolution: every gold toponym with coordinates
is resolved from its gold span, all those of an article together (as the coder resolves a
document's toponyms); the share within 161 km (100 miles) of the gold point, the share with the gold
GeoNames id where the gold has one, and the mean and median error in km of those resolved. A gold
toponym left unresolved counts as wrong. ``end_to_end`` is the share of gold toponyms with
coordinates that were both recognised and resolved within 161 km.
"""

from __future__ import annotations

import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.places.gazetteer import distance_km, open_index
from kronika.places.resolve import Toponym, recognize, resolve_spans

__all__ = ["GeoArticle", "GeoReport", "GoldToponym", "evaluate_geo", "read_corpus"]

NEAR_KM = 161.0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass
class GeoArticle:
    doc_id: str
    text: str
    url: str | None
    gold: list[GoldToponym]


def _float(node: ET.Element, tag: str) -> float | None:
    try:
        return float((node.findtext(tag) or "").strip())
    except ValueError:
        return None


def _tr_news_toponym(node: ET.Element) -> GoldToponym:
    gaz = node.find("gaztag")
    start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
    text = (node.findtext("phrase") or "").strip()
    if gaz is None or _float(gaz, "lat") is None:
        return GoldToponym(start, end, text)
    gid = gaz.get("geonameid")
    return GoldToponym(start, end, text, _float(gaz, "lat"), _float(gaz, "lon"), int(gid) if gid else None)


def _geovirus_toponym(node: ET.Element) -> GoldToponym:
    start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
    return GoldToponym(
        start, end, (node.findtext("name") or "").strip(), _float(node, "lat"), _float(node, "lon")
    )


def _align(text: str, g: GoldToponym, slack: int = 40) -> GoldToponym:
    """The gold toponym at the offsets where its phrase stands: the published files put some a
    character or two away from it ("andi," for "Pandi")."""
    if not g.text or text[g.start : g.end] == g.text:
        return g
    lo = max(0, g.start - slack)
    window = text[lo : g.end + slack]
    found = [lo + i for i in range(len(window)) if window.startswith(g.text, i)]
    if not found:
        return g
    at = min(found, key=lambda i: abs(i - g.start))
    return GoldToponym(at, at + len(g.text), g.text, g.lat, g.lon, g.geonameid)


def read_corpus(path: Path) -> list[GeoArticle]:
    """The articles and gold toponyms of a corpus file in the TR-News or the GeoVirus layout."""
    root = ET.parse(path).getroot()
    out = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        if art.find("toponyms") is not None:
            gold = [_tr_news_toponym(t) for t in art.iter("toponym")]
            url = (art.findtext("domain") or art.findtext("url") or "").strip() or None
        else:
            gold = [_geovirus_toponym(t) for t in art.iter("location")]
            url = (art.findtext("source") or "").strip() or None
        gold = sorted((_align(text, g) for g in gold), key=lambda g: g.start)
        out.append(GeoArticle(art.get("docid") or str(n), text, url, gold))
    return out


@dataclass
class GeoReport:
    corpus: str
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0  # predicted spans overlapping a gold span, one to one
    exact: int = 0
    with_coords: int = 0
    resolved: int = 0
    near: int = 0
    with_id: int = 0
    same_id: int = 0
    end_to_end_near: int = 0
    errors_km: list[float] = field(default_factory=list, repr=False)
    seconds: float = 0.0

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    def figures(self) -> dict[str, Any]:
        p, r = self._ratio(self.matched, self.predicted), self._ratio(self.matched, self.gold)
        pe, re_ = self._ratio(self.exact, self.predicted), self._ratio(self.exact, self.gold)
        errors = self.errors_km
        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "gold_toponyms": self.gold,
            "predicted_toponyms": self.predicted,
            "recognition": {
                "precision": p,
                "recall": r,
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            },
            "recognition_exact": {
                "precision": pe,
                "recall": re_,
                "f1": round(2 * pe * re_ / (pe + re_), 4) if pe + re_ else 0.0,
            },
            "gold_with_coordinates": self.with_coords,
            "resolved": self._ratio(self.resolved, self.with_coords),
            "accuracy_161km": self._ratio(self.near, self.with_coords),
            "gold_with_geonameid": self.with_id,
            "accuracy_geonameid": self._ratio(self.same_id, self.with_id) if self.with_id else None,
            "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
            "median_error_km": round(statistics.median(errors), 1) if errors else None,
            "end_to_end_161km": self._ratio(self.end_to_end_near, self.with_coords),
            "seconds": round(self.seconds, 1),
        }

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("errors_km")
        return d


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(pred: list[tuple[int, int]], gold: list[GoldToponym]) -> dict[int, int]:
    """Gold index → predicted index, each predicted span used once (exact matches first)."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for gi, g in enumerate(gold):
            if gi in out:
                continue
            for pi, p in enumerate(pred):
                ok = p == (g.start, g.end) if exact else _overlaps(p, (g.start, g.end))
                if pi not in used and ok:
                    out[gi] = pi
                    used.add(pi)
                    break
    return out


def _near(t: Toponym | None, g: GoldToponym) -> float | None:
    if t is None or t.lat is None or t.lon is None or g.lat is None or g.lon is None:
        return None
    return distance_km(t.lat, t.lon, g.lat, g.lon)


def _score_resolution(report: GeoReport, gold: list[GoldToponym], resolved: list[Toponym]) -> None:
    for g, t in zip(gold, resolved, strict=True):
        if g.lat is None:
            continue
        report.with_coords += 1
        km = _near(t, g)
        if km is not None:
            report.resolved += 1
            report.errors_km.append(km)
            report.near += km <= NEAR_KM
        if g.geonameid is not None:
            report.with_id += 1
            report.same_id += t.geonameid == g.geonameid


def _score_article(report: GeoReport, art: GeoArticle, doc: Any, knowledge: Any, index: Any) -> None:
    pred = recognize(doc, knowledge, index)
    report.articles += 1
    report.gold += len(art.gold)
    report.predicted += len(pred)
    matched = _match(pred, art.gold)
    report.matched += len(matched)
    report.exact += sum(pred[pi] == (art.gold[gi].start, art.gold[gi].end) for gi, pi in matched.items())
    spans = [(g.start, g.end) for g in art.gold]
    _score_resolution(report, art.gold, resolve_spans(art.text, spans, knowledge, index, art.url))
    ours = resolve_spans(art.text, pred, knowledge, index, art.url)
    for gi, pi in matched.items():
        km = _near(ours[pi], art.gold[gi])
        report.end_to_end_near += km is not None and km <= NEAR_KM


def evaluate_geo(path: Path, settings: Settings | None = None, limit: int | None = None) -> GeoReport:
    """Score recognition and resolution on the corpus file at ``path``."""
    from kronika.knowledge.bundle import load_knowledge
    from kronika.nlp import load_nlp

    settings = settings or Settings()
    knowledge = load_knowledge(settings)
    index = open_index()
    nlp = load_nlp(settings.spacy_model)
    articles = read_corpus(path)[:limit]
    report = GeoReport(corpus=Path(path).name)
    t0 = time.perf_counter()
    docs: Iterable[Any] = nlp.pipe((a.text for a in articles), batch_size=settings.batch_size)
    for art, doc in zip(articles, docs, strict=True):
        _score_article(report, art, doc, knowledge, index)
    report.seconds = time.perf_counter() - t0
    return report
