"""The declared shape of Kronika's records: an event mention, its actors and place, a document.

PLOVER JSON field names ("Data Fields" chapter of the PLOVER manual) plus Kronika's own, in the order
``to_dict`` writes them. ``kronika.records`` and ``kronika.document`` build their dictionaries from
these shapes, the REST API its models, ``kronika code --format csv`` its columns, and the store the
columns it keeps of each record (``kronika.store.tables``).
"""

from __future__ import annotations

from typing import Any

from kronika.schema.fields import Field, Shape

SCHEMA_VERSION = "1.2"

ENTITY = Shape(
    "RecordEntity",
    "An actor or recipient: country/organisation code, PLOVER sector and where it stands in the text.",
    [
        Field("code", "str", "country or organisation code (ISO 3166 alpha-3, IGO code...)"),
        Field("sector", "str", "PLOVER sector (GOV, MIL, REB...)"),
        Field("entity_text", "str", "the words of the text coded as this entity", optional=False, default=""),
        Field("name", "str", "canonical name of the person or organisation, when known"),
        Field("start", "int", "character offset in the document; None for a participant implied, not named"),
        Field("end", "int", "end offset in the document"),
        Field("rule", "str", "the knowledge-base entry or rule that produced the coding", optional=False,
              default=""),
    ],
)

PLACE = Shape(
    "RecordPlace",
    "Where the event happened: a gazetteer place named in the sentence.",
    [
        Field("name", "str", "gazetteer name", optional=False, required=True),
        Field("country", "str", "country code of the place"),
        Field("kind", "str", "city, region, country...", optional=False, required=True),
        Field("text", "str", "the words of the text naming it", optional=False, required=True),
        Field("start", "int", "character offset in the document", optional=False, required=True),
        Field("end", "int", "end offset in the document", optional=False, required=True),
        Field("lat", "float", "latitude"),
        Field("lon", "float", "longitude"),
        Field("geonameid", "int", "GeoNames id of the place, when the gazetteer has one"),
        Field("admin1", "str", "first-level subdivision (state, province, governorate) the place is in"),
    ],
)

TEXT_INFO = Shape(
    "TextInfo",
    "Where the sentence and its trigger stand in the document.",
    [
        Field("sequence", "int", "index of the sentence in the document", attr="sentence_index"),
        Field("start", "int", "offset of the sentence in the document", attr="sentence_start"),
        Field("end", "int", "end offset of the sentence", attr="sentence_end"),
        Field("trigger_start", "int", "offset of the trigger in the document"),
        Field("trigger_end", "int", "end offset of the trigger"),
    ],
)


def _attribution(e: Any) -> dict[str, Any] | None:
    if e.attribution:
        return {**e.attribution.to_dict()}
    return {"entity_text": e.attribution_text} if e.attribution_text else None


def _attribution_csv(value: dict[str, Any] | None) -> list[Any]:
    value = value or {}
    return [value.get("name") or value.get("entity_text")]


def _side_csv(name: str, order: int) -> Field:
    return Field(
        name,
        ENTITY,
        f"the {name}s of the event (several for a joint {name})",
        optional=False,
        many=True,
        required=True,
        csv=(f"{name}_code", f"{name}_sector", f"{name}_name"),
        csv_order=order,
    )


EVENT = Shape(
    "Record",
    "A coded PLOVER event record (``kronika code`` prints the same).",
    [
        Field("id", "str", "deterministic mention id (KR-...)", optional=False, required=True,
              get=lambda e: e.id, csv=("id",), csv_order=0),
        Field("schema_version", "str", "version of this record schema", get=lambda e: SCHEMA_VERSION),
        Field("doc_id", "str", "the document's id", optional=False, required=True, csv=("doc_id",),
              csv_order=1),
        Field("event", "str[]", "PLOVER event types", optional=False, required=True, csv=("event",),
              csv_order=4),
        Field("mode", "str[]", "PLOVER event modes", optional=False, default=[], csv=("mode",),
              csv_order=5),
        Field("context", "str[]", "PLOVER contexts", optional=False, default=[]),
        Field("cameo", "str", "CAMEO code", csv=("cameo",), csv_order=6),
        Field("quad_code", "int", "quad class (1 verbal cooperation ... 4 material conflict)",
              csv=("quad_code",), csv_order=7),
        Field("event_scale", "float", "Goldstein-like intensity, -10 to 10", csv=("event_scale",),
              csv_order=8),
        _side_csv("actor", 9),
        _side_csv("recipient", 10),
        Field("date", "str", "YYYY-MM-DD, YYYY-MM or YYYY (see date_precision)", csv=("date",),
              csv_order=2),
        Field("date_precision", "str", "day, month or year", csv=("date_precision",), csv_order=3),
        Field("date_text", "str", "the words the date was read from"),
        Field("date_source", "str", "text or publication"),
        Field("pub_date", "str", "publication date of the document, YYYY-MM-DD"),
        Field("modality", "str", "asserted, negated, future, hypothetical or historical",
              csv=("modality",), csv_order=11),
        Field("place", PLACE, "where the event happened"),
        Field("attribution", "object", "who reported or claimed the event (an entity, or its words alone)",
              get=_attribution, csv=("attribution",), csv_order=12, flatten=_attribution_csv),
        Field("confidence", "float", "how sure the coder is, 0 to 1",
              get=lambda e: round(e.confidence, 3), csv=("confidence",), csv_order=13),
        Field("text", "str", "the sentence", optional=False, required=True, csv=("text",), csv_order=15),
        Field("text_info", TEXT_INFO, "where the sentence and its trigger stand in the document",
              optional=False, required=True, get=TEXT_INFO.to_dict),
        Field("event_text", "str", "the trigger word(s)", optional=False, required=True,
              csv=("event_text",), csv_order=14),
        Field("rule", "str", "the lexicon entry or rule that coded the mention", optional=False, default=""),
    ],
)

REMOVED = Shape(
    "Removed",
    "A stretch of the raw text that the reader cut out of the body.",
    [
        Field("start", "int", "offset in the raw text", optional=False, required=True),
        Field("end", "int", "end offset in the raw text", optional=False, required=True),
        Field("kind", "str", "comments, caption, credit, navigation, advert, related-link, css...",
              optional=False, required=True),
    ],
)

DOCUMENT = Shape(
    "DocumentRecord",
    "One input article as read: its clean text, metadata and what the reader removed.",
    [
        Field("doc_id", "str", "the document's id", optional=False, required=True),
        Field("status", "str", "ok, skipped or failed", optional=False, required=True),
        Field("reason", "str", "why the document was skipped or failed"),
        Field("title", "str", "headline"),
        Field("byline", "str", "author(s)"),
        Field("publisher", "str", "the source that published it"),
        Field("pub_date", "str", "publication date, YYYY-MM-DD",
              get=lambda d: d.pub_date.isoformat() if d.pub_date else None),
        Field("pub_date_text", "str", "the words the publication date was read from"),
        Field("dateline", "str", "the dateline (place and day) at the head of the text"),
        Field("language", "str", "language code"),
        Field("url", "str", "where it was published"),
        Field("path", "str", "the file it was read from"),
        Field("text", "str", "the clean body the coder sees; every offset refers to it", optional=False,
              default=""),
        Field("removed", REMOVED, "what the reader cut out", optional=False, many=True),
        Field("warnings", "str[]", "what the reader noticed", optional=False, default=[]),
    ],
)
