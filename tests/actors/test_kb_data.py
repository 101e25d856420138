"""Checks on the packaged actor knowledge base files: shape, codes, sectors, and known facts."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

import kronika

ACTORS = Path(kronika.__file__).resolve().parent / "data" / "actors"

NON_STATE = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
SECTORS = {
    "COP",
    "GOV",
    "JUD",
    "LEG",
    "MIL",
    "PRM",
    "PTY",
    "REB",
    "SPY",
    "UAF",
    "UNK",
    "AGR",
    "BUS",
    "CRM",
    "CVL",
    "EDU",
    "ELI",
    "JRN",
    "LAB",
    "MED",
    "REF",
    "OPP",
    "PRE",
    "REL",
    "SOC",
}
ISO3 = {c.alpha_3 for c in pycountry.countries}
CODE_RE = re.compile(r"^[A-Z]{3}$")


def _load(name: str) -> list[dict]:
    with (ACTORS / name).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, list) and data, f"{name} must be a non-empty list of entries"
    return data


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return _load("countries.yaml")


@pytest.fixture(scope="module")
def seats() -> list[dict]:
    return _load("seats.yaml")


@pytest.fixture(scope="module")
def organizations() -> list[dict]:
    return _load("organizations.yaml")


@pytest.fixture(scope="module")
def sectors() -> list[dict]:
    return _load("sectors.yaml")


@pytest.fixture(scope="module")
def surface(countries, seats, organizations) -> dict[str, set[tuple[str, str]]]:
    """Every surface form → the set of (file, code) it resolves to."""
    forms: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in countries:
        for form in [e["name"], *e["aliases"], *e["demonyms"], *e["capitals"]]:
            forms[form].add(("countries", e["code"]))
    for e in seats:
        for form in [e["text"], *(e.get("aliases") or [])]:
            forms[form].add(("seats", e["code"]))
    for e in organizations:
        for form in [e["name"], *e["aliases"]]:
            forms[form].add(("organizations", e["code"]))
    return forms


def _is_string_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() == v and v for v in value)


# --- shape ---------------------------------------------------------------------------------------


def test_countries_entries_have_the_documented_keys(countries):
    for e in countries:
        assert set(e) == {"code", "name", "aliases", "demonyms", "capitals"}, e
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"], e
        for key in ("aliases", "demonyms", "capitals"):
            assert _is_string_list(e[key]), (e["code"], key)


def test_seats_entries_have_the_documented_keys(seats):
    for e in seats:
        assert set(e) <= {"text", "code", "sector", "aliases"} and {"text", "code", "sector"} <= set(e), e
        assert isinstance(e["text"], str) and e["text"].strip() == e["text"], e
        assert _is_string_list(e.get("aliases") or []), e["text"]
        for form in [e["text"], *(e.get("aliases") or [])]:
            assert not form.lower().startswith("the "), f"write {form!r} without 'the'"


def test_organizations_entries_have_the_documented_keys(organizations):
    for e in organizations:
        assert set(e) == {"name", "aliases", "code", "sector"}, e
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"], e
        assert _is_string_list(e["aliases"]), e["name"]


def test_sectors_entries_have_the_documented_keys(sectors):
    for e in sectors:
        assert set(e) <= {"text", "sector", "head", "country"} and {"text", "sector"} <= set(e), e
        assert isinstance(e.get("head", False), bool), e
        assert e["text"] == e["text"].lower().strip(), f"{e['text']!r} must be lower-case"
        assert "  " not in e["text"], e


# --- codes and sectors ---------------------------------------------------------------------------


def test_country_codes_are_iso_alpha3_or_kosovo(countries):
    for e in countries:
        assert CODE_RE.match(e["code"]), e["code"]
        assert e["code"] in ISO3 or e["code"] == "KOS", f"{e['code']} is not ISO 3166 alpha-3"


def test_each_country_appears_once(countries):
    codes = [e["code"] for e in countries]
    assert len(codes) == len(set(codes))
    names = [e["name"] for e in countries]
    assert len(names) == len(set(names))


def test_plover_exceptions_and_large_states_are_present(countries):
    codes = {e["code"] for e in countries}
    assert {"PSE", "HKG", "KOS", "VAT", "USA", "GBR", "CHN", "IND", "BRA", "NGA", "ZAF"} <= codes
    assert len(codes) >= 195


@pytest.mark.parametrize("dependency", ["PRI", "GUM", "GRL", "FLK", "GIB", "MAC", "ESH", "NCL", "ABW"])
def test_dependencies_fold_into_their_controlling_state(countries, dependency):
    assert dependency not in {e["code"] for e in countries}


def test_seat_and_organization_codes_are_known(countries, seats, organizations):
    known = {e["code"] for e in countries} | NON_STATE
    for e in [*seats, *organizations]:
        assert CODE_RE.match(e["code"]), e
        assert e["code"] in known, f"{e.get('name', e.get('text'))}: unknown code {e['code']}"


def test_sectors_are_plover_sectors(seats, organizations, sectors):
    for e in [*seats, *organizations, *sectors]:
        assert e["sector"] in SECTORS, e


def test_non_state_organizations_use_non_state_codes_only_for_international_actors(organizations):
    by_name = {e["name"]: e for e in organizations}
    assert by_name["United Nations"]["code"] == "UNO"
    assert by_name["European Union"]["code"] == "EUR"
    assert by_name["NATO"]["code"] == "IGO"
    assert by_name["Hezbollah"]["code"] == "LBN"


# --- ambiguity -----------------------------------------------------------------------------------


def test_no_surface_form_maps_to_two_codes(surface):
    clashes = {form: sorted(targets) for form, targets in surface.items() if len({c for _, c in targets}) > 1}
    assert not clashes, clashes


def test_no_surface_form_is_listed_twice_in_one_file(countries, seats, organizations):
    for name, forms in [
        (
            "countries",
            [f for e in countries for f in [e["name"], *e["aliases"], *e["demonyms"], *e["capitals"]]],
        ),
        ("seats", [f for e in seats for f in [e["text"], *(e.get("aliases") or [])]]),
        ("organizations", [f for e in organizations for f in [e["name"], *e["aliases"]]]),
    ]:
        seen: set[str] = set()
        repeated = {f for f in forms if f in seen or seen.add(f)}
        assert not repeated, (name, repeated)


def test_no_sector_title_is_listed_twice(sectors):
    texts = [e["text"] for e in sectors]
    assert len(texts) == len(set(texts)), sorted(t for t in set(texts) if texts.count(t) > 1)


@pytest.mark.parametrize(
    "form",
    ["us", "Us", "uk", "Korea", "the Kremlin", "Kurdish", "Kurds", "Arab", "Arabs", "Jewish", "Persian"],
)
def test_ambiguous_or_ethnic_forms_are_not_country_names(surface, form):
    assert form not in surface


def test_congo_means_the_democratic_republic(surface):
    assert {c for _, c in surface["Congo"]} == {"COD"}
    assert {c for _, c in surface["Congo-Brazzaville"]} == {"COG"}


# --- known facts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("Kremlin", "RUS"),
        ("White House", "USA"),
        ("Pentagon", "USA"),
        ("Knesset", "ISR"),
        ("Downing Street", "GBR"),
        ("Élysée", "FRA"),
        ("Zhongnanhai", "CHN"),
        ("IRGC", "IRN"),
        ("Daesh", "IMG"),
        ("al-Qaeda", "IMG"),
        ("Nusra Front", "IMG"),
        ("Hezbollah", "LBN"),
        ("Hamas", "PSE"),
        ("Taliban", "AFG"),
        ("PKK", "TUR"),
        ("YPG", "SYR"),
        ("Houthis", "YEM"),
        ("Security Council", "UNO"),
        ("UNHCR", "UNO"),
        ("European Commission", "EUR"),
        ("NATO", "IGO"),
        ("ICRC", "NGO"),
        ("Reuters", "GBR"),
        ("Xinhua", "CHN"),
        ("Al Jazeera", "QAT"),
        ("U.S.", "USA"),
        ("Britain", "GBR"),
        ("Burma", "MMR"),
        ("Ivory Coast", "CIV"),
        ("DPRK", "PRK"),
        ("Soviet Union", "RUS"),
        ("Yugoslavia", "SRB"),
        ("Kampuchea", "KHM"),
        ("Czechia", "CZE"),
        ("Zaire", "COD"),
        ("Moscow", "RUS"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Jerusalem", "ISR"),
        ("Georgia", "GEO"),
        ("Greenland", "DNK"),
        ("Puerto Rico", "USA"),
        ("Palestinian", "PSE"),
        ("Soviet", "RUS"),
        ("Wagner Group", "RUS"),
        ("Muslim Brotherhood", "EGY"),
        ("Associated Press", "USA"),
        ("AFP", "FRA"),
        ("Saudi", "SAU"),
        ("Britons", "GBR"),
        ("Iranian", "IRN"),
    ],
)
def test_known_surface_forms(surface, form, code):
    assert {c for _, c in surface.get(form, set())} == {code}


def test_country_forms_are_written_as_in_news_not_lower_case(countries):
    """Country forms are matched case-sensitively, so a lower-case form would match ordinary words."""
    for e in countries:
        for form in [e["name"], *e["aliases"], *e["demonyms"], *e["capitals"]]:
            assert form != form.lower(), (e["code"], form)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Abkhazia", "GEO"),
        ("South Ossetia", "GEO"),
        ("Transnistria", "MDA"),
        ("Nagorno-Karabakh", "AZE"),
        ("Turkish Republic of Northern Cyprus", "CYP"),
        ("Somaliland", "SOM"),
        ("Western Sahara", "MAR"),
        ("Donetsk People's Republic", "UKR"),
        ("Luhansk People's Republic", "UKR"),
    ],
)
def test_breakaway_entities_code_the_claimant_state_with_sector_pre(organizations, name, code):
    entry = next(e for e in organizations if e["name"] == name)
    assert (entry["code"], entry["sector"]) == (code, "PRE")


def test_files_cover_a_broad_range_of_actors(seats, organizations, sectors):
    assert len(organizations) >= 250
    assert len(sectors) >= 250
    assert len(seats) >= 50
    assert {e["code"] for e in organizations} >= {"UNO", "EUR", "IGO", "NGO", "ISM", "IMG", "MNC"}
    heads = {e["text"] for e in sectors if e.get("head")}
    assert {"president", "prime minister", "king", "emir", "chancellor", "supreme leader"} <= heads


def test_hyphenated_titles_are_written_as_the_tokenizer_splits_them(sectors):
    for e in sectors:
        assert "-" not in e["text"].replace(" - ", " "), f"write {e['text']!r} with the hyphen as a word"


def test_the_packaged_files_build_a_knowledge_base():
    from kronika.knowledge import Knowledge

    kb = Knowledge([ACTORS.parent]).kb
    assert [(r.code, r.sector) for r in kb.lookup("Kremlin")] == [("RUS", "GOV")]
    assert {r.code for r in kb.lookup("Syrian")} == {"SYR"}
    assert kb.titles[("prime", "minister")].head
    assert kb.titles[("ex", "-", "president")].sector == "ELI"


def test_saudi_is_a_demonym_of_saudi_arabia(countries):
    sau = next(e for e in countries if e["code"] == "SAU")
    assert {"Saudi", "Saudis", "Saudi Arabian"} <= set(sau["demonyms"])


@pytest.mark.parametrize(
    ("form", "sector"),
    [
        ("Kremlin", "GOV"),
        ("Pentagon", "MIL"),
        ("CIA", "SPY"),
        ("FBI", "COP"),
        ("Knesset", "LEG"),
        ("Duma", "LEG"),
        ("Mossad", "SPY"),
    ],
)
def test_seat_sectors(seats, form, sector):
    entry = next(e for e in seats if form in [e["text"], *(e.get("aliases") or [])])
    assert entry["sector"] == sector


@pytest.mark.parametrize(
    ("text", "sector", "head"),
    [
        ("president", "GOV", True),
        ("prime minister", "GOV", True),
        ("king", "GOV", True),
        ("foreign minister", "GOV", False),
        ("rebel", "REB", False),
        ("police", "COP", False),
        ("gunman", "UAF", False),
        ("soldier", "MIL", False),
        ("journalist", "JRN", False),
        ("refugee", "REF", False),
        ("lawmaker", "LEG", False),
        ("cleric", "REL", False),
    ],
)
def test_sector_titles(sectors, text, sector, head):
    entry = next(e for e in sectors if e["text"] == text)
    assert entry["sector"] == sector
    assert entry.get("head", False) is head


def _lemmas(nlp, text: str, frame: bool) -> str:
    doc = nlp(f"The {text} said.") if frame else nlp(text)
    tokens = doc[1:-2] if frame else doc
    return " ".join(t.lemma_.lower() for t in tokens)


def test_sector_titles_are_written_as_lemmas(sectors, nlp):
    """Titles are matched on document lemmas, so each must be written as its lemmas.

    "rebel", not "rebels"; "human right group" for "human rights groups". A participle may keep its
    form as an adjective in a sentence ("masked gunman"), so the lemmas of the title inside a short
    sentence are accepted as well as those of the bare title.
    """
    wrong = {}
    for e in sectors:
        text = e["text"]
        if text not in (_lemmas(nlp, text, frame=False), _lemmas(nlp, text, frame=True)):
            wrong[text] = _lemmas(nlp, text, frame=True)
    assert not wrong, wrong


# --- people.yaml (owned elsewhere; only its shape is checked here) --------------------------------


def test_people_file_has_the_documented_shape(countries):
    path = ACTORS / "people.yaml"
    if not path.is_file():
        pytest.skip("people.yaml is not present")
    people = _load("people.yaml")
    known = {e["code"] for e in countries} | NON_STATE
    for e in people:
        assert {"name", "roles"} <= set(e) <= {"name", "aliases", "roles"}, e
        assert _is_string_list(e.get("aliases") or []), e["name"]
        assert isinstance(e["roles"], list) and e["roles"], e["name"]
        for r in e["roles"]:
            assert {"code", "sector", "office", "start", "end"} <= set(r), (e["name"], r)
            assert r["code"] in known, (e["name"], r["code"])
            assert r["sector"] in SECTORS, (e["name"], r["sector"])
            for key in ("start", "end"):
                assert r[key] is None or isinstance(r[key], dt.date), (e["name"], key, r[key])
            if r["start"] and r["end"]:
                assert r["start"] <= r["end"], (e["name"], r)
