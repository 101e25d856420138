"""Checks on the event lexicon data: triggers.yaml and types.yaml.

The structural tests need only PyYAML; the behaviour tests parse short sentences with the spaCy
fixture and check that the trigger word is covered by an entry of the expected type, applying the
`with` / `without` / `priority` rules as triggers.yaml describes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kronika.events import lexicon
from kronika.events.triggers import neighbours

DATA = Path(__file__).resolve().parents[2] / "src" / "kronika" / "data" / "events"
TRIGGERS = DATA / "triggers.yaml"
TYPES = DATA / "types.yaml"

PLOVER_TYPES = set(lexicon.PLOVER_TYPES)
PLOVER_CONTEXTS = {
    "military",
    "intelligence",
    "executive",
    "legislative",
    "election",
    "economic",
    "legal",
    "human_rights",
    "rights_freedoms",
    "repression",
    "lgbt",
    "religion_ethnicity",
    "inequality",
    "diplomatic",
    "territory",
    "health",
    "asylum",
    "migration",
    "disasters",
    "environment",
    "technology",
    "terrorism",
    "cbrn",
    "cyber",
    "misinformation",
    "crime",
    "corruption",
}
REQUIRED_KEYS = {"lemma", "event", "cameo"}
KNOWN_KEYS = REQUIRED_KEYS | {
    "pos",
    "with",
    "without",
    "mode",
    "context",
    "reciprocal",
    "recipient_preps",
    "priority",
    "domestic",
    "keeps_future",
}
POS_VALUES = {"VERB", "NOUN"}


@pytest.fixture(scope="module")
def triggers() -> list[dict]:
    data = yaml.safe_load(TRIGGERS.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def types() -> dict:
    data = yaml.safe_load(TYPES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _key(entry: dict) -> tuple:
    return (
        entry["lemma"],
        tuple(sorted(entry.get("pos", ["VERB", "NOUN"]))),
        tuple(sorted(entry.get("with", []) or [])),
        tuple(sorted(entry.get("without", []) or [])),
    )


# --------------------------------------------------------------------------- types.yaml


def test_types_cover_the_sixteen_plover_types(types):
    assert set(types) == PLOVER_TYPES


def test_types_fields(types):
    for name, spec in types.items():
        assert spec["quad_code"] in (1, 2, 3, 4), name
        assert isinstance(spec["scale"], (int, float)) and -10 <= spec["scale"] <= 10, name
        assert isinstance(spec["modes"], dict), name
        for mode, score in spec["modes"].items():
            assert isinstance(mode, str) and mode == mode.lower(), (name, mode)
            assert score is None or -10 <= score <= 10, (name, mode)
        assert re.fullmatch(r"\d{2,4}", spec["default_cameo"]), name
        assert isinstance(spec["requires_recipient"], bool), name
        preps = spec["default_recipient_preps"]
        assert isinstance(preps, list) and all(isinstance(p, str) for p in preps), name


def test_quad_codes_and_sign_of_scale(types):
    quads = {
        1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
        2: {"COOPERATE", "AID", "RETREAT"},
        3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
        4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
    }
    for quad, names in quads.items():
        for name in names:
            assert types[name]["quad_code"] == quad, name
    for name, spec in types.items():
        if spec["quad_code"] in (1, 2):
            assert spec["scale"] > 0, name
        elif name != "REQUEST":
            assert spec["scale"] < 0, name
    assert types["ASSAULT"]["scale"] == min(t["scale"] for t in types.values())


def test_recipient_requirements(types):
    required = {name for name, spec in types.items() if spec["requires_recipient"]}
    assert required == {"COOPERATE", "AID", "SANCTION"}


# --------------------------------------------------------------------------- triggers.yaml


def test_lexicon_size(triggers):
    assert len(triggers) >= 700
    counts: dict[str, int] = {}
    for entry in triggers:
        counts[entry["event"]] = counts.get(entry["event"], 0) + 1
    assert set(counts) == PLOVER_TYPES
    for name, n in counts.items():
        assert n >= 35, (name, n)


def test_entries_are_well_formed(triggers, types):
    for entry in triggers:
        assert isinstance(entry, dict), entry
        assert REQUIRED_KEYS <= set(entry), entry
        assert set(entry) <= KNOWN_KEYS, entry
        lemma = entry["lemma"]
        assert isinstance(lemma, str) and lemma.strip() == lemma and lemma, entry
        assert lemma == lemma.lower(), entry
        assert "  " not in lemma, entry
        assert entry["event"] in PLOVER_TYPES, entry
        cameo = entry["cameo"]
        assert isinstance(cameo, str) and re.fullmatch(r"\d{2,4}", cameo), entry
        pos = entry.get("pos", ["VERB", "NOUN"])
        assert isinstance(pos, list) and pos and set(pos) <= POS_VALUES, entry
        for field in ("with", "without", "recipient_preps"):
            values = entry.get(field)
            if values is None:
                continue
            assert isinstance(values, list), (field, entry)
            # Bare on/off/yes/no would be read as booleans: they must be quoted in the file.
            assert all(isinstance(v, str) and v == v.lower() and v for v in values), (field, entry)
        if "with" in entry:
            assert entry["with"], entry
        mode = entry.get("mode")
        if mode is not None:
            assert mode in types[entry["event"]]["modes"], entry
        for context in entry.get("context", []) or []:
            assert context in PLOVER_CONTEXTS, entry
        if "reciprocal" in entry:
            assert isinstance(entry["reciprocal"], bool), entry
        if "priority" in entry:
            assert isinstance(entry["priority"], int), entry


def test_no_conflicting_duplicates(triggers):
    seen: dict[tuple, dict] = {}
    for entry in triggers:
        key = _key(entry)
        if key in seen:
            other = seen[key]
            assert (other["event"], other.get("mode")) == (entry["event"], entry.get("mode")), (
                other,
                entry,
            )
            pytest.fail(f"exact duplicate entry: {entry}")
        seen[key] = entry


def test_with_and_without_do_not_overlap(triggers):
    for entry in triggers:
        overlap = set(entry.get("with", []) or []) & set(entry.get("without", []) or [])
        assert not overlap, entry


def test_say_verbs_are_not_bare_triggers(triggers):
    for entry in triggers:
        if entry["lemma"] in {"say", "tell", "announce", "state", "add"}:
            assert entry.get("with"), entry


# --------------------------------------------------------------------------- behaviour

OBJECT_DEPS = {"dobj", "obj", "dative", "attr", "oprd", "nsubjpass", "pobj"}
VERB_POS = {"VERB", "AUX"}


def _neighbours(token) -> set[str]:
    """The lemmas the coder checks an entry's ``with``/``without`` lists against."""
    return neighbours(token)


def _tokens(entry: dict, doc, i: int):
    """The tokens of a (possibly multi-word) trigger starting at doc[i], or None."""
    words = entry["lemma"].split()
    head = doc[i]
    if head.lemma_.lower() != words[0]:
        return None
    if len(words) == 1:
        return [head]
    seq = list(doc[i + 1 : i + len(words)])
    if [t.lemma_.lower() for t in seq] == words[1:]:
        return [head, *seq]
    if len(words) == 2:
        for child in head.children:
            if (
                child.dep_ in {"prt", "prep", "advmod", "dobj", "compound"}
                and child.lemma_.lower() == words[1]
            ):
                return [head, child]
    return None


def _matches(entry: dict, doc, i: int) -> bool:
    tokens = _tokens(entry, doc, i)
    if tokens is None:
        return False
    head = tokens[0]
    pos = "VERB" if head.pos_ in VERB_POS else "NOUN"
    if pos not in entry.get("pos", ["VERB", "NOUN"]):
        return False
    near = _neighbours(head)
    if entry.get("with") and not near & set(entry["with"]):
        return False
    if entry.get("without") and near & set(entry["without"]):
        return False
    return True


def _priority(entry: dict) -> int:
    extra = len(entry["lemma"].split()) - 1
    return entry.get("priority", 1) + (1 if entry.get("with") else 0) + extra


def best_events(triggers, doc, word: str) -> set[tuple[str, str | None]]:
    """(event, mode) of the highest-priority entries that match at the token `word`."""
    index = next(t.i for t in doc if t.text == word)
    hits = [e for e in triggers if _matches(e, doc, index)]
    if not hits:
        return set()
    top = max(_priority(e) for e in hits)
    return {(e["event"], e.get("mode")) for e in hits if _priority(e) == top}


CASES = [
    # sentence, trigger word, expected event, expected mode (None: not checked)
    ("The two governments agreed to resume trade next month.", "agreed", "AGREE", None),
    ("Japan offered to mediate between the rival factions.", "offered", "AGREE", None),
    ("The rebels signed a peace agreement with the government.", "agreement", "AGREE", None),
    ("The foreign ministers held talks in Geneva on Monday.", "talks", "CONSULT", None),
    ("Putin called Assad on Tuesday.", "called", "CONSULT", "phone"),
    ("Vladimir Putin spoke to Bashar al-Assad by phone.", "spoke", "CONSULT", None),
    ("The Chinese premier visited Berlin last week.", "visited", "CONSULT", "visit"),
    ("Officials met with opposition leaders in the capital.", "met", "CONSULT", None),
    ("The prime minister praised the army for its restraint.", "praised", "SUPPORT", None),
    ("The president apologized to the families of the victims.", "apologized", "SUPPORT", None),
    ("The two countries signed a treaty on border security.", "signed", "SUPPORT", None),
    ("The government lifted the curfew in the northern provinces.", "lifted", "CONCEDE", None),
    ("The king pardoned the jailed journalists.", "pardoned", "CONCEDE", None),
    ("The union called off the strike after the pay offer.", "called", "CONCEDE", None),
    ("Police in both countries agreed to share intelligence.", "share", "COOPERATE", None),
    ("Spain extradited the suspect to France.", "extradited", "COOPERATE", None),
    ("The navies held joint exercises in the Baltic.", "exercises", "COOPERATE", None),
    ("The European Union sent humanitarian aid to the flood victims.", "sent", "AID", None),
    ("Sweden granted asylum to the dissident.", "granted", "AID", None),
    ("Germany donated ten million euros to the relief effort.", "donated", "AID", None),
    ("Russia withdrew its troops from the border region.", "withdrew", "RETREAT", "withdraw"),
    ("The militants released three hostages on Sunday.", "released", "RETREAT", "release"),
    ("The interior minister resigned after the scandal.", "resigned", "RETREAT", "resign"),
    ("The president stepped down after weeks of protests.", "stepped", "RETREAT", "resign"),
    ("The ceasefire took effect at midnight.", "ceasefire", "RETREAT", "ceasefire"),
    ("A cease-fire took effect at midnight.", "fire", "RETREAT", "ceasefire"),
    ("The opposition demanded the release of political prisoners.", "demanded", "REQUEST", None),
    ("The UN called for an immediate halt to the fighting.", "called", "REQUEST", None),
    ("The UN called on Israel to halt the offensive.", "called", "REQUEST", None),
    ("Aid agencies urged donors to send more food.", "urged", "REQUEST", "assist"),
    ("Washington accused Tehran of supplying weapons to the militia.", "accused", "ACCUSE", "allege"),
    ("The ministry condemned the attack on the embassy.", "condemned", "ACCUSE", "disapprove"),
    ("Prosecutors launched an investigation into the killings.", "investigation", "ACCUSE", "investigate"),
    ("The government rejected the proposal for new elections.", "rejected", "REJECT", None),
    ("Moscow vetoed the draft resolution.", "vetoed", "REJECT", None),
    ("The militants threatened to attack the capital.", "threatened", "THREATEN", "violence"),
    ("The general issued an ultimatum to the rebels.", "ultimatum", "THREATEN", None),
    ("Thousands of students protested against the new law.", "protested", "PROTEST", "demo"),
    ("Dock workers went on strike over unpaid wages.", "strike", "PROTEST", "strike"),
    ("The prisoners began a hunger strike on Monday.", "hunger", "PROTEST", "hunger"),
    ("Farmers blocked roads leading to the capital.", "blocked", "PROTEST", "obstruct"),
    ("The United States imposed sanctions on Iranian banks.", "imposed", "SANCTION", None),
    ("Poland expelled two Russian diplomats.", "expelled", "SANCTION", "expel"),
    ("The court convicted the former mayor of bribery.", "convicted", "SANCTION", "convict"),
    ("The army deployed troops along the border.", "deployed", "MOBILIZE", "troops"),
    ("The military put its forces on high alert.", "alert", "MOBILIZE", None),
    ("Police arrested twenty protesters in the capital.", "arrested", "COERCE", "arrest"),
    ("The authorities imposed a curfew on the city.", "imposed", "COERCE", "curfew"),
    ("Security forces cracked down on the demonstrators.", "cracked", "COERCE", None),
    ("Hackers breached the ministry's network.", "breached", "COERCE", "cyber"),
    ("Israeli jets bombed positions near Gaza.", "bombed", "ASSAULT", None),
    ("Air strikes hit rebel positions overnight.", "strikes", "ASSAULT", "aerial"),
    ("Gunmen opened fire on a crowded market.", "opened", "ASSAULT", "firearms"),
    ("Rebels kidnapped two aid workers near the border.", "kidnapped", "ASSAULT", "abduct"),
    ("Troops shelled the town for three days.", "shelled", "ASSAULT", "heavy-weapons"),
    ("Police fired tear gas at the crowd.", "fired", "ASSAULT", "crowd-control"),
    ("A suicide bombing killed twelve people.", "bombing", "ASSAULT", "suicide-attack"),
]


@pytest.mark.parametrize("sentence,word,event,mode", CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_trigger_covers_sentence(nlp, triggers, sentence, word, event, mode):
    doc = nlp(sentence)
    found = best_events(triggers, doc, word)
    assert event in {e for e, _ in found}, (sentence, found)
    if mode is not None:
        assert (event, mode) in found, (sentence, found)


NOT_EVENTS = [
    ("The minister said the talks would continue.", "said"),
    ("The company released its annual report on Friday.", "released"),
    ("Workers struck a deal with management.", "struck"),
    ("The president spoke to reporters after the vote.", "spoke"),
]


@pytest.mark.parametrize("sentence,word", NOT_EVENTS, ids=[c[1] for c in NOT_EVENTS])
def test_wrong_senses_are_blocked(nlp, triggers, sentence, word):
    doc = nlp(sentence)
    found = best_events(triggers, doc, word)
    if word == "struck":
        assert {e for e, _ in found} == {"AGREE"}, found
    else:
        assert not found, found


def test_coverage_across_types():
    assert {c[2] for c in CASES} == PLOVER_TYPES


_VOWELS = "aeiou"


def _regular_forms(verb: str) -> list[str]:
    """Regular inflections whose spelling is certain: no consonant doubling is guessed."""
    if verb.endswith("e"):
        return [verb + "d", verb[:-1] + "ing", verb + "s"]
    if verb.endswith("y") and verb[-2] not in _VOWELS:
        return [verb[:-1] + "ied", verb + "ing", verb[:-1] + "ies"]
    ending = "es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"
    if verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS and verb[-3] not in _VOWELS:
        return [verb + ending]  # "ban" -> "banned" or "open" -> "opened": the spelling is not certain
    return [verb + "ed", verb + "ing", verb + ending]


def test_the_regular_forms_of_every_trigger_verb_are_lemmatised_to_it():
    """A form the model lemmatises wrongly is never found by the lexicon ("cordoned" -> "cordone"):
    such forms are corrected in nlp/lemmas.yaml."""
    from kronika.nlp import load_nlp

    nlp = load_nlp()
    entries = yaml.safe_load(TRIGGERS.read_text(encoding="utf-8"))
    verbs = sorted(
        {e["lemma"] for e in entries if "VERB" in e["pos"] and " " not in e["lemma"] and len(e["lemma"]) > 3}
    )
    cases = [(v, f) for v in verbs for f in _regular_forms(v)]
    docs = nlp.pipe((f"Yesterday they {form} the town." for _, form in cases), batch_size=128)
    lemmas = [(verb, form, doc[2].lemma_) for (verb, form), doc in zip(cases, docs, strict=True)]
    wrong = [(form, lemma) for verb, form, lemma in lemmas if lemma.lower() != verb]
    assert not wrong, wrong
