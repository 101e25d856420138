"""The schema of every kind of knowledge file: one pydantic model per entry (or per file).

A misspelt field is an error (``extra="forbid"``); codes, dates of office, PLOVER types, CAMEO codes
and regular expressions are checked here, so that the code that uses the knowledge can trust it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
# Kinds a places file may use; "country" and "capital" come from actors/countries.yaml.
PLACE_KINDS = frozenset({"city", "town", "region", "province", "territory", "area"})
POS_TAGS = frozenset({"VERB", "NOUN", "PROPN", "ADJ", "ADV", "AUX", "ADP"})


def _as_list(value: Any) -> Any:
    """A single word may be written without brackets; an empty field is an empty list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Sector = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Cameo = Annotated[str, StringConstraints(pattern=r"^\d{2,4}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Words = Annotated[list[str], BeforeValidator(_as_list)]


class Entry(BaseModel):
    """An entry of a list file: it has a key; a later folder's entry with the same key replaces it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def key(self) -> str:
        raise NotImplementedError


class Document(BaseModel):
    """A file read as a whole (word lists, tables): later folders add words and replace table keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# -- actors ----------------------------------------------------------------------------------------


class Country(Entry):
    code: Code
    name: Text
    aliases: Words = []
    demonyms: Words = []
    capitals: Words = []

    def key(self) -> str:
        return self.code


class Seat(Entry):
    text: Text
    aliases: Words = []
    code: Code
    sector: Sector | None = None

    def key(self) -> str:
        return self.text


class Organization(Entry):
    name: Text
    aliases: Words = []
    code: Code
    sector: Sector | None = None

    def key(self) -> str:
        return self.name


class Office(BaseModel):
    """One office a person held: whose (code), which sector, its title and its dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    sector: Sector | None = None
    office: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if value in ("", "null"):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date) or value is None:
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"not a date ({value!r}); write it as YYYY-MM-DD") from None

    @model_validator(mode="after")
    def _ordered(self) -> Office:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the office ends ({self.end}) before it starts ({self.start})")
        return self


class PersonEntry(Entry):
    name: Text
    aliases: Words = []
    roles: Annotated[list[Office], BeforeValidator(_as_list)] = []

    def key(self) -> str:
        return self.name


class SectorTitleEntry(Entry):
    text: Text
    sector: Sector
    head: bool = False
    country: Code | None = None  # an office only one country has by this name ("home secretary")

    def key(self) -> str:
        return " ".join(self.text.lower().split())


class CowEntry(Entry):
    """A state of the Correlates of War system for one of Kronika's country codes."""

    code: Code
    ccode: int = Field(gt=0, strict=True)
    stateabb: Code
    name: str = ""
    gwcode: int | None = Field(default=None, gt=0, strict=True)

    def key(self) -> str:
        return self.code


class CameoEntry(Entry):
    """A CAMEO event code: its codebook label and Goldstein value (``events/cameo.yaml``)."""

    code: Annotated[Cameo, BeforeValidator(lambda v: _quoted(v))]
    label: Text
    goldstein: float | None = Field(default=None, ge=-10, le=10)

    def key(self) -> str:
        return self.code


class LayoutColumn(BaseModel):
    """One column of an export layout: its name in the format, what fills it and what it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text
    source: str | None = None  # a Kronika export field (kronika.store.fields), None: always empty
    doc: str = ""


class ExportLayout(BaseModel):
    """The documented column list of one export format (``exports/*.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Text
    reference: Text
    delimiter: Literal["\t", ","] = "\t"
    header: bool = True
    columns: list[LayoutColumn]


class ActorGroups(Document):
    """Word lists and tables about actors that the coder and the store read (``actors/groups.yaml``)."""

    quantity_heads: Words = []
    sector_families: dict[str, list[Sector]] = {}
    state_sectors: list[Sector] = []
    non_state_codes: list[Code] = []
    honorifics: Words = []
    name_particles: Words = []
    title_joiners: Words = []
    group_numbers: dict[str, int] = {}  # "the two leaders", "the three countries": how many
    people_group_heads: Words = []  # "the two leaders": the last people named
    state_group_heads: Words = []  # "the three countries": the last states named
    kin_words: Words = []  # "his parents": a relative of someone is of their country


# -- events ----------------------------------------------------------------------------------------


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _check_plover(value: str) -> str:
    if value not in PLOVER_TYPES:
        raise ValueError(f"{value!r} is not a PLOVER event type (one of {', '.join(PLOVER_TYPES)})")
    return value


def _quoted(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"write the CAMEO code as a quoted string ({value!r} lost its leading zeros)")
    return value


PloverType = Annotated[str, BeforeValidator(_upper), AfterValidator(_check_plover)]
QuotedCameo = Annotated[Cameo, BeforeValidator(_quoted)]


class TriggerEntry(Entry):
    lemma: Text
    pos: Words = ["VERB", "NOUN"]
    event: PloverType
    cameo: Annotated[Cameo | Literal[""], BeforeValidator(_quoted)] = ""
    mode: str | None = None
    context: Words = []
    with_: Words = Field([], alias="with")
    without: Words = []
    reciprocal: bool = False
    recipient_preps: Words | None = None
    priority: int = 1
    domestic: bool = False
    keeps_future: bool = False

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("pos")
    @classmethod
    def _pos(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in POS_TAGS]
        if unknown:
            raise ValueError(f"unknown part of speech {unknown} (one of {', '.join(sorted(POS_TAGS))})")
        return value or ["VERB", "NOUN"]

    def key(self) -> str:
        return trigger_key(self.lemma, self.pos, self.with_, self.without)


def trigger_key(lemma: str, pos: Any, with_: Any, without: Any) -> str:
    """A trigger's key: its lemma, parts of speech and the words it needs or refuses.

    ``agree VERB +meet|talk`` -- two triggers with the same key would be one trigger read twice.
    """
    parts = [" ".join(str(lemma).lower().split()), "/".join(sorted(_as_list(pos) or ["VERB", "NOUN"]))]
    if _as_list(with_):
        parts.append("+" + "|".join(sorted(str(w).lower() for w in _as_list(with_))))
    if _as_list(without):
        parts.append("-" + "|".join(sorted(str(w).lower() for w in _as_list(without))))
    return " ".join(parts)


class EventTypeEntry(Entry):
    name: PloverType
    quad_code: int | None = None
    scale: float | None = None
    modes: dict[str, float | None] = {}
    default_cameo: QuotedCameo | None = None
    requires_recipient: bool = False
    default_recipient_preps: Words = []
    implied_recipient: Literal["domestic", "domestic-in-focus", "foreign-place"] | None = None
    implied_actor: Literal["place"] | None = None
    reciprocal: bool = False  # a coreference block of this type is an unordered dyad

    @field_validator("modes", mode="before")
    @classmethod
    def _mode_list(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, list):
            return {str(m): None for m in value}
        return value

    def key(self) -> str:
        return self.name


class Cues(Document):
    """Word lists that mark modality, frames and roles (``events/cues.yaml``)."""

    negation: Words = []
    future_aux: Words = []
    future_verbs: Words = []
    hypothetical_marks: Words = []
    hypothetical_aux: Words = []
    hypothetical_frames: Words = []  # "preferable to arrest", "want to kill": an option or a wish
    historical: Words = []
    intent: Words = []
    threat: Words = []
    refusal: Words = []
    acceptance: Words = []
    preparation: Words = []
    request: Words = []
    report: Words = []
    locative: Words = []  # prepositions that put an actor's phrase in a place, not on a side
    conversation: Words = []  # verbs by which one party of a conversation addresses the other
    own_possessives: Words = []  # possessives that refer back to the actor ("its", "their")
    occurrence: Words = []  # verbs whose subject event happens ("talks took place", "clashes erupted")
    relation_participles: Words = []  # "militias backed by the coalition": a relation, not an act
    question_verbs: Words = []  # "'Why?' he asked": with nothing asked for, a question
    fighting: Words = []  # "killed fighting Isis": the enemy fought killed them
    depictions: Words = []  # "filming the battle": the event is shown, not done
    failure: Words = []  # "failed to reach an agreement": the act did not happen
    undergoing: Words = []  # "faces a trial": the subject is what the act is done to
    harmed: Words = []  # "died in an explosion": the subject is whom the act is done to
    harm_prepositions: Words = []  # ... "in", "during" the act
    harm_marks: Words = []  # ... "when", "as" the act happened
    under_verbs: Words = []  # "came under fire": the subject is the target
    rescue_verbs: Words = []  # "came to Baghdad's aid": the possessor is helped
    stative_participles: Words = []  # "was committed to": the subject holds the stance
    wish_nouns: Words = []  # "hope that he will back down": the clause is a wish or a fear
    # Acts only a state performs ("was arrested", "were charged with treason"): trigger contexts or
    # modes, and the sector of the unnamed state actor by mode (``default`` for the rest).
    ending: Words = []  # verbs that end the act their object names ("lifted the curfew")
    ending_adverbs: Words = []  # "would no longer supply arms": under negation, the act stops
    private_travel_modes: Words = []  # "he travelled to Syria": a trip, not a visit, when private
    private_sectors: Words = []
    statement_nouns: Words = []  # "issued a statement denying": the participle is the act
    police_operations: Words = []  # "police launched raids": COERCE, not ASSAULT ...
    police_sectors: Words = []  # ... when an actor is of these sectors
    state_act_contexts: Words = []
    state_act_modes: Words = []
    state_act_sectors: dict[str, Sector] = {}
    modes: dict[PloverType, dict[str, Words]] = {}


class Lemmas(Document):
    """Corrections to the parser model's lemmas, by part of speech (``nlp/lemmas.yaml``): inflected form
    -> lemma ("raped" -> "rape", where the model's rules give "rap")."""

    verb: dict[str, Text] = {}
    noun: dict[str, Text] = {}
    adj: dict[str, Text] = {}


class ConfidenceWeights(Document):
    """The logistic confidence model of event records (``events/confidence.yaml``), fitted by
    ``kronika calibrate``: the probability that an event is right from features of its record."""

    intercept: float = 0.0
    weights: dict[str, float] = {}
    fitted_on: str = ""
    cross_validated_ece: float | None = None
    n_events: int | None = None


# -- dates -----------------------------------------------------------------------------------------


class DateWords(Document):
    """The word lists of date finding and resolution (``dates/expressions.yaml``)."""

    weekdays: dict[str, Annotated[int, Field(ge=0, le=6)]] = {}
    months: dict[str, Annotated[int, Field(ge=1, le=12)]] = {}
    named_days: dict[str, int] = {}
    day_parts: Words = []
    units: dict[str, Literal["day", "week", "month", "year"]] = {}
    anchors: dict[str, Literal["past", "current", "future"]] = {}
    softeners: Words = []
    fuzzy_prefixes: Words = []
    ago_words: Words = []
    duration_prepositions: Words = []
    end_prepositions: Words = []  # "until February": the end of a span, not when the event happened
    antecedent_prepositions: Words = []  # "after talks with May": an event before the one reported
    antecedent_nouns: Words = []  # "in the wake of the attack"
    clock_words: Words = []  # "1530 UTC": a time of day, not a year
    duration_words: Words = []
    frequency_words: Words = []
    age_words: Words = []
    future_heads: Words = []
    future_auxiliaries: Words = []
    # Words of the date expressions the entity stage finds (``kronika.entities.date_matcher``).
    period_parts: Words = []
    span_units: Words = []
    period_deictics: Words = []
    relative_anchors: Words = []
    comparatives: Words = []
    weekday_edges: Words = []
    each_words: Words = []


# -- places ----------------------------------------------------------------------------------------


class PlaceEntryModel(Entry):
    name: Text
    aliases: Words = []
    country: Annotated[Code, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]
    kind: str
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    ambiguous: bool | list[str] | None = False

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value.strip() not in PLACE_KINDS:
            raise ValueError(f"kind must be one of {sorted(PLACE_KINDS)}, got {value!r}")
        return value.strip()

    @model_validator(mode="after")
    def _ambiguous_forms(self) -> PlaceEntryModel:
        if isinstance(self.ambiguous, list):
            unknown = set(self.ambiguous) - {self.name.strip(), *(a.strip() for a in self.aliases)}
            if unknown:
                raise ValueError(f"ambiguous forms {sorted(unknown)} are not its forms")
        return self

    def key(self) -> str:
        return self.name.strip()


REGION_KINDS = ("ocean", "sea", "lake", "region")


class RegionEntry(Entry):
    """A body of water or a region that spans countries, with a conventional centre point."""

    name: Text
    aliases: Words = []
    kind: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value.strip() not in REGION_KINDS:
            raise ValueError(f"kind must be one of {list(REGION_KINDS)}, got {value!r}")
        return value.strip()

    def key(self) -> str:
        return self.name.strip()


class PlaceWords(Document):
    """Prepositions and nouns that decide whether a place mention is where an event happened."""

    locative: Words = []
    non_country: Words = []
    ambiguous_ok: Words = []  # besides the locative ones, prepositions after which an ambiguous form counts
    location_nouns: Words = []
    newspaper_words: Words = []
    motion: Words = []
    not_locative_to: Words = []
    abbreviations: dict[str, str] = {}  # "Ky." -> "Kentucky": the name an abbreviation stands for
    admin_words: Words = []  # "Aleppo province", "Kent County": the name is a subdivision's
    city_words: Words = []  # "the city of Homs", "Quebec City": the name is a town's
    continent_adjectives: dict[str, str] = {}  # "European" -> "Europe": the continent an adjective names
    part_words: Words = []  # "North London": a name not known is looked up without them
    site_words: Words = []  # "Vancouver Art Gallery": an unknown name is the place it begins with


# -- boilerplate -----------------------------------------------------------------------------------


class LineRules(Document):
    lines: Annotated[list[Any], BeforeValidator(_as_list)] = []
    patterns: Words = []

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for raw in value:
            try:
                re.compile(raw, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"bad regular expression {raw!r}: {exc}") from None
        return value


class CommentHeaders(Document):
    strong: LineRules | None = None
    weak: LineRules | None = None


class BoilerplateFile(Document):
    kinds: dict[str, LineRules] = {}
    comment_headers: CommentHeaders = CommentHeaders()
    glue_starters: Annotated[list[Any], BeforeValidator(_as_list)] = []
    # wiki sections that hold no report ("== See also ==", "== References =="): cut to the next heading
    link_sections: Annotated[list[Any], BeforeValidator(_as_list)] = []
