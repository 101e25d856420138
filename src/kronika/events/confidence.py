"""An event's confidence: the probability that the coded event is right, from how it was found.

A logistic model over features of the record (type, modality, where the date and the parties came
from, what kind of lexicon entry fired, the shape of the sentence) gives the probability that the
event, its type and its parties are right. The weights are data (``data/events/confidence.yaml``),
fitted and calibrated on hand-coded real articles by ``kronika calibrate``; users refit them on their
own gold without touching code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from kronika.knowledge.models import ConfidenceWeights

_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my)\b")
_PARTY_KINDS = ("countries", "organizations", "sectors", "people", "seats", "implied", "unknown-person")


# How a party's country was found when its phrase named none: from context, the document's focus, a
# pronoun's or an earlier mention's antecedent, a home town, an office.
_VIA = ("context-country", "focus-country", "pronoun", "coref", "home-town", "office-country")


def _party_features(prefix: str, parties: list[dict[str, Any]]) -> dict[str, float]:
    if not parties:
        return {f"{prefix}:none": 1.0}
    rule = str(parties[0].get("rule") or "")
    kind = rule.split(":", 1)[0]
    feats = {f"{prefix}:{kind if kind in _PARTY_KINDS else 'other'}": 1.0}
    via = rule.rsplit(":", 1)[-1]
    if via in _VIA:
        feats[f"{prefix}_via:{via}"] = 1.0
    if len(parties) > 1:
        feats[f"{prefix}:several"] = 1.0
    return feats


def features(record: Mapping[str, Any]) -> dict[str, float]:
    """The model's features of one event record (``Event.to_dict()``), all 0/1."""
    text = str(record.get("text") or "")
    trigger = str(record.get("event_text") or "")
    rule = str(record.get("rule") or "")
    feats: dict[str, float] = {
        f"type:{record['event'][0]}": 1.0,
        f"modality:{record.get('modality') or 'asserted'}": 1.0,
        f"date:{record.get('date_source') or 'none'}": 1.0,
    }
    actor_list, recipient_list = record.get("actor") or [], record.get("recipient") or []
    feats.update(_party_features("actor", actor_list))
    if not recipient_list and len(actor_list) > 1:
        feats["recipient:joint_actors"] = 1.0  # "Russia and Turkey agreed": the parties act together
    else:
        feats.update(_party_features("recipient", recipient_list))
    actors = {a.get("code") for a in actor_list if a.get("code")}
    recipients = {r.get("code") for r in recipient_list if r.get("code")}
    flags = {
        "parties:same_code": bool(actors & recipients),
        "attribution": bool(record.get("attribution")),
        "rule:cue": rule.startswith("cues:"),
        "rule:folded": ">" in rule,
        "rule:context": "+" in rule,
        "trigger:multiword": " " in trigger.strip(),
        "trigger:capitalised": trigger[:1].isupper(),
        "sentence:long": len(text) > 250,
        "sentence:question": text.rstrip().endswith("?"),
        "sentence:quote": any(q in text for q in ('"', "“", "”")),
        "sentence:first_person": bool(_FIRST_PERSON.search(text)),
        "place": bool(record.get("place")),
    }
    feats.update({k: 1.0 for k, on in flags.items() if on})
    return feats


def probability(model: ConfidenceWeights, record: Mapping[str, Any]) -> float:
    """The probability that the event of ``record`` is right, rounded as records carry it."""
    feats = features(record)
    z = model.intercept + sum(model.weights.get(k, 0.0) * v for k, v in feats.items())
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)
