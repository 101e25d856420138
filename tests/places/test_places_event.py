"""Choosing the place of an event: prepositional phrases on verbal and nominal triggers, the
"city of" construction, direct objects, the one-place fallback, and countries or capitals that are
the event's participants rather than its place."""

from __future__ import annotations

import pytest

from kronika.places import event_place, find_places


def _place(nlp, text: str, trigger: str, nth: int = 0):
    doc = nlp(text)
    places = find_places(doc)
    tokens = [t for t in doc if t.text == trigger]
    assert tokens, f"{trigger!r} not in {text!r}"
    tok = tokens[nth]
    found = event_place(tok.sent, tok, places)
    return found.name if found else None


@pytest.mark.parametrize(
    "text, trigger, expected",
    [
        # verbal triggers
        ("A car bomb exploded in Samarra on Tuesday, killing five people.", "exploded", "Samarra"),
        ("A bomb exploded in the Iraqi city of Basra on Tuesday.", "exploded", "Basra"),
        ("Clashes erupted on the outskirts of Mosul, police said.", "erupted", "Mosul"),
        ("Russian troops withdrew from Syria last year.", "withdrew", "Syria"),
        ("Kerry met Lavrov in Geneva, the State Department said.", "met", "Geneva"),
        ("Putin flew to Sochi to meet Erdogan.", "flew", "Sochi"),
        ("Rebels captured Palmyra after heavy fighting near Homs.", "captured", "Palmyra"),
        ("Gunmen attacked a convoy travelling near Kandahar.", "attacked", "Kandahar"),
        ("Troops were deployed in northern Syria's Idlib province.", "deployed", "Idlib"),
        ("Naval forces clashed off the coast of Libya.", "clashed", "Libya"),
        ("In Basra, Iraq, a roadside bomb killed three soldiers.", "killed", "Basra"),
        ("Militants seized the town of Hit in western Anbar.", "seized", "Hit"),
        ("The premier travelled to Moscow for talks on gas prices.", "travelled", "Moscow"),
        # nominal triggers
        ("Fighting in Syria killed 12 people.", "Fighting", "Syria"),
        ("Russian air strikes on Aleppo killed 20 civilians.", "strikes", "Aleppo"),
        ("The siege of Aleppo ended in December.", "siege", "Aleppo"),
        ("A missile strike on Kyiv wounded four people.", "strike", "Kyiv"),
        ("The talks on Ukraine's future were held in Minsk.", "talks", "Minsk"),
        ("Talks on Syria resumed in Geneva on Monday.", "Talks", "Geneva"),
        ("The bombing of a market in Baqubah killed dozens.", "bombing", "Baqubah"),
    ],
)
def test_place_in_a_prepositional_phrase_or_object(nlp, text, trigger, expected):
    assert _place(nlp, text, trigger) == expected


def test_nearest_phrase_to_the_trigger_wins(nlp):
    text = "After talks in Ankara, Iraqi forces launched an offensive near Tal Afar."
    assert _place(nlp, text, "launched") == "Tal Afar"
    assert _place(nlp, text, "talks") == "Ankara"


def test_places_of_two_clauses_stay_apart(nlp):
    text = "The minister said in Baghdad that militants had attacked a checkpoint near Fallujah."
    assert _place(nlp, text, "attacked") == "Fallujah"
    assert _place(nlp, text, "said") == "Baghdad"


def test_a_specific_place_beats_its_country(nlp):
    assert _place(nlp, "Two soldiers died in Kirkuk, Iraq, on Friday.", "died") == "Kirkuk"


@pytest.mark.parametrize(
    "text, trigger",
    [
        ("Russia attacked Turkey.", "attacked"),
        ("Sweden sold weapons to Saudi Arabia.", "sold"),
        ("Moscow accused Kyiv of shelling civilians.", "accused"),
        ("Washington imposed sanctions on Moscow.", "imposed"),
        ("Iran and Iraq signed a trade agreement.", "signed"),
        ("The foreign minister criticised Israel.", "criticised"),
    ],
)
def test_countries_and_capitals_that_take_part_are_not_the_place(nlp, text, trigger):
    assert _place(nlp, text, trigger) is None


def test_one_place_elsewhere_in_the_sentence_is_the_place(nlp):
    text = "An army spokesman in Damascus said rebels attacked a checkpoint."
    assert _place(nlp, text, "attacked") == "Damascus"


def test_two_places_elsewhere_in_the_sentence_give_no_place(nlp):
    text = "Officials from Aleppo and Homs said the rebels attacked a checkpoint."
    assert _place(nlp, text, "attacked") is None


def test_a_repeated_place_counts_once(nlp):
    text = "Aleppo residents said the shelling of Aleppo's old quarter had stopped."
    assert _place(nlp, text, "stopped") == "Aleppo"


def test_no_place_in_the_sentence(nlp):
    assert _place(nlp, "Rebels ambushed a patrol on Sunday.", "ambushed") is None


def test_only_places_of_the_given_sentence_count(nlp):
    doc = nlp("Fighting raged in Homs on Monday. Rebels ambushed a patrol on Sunday.")
    places = find_places(doc)
    second = list(doc.sents)[1]
    trigger = next(t for t in second if t.text == "ambushed")
    assert event_place(second, trigger, places) is None
    first = list(doc.sents)[0]
    assert event_place(first, first[0], places).name == "Homs"
