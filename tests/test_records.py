"""Record dictionaries stay in step with their dataclasses."""

from __future__ import annotations

from dataclasses import asdict

from kronika.records import Entity, EventPlace


def test_entity_dict_has_every_field():
    e = Entity("RUS", "GOV", "Putin", "Vladimir Putin", 0, 5, "people:Vladimir Putin")
    assert e.to_dict() == asdict(e)


def test_place_dict_has_every_field():
    p = EventPlace("Aleppo", "SYR", "city", "Aleppo", 10, 16, 36.2, 37.16, 170063, "Aleppo")
    assert p.to_dict() == asdict(p)
    assert p.to_dict()["geonameid"] == 170063 and p.to_dict()["admin1"] == "Aleppo"


# --------------------------------------------------------------------------- the one declaration

import json  # noqa: E402

import pytest  # noqa: E402

from kronika.cli.code import CSV_COLUMNS, _flat  # noqa: E402
from kronika.document import Document, Removed  # noqa: E402
from kronika.records import Event  # noqa: E402
from kronika.schema import DOCUMENT, ENTITY, EVENT, Field, Shape  # noqa: E402


def _event(**overrides) -> Event:
    values = dict(
        doc_id="d1",
        event=["CONSULT"],
        actor=[Entity("RUS", "GOV", "Putin", "Vladimir Putin", 0, 5, "people:Vladimir Putin")],
        recipient=[Entity("SYR", "GOV", "Assad", "Bashar al-Assad", 15, 20, "people:Bashar al-Assad")],
        cameo="040",
        quad_code=1,
        event_scale=1.0,
        text="Putin called Assad.",
        sentence_index=0,
        sentence_start=0,
        sentence_end=19,
        trigger_start=6,
        trigger_end=12,
        event_text="called",
        date="2016-02-24",
        date_precision="day",
        confidence=0.71234,
        place=EventPlace("Moscow", "RUS", "city", "Moscow", 30, 36, 55.75, 37.62),
        attribution_text="officials",
    )
    values.update(overrides)
    return Event(**values)


def test_event_dict_keeps_its_keys_in_record_order():
    """``kronika code`` and the store write ``json.dumps(to_dict())``: key order is part of the output."""
    assert json.dumps(_event().to_dict(), ensure_ascii=False) == (
        '{"id": "KR-cffbaa7769e6cbe9", "schema_version": "1.2", "doc_id": "d1", "event": ["CONSULT"], '
        '"mode": [], "context": [], "cameo": "040", "quad_code": 1, "event_scale": 1.0, '
        '"actor": [{"code": "RUS", "sector": "GOV", "entity_text": "Putin", "name": "Vladimir Putin", '
        '"start": 0, "end": 5, "rule": "people:Vladimir Putin"}], '
        '"recipient": [{"code": "SYR", "sector": "GOV", "entity_text": "Assad", "name": "Bashar al-Assad", '
        '"start": 15, "end": 20, "rule": "people:Bashar al-Assad"}], '
        '"date": "2016-02-24", "date_precision": "day", "date_text": null, "date_source": null, '
        '"pub_date": null, "modality": "asserted", '
        '"place": {"name": "Moscow", "country": "RUS", "kind": "city", "text": "Moscow", "start": 30, '
        '"end": 36, "lat": 55.75, "lon": 37.62, "geonameid": null, "admin1": null}, '
        '"attribution": {"entity_text": "officials"}, '
        '"confidence": 0.712, "text": "Putin called Assad.", '
        '"text_info": {"sequence": 0, "start": 0, "end": 19, "trigger_start": 6, "trigger_end": 12}, '
        '"event_text": "called", "rule": ""}'
    )


def test_attribution_is_the_entity_when_known():
    who = Entity(None, "GOV", "the ministry", None, 40, 52)
    assert _event(attribution=who).to_dict()["attribution"] == who.to_dict()
    assert _event(attribution_text=None).to_dict()["attribution"] is None


def test_document_dict_follows_its_declaration():
    doc = Document("d", "text", removed=[Removed(0, 3, "caption")], warnings=["w"])
    d = doc.to_dict()
    assert list(d) == DOCUMENT.names
    assert d["removed"] == [{"start": 0, "end": 3, "kind": "caption"}] and d["pub_date"] is None


def test_every_declared_field_is_in_the_dictionary_the_csv_or_the_api_model():
    record = _event().to_dict()
    assert list(record) == EVENT.names
    assert CSV_COLUMNS == EVENT.csv_header()
    assert list(_flat(record)) == CSV_COLUMNS
    assert set(EVENT.model().model_fields) == set(EVENT.names)
    assert set(ENTITY.model().model_fields) == set(ENTITY.names)


def test_csv_flattens_lists_sides_and_attribution():
    row = _flat(_event(actor=[_event().actor[0], Entity("RUS", "MIL", "army", None, 0, 4)]).to_dict())
    assert row["actor_code"] == "RUS;RUS" and row["actor_name"] == "Vladimir Putin;"
    assert row["event"] == "CONSULT" and row["attribution"] == "officials" and row["confidence"] == 0.712


@pytest.fixture
def extended() -> Shape:
    """The event declaration with one more field, as a new field is added."""
    new = Field("salience", "float", "how central the event is to its article", get=lambda e: 0.5,
                csv=("salience",), csv_order=99)
    return Shape("Record", EVENT.doc, [*EVENT.fields, new])


def test_a_new_field_reaches_the_dictionary_the_csv_and_the_api_model(extended):
    record = extended.to_dict(_event())
    assert record["salience"] == 0.5 and list(record)[:-1] == EVENT.names
    assert extended.csv_header()[-1] == "salience"
    assert extended.csv_row(record)["salience"] == 0.5
    model = extended.model()
    assert model.model_fields["salience"].description == "how central the event is to its article"
    assert model.model_validate(record).salience == 0.5
