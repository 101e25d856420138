"""Score the coder on PLOVER gold-standard records (the format of the PLOVER GSR files).

Each record's ``text`` is coded on its own with publication date 2000-01-01. Records that share the same
text are scored together: the gold types of a sentence are the union of its records' types.

* Type scores: per sentence, the set of predicted types against the set of gold types; per-type
  precision, recall and F1, micro and macro F1.
* Triple accuracy: a gold record counts as right when one predicted event has the gold type, an actor
  code among the gold sources and a recipient code among the gold targets (records without a target:
  every predicted recipient code among the sources, or no recipient).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.config import Settings, get_settings
from kronika.events.lexicon import PLOVER_TYPES

OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CODE_FIXES = {"JAP": "JPN", "ITL": "ITA"}
IGO_CODES = {"IGO", "UNO", "EUR"}
EVAL_PUB_DATE = dt.date(2000, 1, 1)


@dataclass
class GoldRecord:
    id: str
    text: str
    event: str
    sources: set[str]
    targets: set[str]


def _codes(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    return {CODE_FIXES.get(str(e.get("code")), str(e.get("code"))) for e in value if e.get("code")}


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read gold records, mapping old labels to PLOVER 2021 and fixing known code typos."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for r in data:
        text, event = r.get("text"), r.get("event")
        if not text or event not in (*PLOVER_TYPES, *OLD_LABELS):
            continue
        out.append(
            GoldRecord(
                id=r["id"],
                text=text.strip().strip("{}").strip(),
                event=OLD_LABELS.get(event, event),
                sources=_codes(r.get("source")),
                targets=_codes(r.get("target")),
            )
        )
    return out


def _match(pred: str | None, gold: set[str]) -> bool:
    if pred is None:
        return False
    if pred in gold:
        return True
    return pred in IGO_CODES and bool(gold & IGO_CODES)


@dataclass
class EvalReport:
    n_records: int
    n_sentences: int
    per_type: dict[str, dict[str, float]]
    micro: dict[str, float]
    macro_f1: float
    triple_accuracy: float
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, with_errors: bool = False) -> dict[str, Any]:
        d = {
            "n_records": self.n_records,
            "n_sentences": self.n_sentences,
            "micro": self.micro,
            "macro_f1": self.macro_f1,
            "triple_accuracy": self.triple_accuracy,
            "per_type": self.per_type,
        }
        if with_errors:
            d["errors"] = self.errors
        return d


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate(gold_path: str | Path, settings: Settings | None = None) -> EvalReport:
    """Code every gold sentence and score types and triples."""
    from kronika.document import Document
    from kronika.pipeline import code_documents

    records = load_gold(gold_path)
    by_text: dict[str, list[GoldRecord]] = defaultdict(list)
    for r in records:
        by_text[r.text].append(r)
    texts = list(by_text)
    docs = [Document(doc_id=f"gold-{i}", text=t, pub_date=EVAL_PUB_DATE) for i, t in enumerate(texts)]
    predicted: dict[str, list[dict[str, Any]]] = {}
    # Every gold sentence holds an event: score every event found, not only those above the
    # operating point, which is set for real articles.
    for doc, events in code_documents(docs, (settings or get_settings()).every_event()):
        predicted[doc.text] = [e.to_dict() for e in events]

    errors: list[dict[str, Any]] = []
    tp, fp, fn = _score_types(by_text, predicted, errors)
    right = 0
    for g in records:
        ok = _triple_right(g, predicted.get(g.text, []))
        right += ok
        if not ok:
            errors.append(_triple_error(g, predicted.get(g.text, [])))

    types = sorted(set(tp) | set(fp) | set(fn))
    per_type = {t: _prf(tp[t], fp[t], fn[t]) for t in types}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return EvalReport(
        n_records=len(records),
        n_sentences=len(by_text),
        per_type=per_type,
        micro=micro,
        macro_f1=round(_macro_f1(per_type, tp, fn), 4),
        triple_accuracy=round(right / len(records), 4) if records else 0.0,
        errors=errors,
    )


def _score_types(
    by_text: dict[str, list[GoldRecord]],
    predicted: dict[str, list[dict[str, Any]]],
    errors: list[dict[str, Any]],
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per-type true positives, false positives and false negatives over sentences; a sentence whose
    predicted types differ from its gold types is added to ``errors``."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, golds in by_text.items():
        gold_types = {g.event for g in golds}
        pred_types = {t for e in predicted.get(text, []) for t in e["event"][:1]}
        for t in pred_types & gold_types:
            tp[t] += 1
        for t in pred_types - gold_types:
            fp[t] += 1
        for t in gold_types - pred_types:
            fn[t] += 1
        if pred_types != gold_types:
            errors.append({"text": text, "gold": sorted(gold_types), "predicted": sorted(pred_types)})
    return tp, fp, fn


def _triple_right(g: GoldRecord, events: list[dict[str, Any]]) -> bool:
    """Whether one predicted event has the gold type, a gold source and a gold target (see the module)."""
    ok = False
    for e in events:
        if e["event"][0] != g.event:
            continue
        actors = [a["code"] for a in e["actor"]]
        recips = [r["code"] for r in e["recipient"]]
        if not any(_match(a, g.sources) for a in actors):
            continue
        if g.targets:
            ok = any(_match(r, g.targets) for r in recips)
        else:
            ok = all(_match(r, g.sources) for r in recips)
        if ok:
            break
    return ok


def _triple_error(g: GoldRecord, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": g.id,
        "text": g.text,
        "gold_triple": [g.event, sorted(g.sources), sorted(g.targets)],
        "predicted": [
            [e["event"][0], [a["code"] for a in e["actor"]], [r["code"] for r in e["recipient"]]]
            for e in events
        ],
    }


def _macro_f1(per_type: dict[str, dict[str, float]], tp: Counter[str], fn: Counter[str]) -> float:
    """Mean F1 over the types that occur in the gold records."""
    gold_types_present = [t for t in per_type if tp[t] + fn[t] > 0]
    if not gold_types_present:
        return 0.0
    return sum(per_type[t]["f1"] for t in gold_types_present) / len(gold_types_present)
