"""Record dictionaries stay in step with their dataclasses."""

from __future__ import annotations

from dataclasses import asdict

from kronika.records import Entity, EventPlace


def test_entity_dict_has_every_field():
    e = Entity("RUS", "GOV", "Putin", "Vladimir Putin", 0, 5, "people:Vladimir Putin")
    assert e.to_dict() == asdict(e)


def test_place_dict_has_every_field():
    p = EventPlace("Aleppo", "SYR", "city", "Aleppo", 10, 16, 36.2, 37.16)
    assert p.to_dict() == asdict(p)
