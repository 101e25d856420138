"""Actor coding on sentences written for the purpose: names, titles, seats, dates of office, coreference."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.actors.recognize import ActorResolver
from kronika.pipeline import get_coder


def _coded(text: str, pub: dt.date | None):
    coder = get_coder()
    doc = coder.nlp(text)
    resolver = ActorResolver(coder.kb, coder.matcher.index(doc), pub)
    out = []
    for sent in doc.sents:
        resolver.observe(sent)
        for head in sorted(resolver._cache):
            for a in resolver._cache[head]:
                if a not in out:
                    out.append(a)
    return out


def _find(actors, text):
    return next(a for a in actors if text in a.text)


@pytest.mark.parametrize(
    ("sentence", "phrase", "code", "sector"),
    [
        ("The Kremlin rejected the report.", "Kremlin", "RUS", "GOV"),
        ("The Pentagon announced new deployments.", "Pentagon", "USA", "MIL"),
        ("Israeli soldiers arrested two men.", "Israeli soldiers", "ISR", "MIL"),
        ("Syrian rebels shelled the town.", "Syrian rebels", "SYR", "REB"),
        ("Moscow protested to Washington.", "Moscow", "RUS", "GOV"),
        ("The Turkish police detained dozens of protesters.", "police", "TUR", "COP"),
        ("Islamic State fighters seized the village.", "Islamic State", "IMG", "REB"),
        ("Hezbollah guerrillas fired rockets.", "Hezbollah", "LBN", "REB"),
        ("The United Nations sent food aid.", "United Nations", "UNO", "GOV"),
    ],
)
def test_codes_country_and_sector(sentence, phrase, code, sector):
    a = _find(_coded(sentence, dt.date(2016, 1, 1)), phrase)
    assert (a.code, a.sector) == (code, sector)


def test_surname_resolves_by_date_of_office():
    early = _find(_coded("Assad received the envoy in Damascus.", dt.date(1995, 6, 1)), "Assad")
    late = _find(_coded("Assad received the envoy in Damascus.", dt.date(2016, 6, 1)), "Assad")
    assert early.name == "Hafez al-Assad"
    assert late.name == "Bashar al-Assad"
    assert early.code == late.code == "SYR"


def test_title_and_name_unknown_to_the_knowledge_base_carry_to_later_surname():
    text = (
        "Ruritanian-born Syrian opposition leader Karim Haddad arrived in Geneva on Monday. "
        "Haddad later met the envoy."
    )
    actors = _coded(text, dt.date(2016, 2, 1))
    later = [a for a in actors if a.text == "Haddad"]
    assert later and later[0].code == "SYR" and later[0].sector == "OPP"


def test_definite_description_resolves_to_the_office_holder():
    actors = _coded("The Russian leader spoke on Tuesday.", dt.date(2016, 2, 24))
    a = _find(actors, "Russian leader")
    assert a.code == "RUS" and a.sector == "GOV"
    assert a.name == "Vladimir Putin"


def test_capitalised_word_is_not_a_person_alias_at_sentence_start():
    actors = _coded("Major questions remain over the truce.", dt.date(2016, 2, 24))
    assert all(a.kind != "person" for a in actors)


def test_undated_text_reads_offices_when_the_people_it_names_served_together():
    text = (
        "U.S. President Barack Obama urged Vladimir Putin to stop the strikes. "
        "Secretary of State John Kerry said Assad must go."
    )
    actors = _coded(text, None)
    obama, assad = _find(actors, "Obama"), _find(actors, "Assad")
    assert (obama.code, obama.sector) == ("USA", "GOV")  # not the former president he is today
    assert (assad.name, assad.code, assad.sector) == ("Bashar al-Assad", "SYR", "GOV")


def test_likeliest_day_is_where_most_names_overlap_and_ignores_former_offices():
    from kronika.actors.kb import Person, Role, likeliest_day

    def person(name, *roles):
        return Person(
            name, tuple(Role("XXX", s, "office", dt.date(*a), b and dt.date(*b)) for s, a, b in roles)
        )

    a = person("A", ("GOV", (2009, 1, 20), (2017, 1, 20)), ("ELI", (2017, 1, 20), None))
    b = person("B", ("GOV", (2013, 2, 1), (2017, 2, 1)))
    c = person("C", ("GOV", (1990, 1, 1), (1995, 1, 1)))
    day = likeliest_day([[a], [b], [b], [c]])
    assert dt.date(2013, 2, 1) < day < dt.date(2017, 1, 20)
    assert likeliest_day([[a]]) < dt.date(2017, 1, 20)  # the former-president years do not count
    assert likeliest_day([]) is None
    # one name that may be either of two people counts once, on the days either held office
    assert dt.date(1990, 1, 1) < likeliest_day([[b, c], [c]]) < dt.date(1995, 1, 1)


def test_a_surname_after_other_given_names_is_another_person():
    text = "Venezuelan General Hector Armando Hernández Da Costa was detained. Putin later met Mr Costa."
    actors = _coded(text, dt.date(2018, 8, 10))
    first, second = text.index("Da Costa"), text.index("Mr Costa")
    assert all(a.name != "Antonio Costa" for a in actors if a.start is not None and a.start < second)
    assert any(a.name == "Antonio Costa" for a in actors if a.start is not None and a.start > first)


def test_an_office_only_one_country_has_names_it_unless_the_phrase_names_another():
    from kronika.config import Settings
    from kronika.pipeline import code_texts

    every = Settings(min_confidence=0)
    (home,) = code_texts(["The home secretary condemned Iran."], pub_date="2017-12-08", settings=every)
    assert (home.actor[0].code, home.actor[0].sector) == ("GBR", "GOV")
    assert home.actor[0].rule.endswith("office-country")
    text = "The French foreign secretary condemned Iran."
    (french,) = code_texts([text], pub_date="2017-12-08", settings=every)
    assert french.actor[0].code == "FRA"


def test_relatives_take_the_country_of_whose_relatives_they_are():
    import datetime as dt

    from kronika.actors.recognize import ActorResolver
    from kronika.config import Settings
    from kronika.pipeline import get_coder

    coder = get_coder(Settings(min_confidence=0))
    doc = coder.nlp("Jack Letts, a Briton from Oxford, went to Syria. His parents were charged in court.")
    resolver = ActorResolver(coder.kb, coder.matcher.index(doc), dt.date(2017, 11, 22))
    for sent in doc.sents:
        resolver.observe(sent)
    parents = next(t for t in doc if t.text == "parents")
    assert [(a.code, a.sector) for a in resolver.code_phrase(parents)] == [("GBR", "CVL")]


def test_long_organisation_names_match_in_lower_case():
    from kronika.config import Settings
    from kronika.pipeline import code_texts

    text = "The European court of human rights backed the UK in one such case."
    events = code_texts([text], settings=Settings(min_confidence=0))
    backed = next(e.to_dict() for e in events if e.event_text == "backed")
    assert [a["code"] for a in backed["actor"]] == ["IGO"]
