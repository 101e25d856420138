"""Checks on the packaged gazetteer (shape, codes, forms, coverage) and on user extensions."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

import kronika
from kronika.config import Settings
from kronika.knowledge import Knowledge
from kronika.places import PLACE_KINDS, find_places, form_variants, load_gazetteer, tokenize

DATA = Path(kronika.__file__).resolve().parent / "data"
PLACES = DATA / "places" / "places.yaml"
CODES = {c.alpha_3 for c in pycountry.countries} | {"PSE", "KOS"}
# Countries too large for the "all entries lie near each other" check.
LARGE = set("RUS USA CAN CHN AUS BRA IDN IND FRA ESP GBR ARG MEX JPN MYS".split())


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    with PLACES.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, list) and data
    return data


@pytest.fixture(scope="module")
def country_forms() -> dict[str, tuple[str, str]]:
    """Every country name, alias and capital in countries.yaml → (code, "country" | "capital")."""
    with (DATA / "actors" / "countries.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    out = {}
    for e in data:
        for f in [e["name"], *(e.get("aliases") or [])]:
            out[f] = (e["code"], "country")
        for f in e.get("capitals") or []:
            out[f] = (e["code"], "capital")
    return out


def _ambiguous(entry: dict) -> set[str]:
    amb = entry.get("ambiguous", False)
    forms = {entry["name"], *(entry.get("aliases") or [])}
    if amb is True:
        return forms
    return set(amb or [])


def test_every_entry_has_name_country_kind(entries):
    for e in entries:
        assert isinstance(e, dict), e
        assert set(e) <= {"name", "aliases", "country", "kind", "lat", "lon", "ambiguous"}, e
        assert isinstance(e.get("name"), str) and e["name"].strip() == e["name"] and e["name"], e
        assert e.get("kind") in PLACE_KINDS, e
        assert isinstance(e.get("aliases", []), list), e
        amb = e.get("ambiguous", False)
        assert amb in (True, False) or (
            isinstance(amb, list) and set(amb) <= {e["name"], *e.get("aliases", [])}
        ), e


def test_country_codes_are_valid(entries):
    bad = [(e["name"], e["country"]) for e in entries if e["country"] not in CODES]
    assert not bad


def test_coordinates_are_plausible(entries):
    by_country = defaultdict(list)
    for e in entries:
        assert "lat" in e and "lon" in e, e["name"]
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180, e["name"]
        assert round(e["lat"], 2) == e["lat"] and round(e["lon"], 2) == e["lon"], e["name"]
        by_country[e["country"]].append(e)
    far = []
    for code, es in by_country.items():
        if code in LARGE:
            continue
        mid = (statistics.median(e["lat"] for e in es), statistics.median(e["lon"] for e in es))
        for e in es:
            if _km(mid, (e["lat"], e["lon"])) > 1800:
                far.append((code, e["name"]))
    assert not far, "entries far from the rest of their country (sign or country error?)"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def test_names_are_unique(entries):
    seen = set()
    for e in entries:
        assert e["name"] not in seen, e["name"]
        seen.add(e["name"])


def test_no_form_names_two_countries_unless_ambiguous(entries, country_forms):
    owners: dict[tuple[str, ...], set[tuple[str, str, bool]]] = defaultdict(set)
    for e in entries:
        amb = _ambiguous(e)
        for form in [e["name"], *(e.get("aliases") or [])]:
            for v in form_variants(form):
                owners[tuple(tokenize(v))].add((e["name"], e["country"], form in amb))
    clashes = {
        k: v for k, v in owners.items() if len({c for _, c, _ in v}) > 1 and not all(a for _, _, a in v)
    }
    assert not clashes
    # A form shared with countries.yaml names the same country there (a finer kind of the same place).
    country_keys = {tuple(tokenize(f)): cc for f, cc in country_forms.items()}
    wrong = [
        (k, v)
        for k, v in owners.items()
        if k in country_keys and any(c != country_keys[k][0] and not a for _, c, a in v)
    ]
    assert not wrong


def test_capitals_are_not_repeated(entries, country_forms):
    capitals = {f for f, (_, kind) in country_forms.items() if kind == "capital"}
    repeated = [e["name"] for e in entries if {e["name"], *(e.get("aliases") or [])} & capitals]
    assert not repeated


@pytest.mark.parametrize(
    "word", ["Bar", "Split", "Nice", "Reading", "Of", "Mobile", "Hit", "Van", "Man", "Salt"]
)
def test_ordinary_words_are_never_unconditional_forms(word):
    gaz = load_gazetteer()
    found = gaz.forms.get((word,))
    assert found is None or found[1], f"{word} must be marked ambiguous"


def test_georgia_and_jordan_are_the_countries():
    gaz = load_gazetteer()
    assert (gaz.lookup("Georgia").country, gaz.lookup("Georgia").kind) == ("GEO", "country")
    assert (gaz.lookup("Jordan").country, gaz.lookup("Jordan").kind) == ("JOR", "country")


def test_size_and_coverage(entries):
    assert len(entries) >= 600
    assert len({e["country"] for e in entries}) >= 100


# Places that news about conflict and diplomacy names often, by country ("|" between forms).
REQUIRED = {
    "SYR": (
        "Aleppo|Halab|Douma|Ghouta|Eastern Ghouta|Daraa|Idlib|Raqqa|Deir ez-Zor|Palmyra|Kobani|"
        "Manbij|Afrin|Qusayr|Latakia|Tartus|Hmeimim|Al-Bab|Jarabulus|Khan Sheikhoun|Homs|Hama|"
        "Qamishli|Hasakah|Suwayda|Quneitra|Golan Heights|Damascus"
    ),
    "IRQ": (
        "Mosul|Mawsil|Basra|Kirkuk|Samarra|Fallujah|Ramadi|Tikrit|Najaf|Karbala|Erbil|"
        "Sulaymaniyah|Baqubah|Baghdad"
    ),
    "LBN": "Sidon|Tyre|Baalbek|Beirut",
    "ISR": "Tel Aviv|Jerusalem|Haifa|Ashkelon|Sderot",
    "PSE": "Gaza|Gaza Strip|West Bank|Ramallah|Hebron|Nablus|Jenin|Rafah|Khan Younis|Bethlehem",
    "JOR": "Amman|Zarqa|Irbid|Aqaba",
    "TUR": "Istanbul|Ankara|Izmir|Gaziantep|Diyarbakir|Incirlik",
    "IRN": "Tehran|Isfahan|Natanz|Mashhad|Qom",
    "SAU": "Riyadh|Jeddah|Mecca",
    "YEM": "Sanaa|Aden|Hodeidah|Taiz|Marib",
    "EGY": "Cairo|Alexandria|Sharm el-Sheikh|Sinai",
    "LBY": "Tripoli|Benghazi|Misrata|Sirte",
    "SDN": "Khartoum|Omdurman|Darfur|El Fasher",
    "SSD": "Juba|Malakal",
    "SOM": "Mogadishu|Kismayo",
    "NGA": "Lagos|Abuja|Maiduguri|Kano",
    "CIV": "Abidjan",
    "COD": "Kinshasa|Goma",
    "AFG": "Kabul|Kandahar|Herat",
    "PAK": "Karachi|Peshawar|Quetta",
    "IND": "Mumbai|Srinagar",
    "BIH": "Sarajevo|Gorazde|Srebrenica|Mostar|Banja Luka",
    "KOS": "Pristina|Mitrovica",
    "MKD": "Tetovo|Skopje",
    "RUS": "Chechnya|Grozny|Dagestan|St Petersburg|Sochi|Tyumen|Khanty-Mansiysk|Siberia|Moscow",
    "GEO": "Tskhinvali|South Ossetia|Abkhazia",
    "AZE": "Nagorno-Karabakh",
    "UKR": "Kiev|Kyiv|Donetsk|Luhansk|Crimea|Sevastopol|Mariupol|Kharkiv|Odessa",
    "CHE": "Geneva|Davos",
    "USA": "Camp David|Annapolis|New York",
    "AUT": "Vienna",
    "KAZ": "Astana",
    "DEU": "Munich",
    "FIN": "Helsinki",
}


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_places_in_the_news_are_known(code):
    gaz = load_gazetteer()
    for form in REQUIRED[code].split("|"):
        entry = gaz.lookup(form)
        assert entry is not None, form
        assert entry.country == code, (form, entry)


def test_user_places_extend_and_override_the_packaged_ones(tmp_path, monkeypatch, nlp):
    folder = tmp_path / "places"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "- {name: Kafr Takharim, country: SYR, kind: town, lat: 36.12, lon: 36.52}\n"
        "- {name: Palmyra, aliases: [Tadmur, Tudmur], country: SYR, kind: city, lat: 34.55, lon: 38.27}\n"
        "- {name: Hope, country: GUY, kind: town, ambiguous: true}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KRONIKA_DATA", str(tmp_path))
    settings = Settings()
    assert tmp_path in settings.knowledge_dirs()

    text = "Jets struck Kafr Takharim and Tudmur, and there was little hope in Hope."
    doc = nlp(text)
    mine = find_places(doc, settings)
    assert [(p.text, p.name, p.kind) for p in mine] == [
        ("Kafr Takharim", "Kafr Takharim", "town"),
        ("Tudmur", "Palmyra", "city"),
        ("Hope", "Hope", "town"),
    ]
    assert mine[2].lat is None
    assert find_places(doc, Settings(data_dirs=[])) == []  # the packaged gazetteer knows none of them
    assert load_gazetteer(settings).lookup("Palmyra").lat == 34.55


def test_bad_user_entries_are_reported(tmp_path):
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "bad.yaml").write_text("- {name: Somewhere, country: SYR}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="entry 'Somewhere', field 'kind': required field is missing"):
        Knowledge([DATA, tmp_path]).check()
    (tmp_path / "places" / "bad.yaml").write_text(
        "- {name: Somewhere, country: SYR, kind: village}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="kind must be one of"):
        Knowledge([DATA, tmp_path]).check()
