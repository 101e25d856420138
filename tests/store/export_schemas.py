"""The documented schemas of the export formats, as pydantic row models: each column's type and what
may fill it, so that a column filled from the wrong field (a document id as a URL, PLOVER's intensity
as Goldstein's value, a place name as a country) fails validation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kronika.records import MODALITIES
from kronika.store.codebook import cameo_codes, country_codes
from kronika.store.layouts import layout

CAMEO = cameo_codes()
COUNTRIES = country_codes()
COUNTRY_NAMES = {c.name for c in COUNTRIES.values()}
FIPS = {c.fips for c in COUNTRIES.values() if c.fips}
ISO3 = {c.alpha_3 for c in pycountry.countries} | {"KOS"}

Empty = Annotated[str, Field(max_length=0)]
Code3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


def columns(fmt: str) -> list[str]:
    return [c.name for c in layout(fmt).columns]


def _blank(v: Any) -> Any:
    return None if v in ("", None) else v


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return {k: _blank(v) for k, v in data.items()}


def _check_goldstein(code: str | None, value: float | None) -> None:
    if code is not None:
        assert code in CAMEO, f"{code} is not a CAMEO code"
        assert value == CAMEO[code].goldstein, f"{value} is not the Goldstein value of {code}"


class GdeltRow(_Row):
    """The GDELT 2.0 event table row (every column as text; empty where Kronika cannot know)."""

    GLOBALEVENTID: int = Field(gt=0)
    SQLDATE: Annotated[str, Field(pattern=r"^\d{8}$")] | None
    MonthYear: Annotated[str, Field(pattern=r"^\d{6}$")] | None
    Year: Annotated[str, Field(pattern=r"^\d{4}$")] | None
    FractionDate: float | None
    Actor1Code: Annotated[str, Field(pattern=r"^[A-Z]{3,6}$")] | None
    Actor1Name: str | None
    Actor1CountryCode: Code3 | None
    Actor1KnownGroupCode: Code3 | None
    Actor1Type1Code: Code3 | None
    Actor2Code: Annotated[str, Field(pattern=r"^[A-Z]{3,6}$")] | None
    Actor2Name: str | None
    Actor2CountryCode: Code3 | None
    Actor2KnownGroupCode: Code3 | None
    Actor2Type1Code: Code3 | None
    IsRootEvent: int | None = Field(ge=0, le=1)
    EventCode: Annotated[str, Field(pattern=r"^\d{2,4}$")]
    EventBaseCode: Annotated[str, Field(pattern=r"^\d{2,3}$")]
    EventRootCode: Annotated[str, Field(pattern=r"^\d{2}$")]
    QuadClass: int = Field(ge=1, le=4)
    GoldsteinScale: float = Field(ge=-10, le=10)
    NumMentions: int = Field(ge=1)
    NumSources: int = Field(ge=1)
    NumArticles: int = Field(ge=1)
    ActionGeo_Type: int | None = Field(ge=1, le=5)
    ActionGeo_FullName: str | None
    ActionGeo_CountryCode: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None
    ActionGeo_ADM1Code: str | None
    ActionGeo_Lat: float | None = Field(ge=-90, le=90)
    ActionGeo_Long: float | None = Field(ge=-180, le=180)
    ActionGeo_FeatureID: int | None
    DATEADDED: Annotated[str, Field(pattern=r"^\d{14}$")]
    SOURCEURL: Annotated[str, Field(pattern=r"^https?://")] | None

    @model_validator(mode="before")
    @classmethod
    def _unknown_columns_are_empty(cls, data: Any) -> Any:
        known = set(cls.model_fields)
        rest = {k: v for k, v in data.items() if k not in known and v not in ("", None)}
        assert not rest, f"columns Kronika cannot know are filled: {rest}"
        return {k: v for k, v in data.items() if k in known}

    @model_validator(mode="after")
    def _consistent(self) -> GdeltRow:
        assert self.EventCode.startswith(self.EventBaseCode) and self.EventBaseCode.startswith(
            self.EventRootCode
        )
        _check_goldstein(self.EventCode, self.GoldsteinScale)
        if self.SQLDATE:
            dt.date(int(self.SQLDATE[:4]), int(self.SQLDATE[4:6]), int(self.SQLDATE[6:]))
            assert self.MonthYear == self.SQLDATE[:6] and self.Year == self.SQLDATE[:4]
            assert self.FractionDate is not None and int(self.Year) <= self.FractionDate < int(self.Year) + 1
        if self.ActionGeo_CountryCode:
            assert self.ActionGeo_CountryCode in FIPS
            assert (self.ActionGeo_ADM1Code or "").startswith(self.ActionGeo_CountryCode)
        for code in (self.Actor1CountryCode, self.Actor2CountryCode):
            assert code is None or code in ISO3
        return self


class _Dated(_Row):
    date_precision: str | None = Field(None, alias="Date Precision")
    modality: str = Field(alias="Modality")
    confidence: float = Field(alias="Confidence", ge=0, le=1)
    kronika_id: Annotated[str, Field(pattern=r"^KE-")] = Field(alias="Kronika Event ID")
    event_id: int = Field(alias="Event ID", gt=0)
    start: dt.date | None = Field(alias="Event Date")  # empty only for an undated event
    end: dt.date | None = Field(alias="Event Date End")

    @field_validator("modality")
    @classmethod
    def _modality(cls, v: str) -> str:
        assert v in MODALITIES, v
        return v

    @model_validator(mode="after")
    def _range(self) -> _Dated:
        if self.start is None:
            assert self.end is None and self.date_precision is None
        else:
            assert self.end is not None and self.start <= self.end
            assert self.date_precision in ("day", "month", "year")
        return self


class IcewsRow(_Dated):
    """An ICEWS coded event row: names, CAMEO label and Goldstein intensity, the place's country name."""

    source_name: str | None = Field(alias="Source Name")
    source_sectors: Code3 | None = Field(alias="Source Sectors")
    source_country: str | None = Field(alias="Source Country")
    event_text: str = Field(alias="Event Text")
    cameo: Annotated[str, Field(pattern=r"^\d{2,4}$")] = Field(alias="CAMEO Code")
    intensity: float = Field(alias="Intensity")
    target_name: str | None = Field(alias="Target Name")
    target_sectors: Code3 | None = Field(alias="Target Sectors")
    target_country: str | None = Field(alias="Target Country")
    story: str = Field(alias="Story ID")
    sentence: int = Field(alias="Sentence Number", ge=1)
    publisher: str | None = Field(alias="Publisher")
    city: str | None = Field(alias="City")
    district: Empty | None = Field(alias="District")
    province: str | None = Field(alias="Province")
    country: str | None = Field(alias="Country")
    lat: float | None = Field(alias="Latitude", ge=-90, le=90)
    lon: float | None = Field(alias="Longitude", ge=-180, le=180)

    @model_validator(mode="after")
    def _codes(self) -> IcewsRow:
        assert self.event_text == CAMEO[self.cameo].label, (self.event_text, self.cameo)
        _check_goldstein(self.cameo, self.intensity)
        for name in (self.source_country, self.target_country, self.country):
            assert name is None or name in COUNTRY_NAMES, f"{name!r} is not a country name"
        return self


class PolecatRow(_Dated):
    """A POLECAT row: PLOVER type, mode, intensity, ISO codes and COW numbers, the publisher as Source."""

    event_type: str = Field(alias="Event Type")
    event_mode: str | None = Field(alias="Event Mode")
    intensity: float = Field(alias="Event Intensity", ge=-10, le=10)
    quad: int = Field(alias="Quad Code", ge=1, le=4)
    contexts: str | None = Field(alias="Contexts")
    actor_name: str | None = Field(alias="Actor Name")
    actor_country: Code3 | None = Field(alias="Actor Country")
    actor_cow: int | None = Field(alias="Actor COW")
    actor_sector: Code3 | None = Field(alias="Primary Actor Sector")
    actor_sectors: Code3 | None = Field(alias="Actor Sectors")
    actor_title: Empty | None = Field(None, alias="Actor Title")
    actor_raw: str | None = Field(alias="Actor Name Raw")
    actor_wiki: Empty | None = Field(None, alias="Wikipedia Actor ID")
    recipient_name: str | None = Field(alias="Recipient Name")
    recipient_country: Code3 | None = Field(alias="Recipient Country")
    recipient_cow: int | None = Field(alias="Recipient COW")
    recipient_sector: Code3 | None = Field(alias="Primary Recipient Sector")
    recipient_sectors: Code3 | None = Field(alias="Recipient Sectors")
    recipient_title: Empty | None = Field(None, alias="Recipient Title")
    recipient_raw: str | None = Field(alias="Recipient Name Raw")
    recipient_wiki: Empty | None = Field(None, alias="Wikipedia Recipient ID")
    placename: str | None = Field(alias="Placename")
    city: str | None = Field(alias="City")
    district: Empty | None = Field(None, alias="District")
    province: str | None = Field(alias="Province")
    country: Code3 | None = Field(alias="Country")
    lat: float | None = Field(alias="Latitude", ge=-90, le=90)
    lon: float | None = Field(alias="Longitude", ge=-180, le=180)
    geonameid: int | None = Field(alias="GeoNames ID")
    raw_placename: str | None = Field(alias="Raw Placename")
    feature: str | None = Field(alias="Feature Type")
    source: str | None = Field(alias="Source")
    publication: dt.date | None = Field(alias="Publication Date")
    people: Empty | None = Field(None, alias="Story People")
    organizations: Empty | None = Field(None, alias="Story Organizations")
    locations: Empty | None = Field(None, alias="Story Locations")
    language: str | None = Field(alias="Language")
    version: str = Field(alias="Version")
    changed: Empty | None = Field(None, alias="Changed")
    text: str = Field(alias="Event Text")

    @model_validator(mode="after")
    def _codes(self) -> PolecatRow:
        from kronika.knowledge.models import PLOVER_TYPES

        assert all(t in PLOVER_TYPES for t in self.event_type.split("+")), self.event_type
        for code, cow in ((self.actor_country, self.actor_cow), (self.recipient_country, self.recipient_cow)):
            state = COUNTRIES.get(code or "")
            assert cow == (state.cow if state else None), (code, cow)
        assert self.source is None or not re.match(r"^[a-z0-9_-]+$", self.source), "a document id as Source"
        return self
