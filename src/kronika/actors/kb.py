"""The actor knowledge base: countries, seats of power, organisations, people and sector titles.

Built from the validated actor files of the ``Knowledge`` bundle (``kronika.knowledge``), so users
extend coding without touching code.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kronika.config import Settings
from kronika.knowledge.bundle import load_knowledge

if TYPE_CHECKING:
    from kronika.knowledge.bundle import Knowledge
    from kronika.knowledge.models import PersonEntry

log = logging.getLogger(__name__)

# How strongly each kind of surface form identifies an actor (higher wins inside one phrase).
KIND_PRIORITY = {"person": 6, "org": 5, "seat": 4, "country": 3, "capital": 2, "demonym": 1}


@dataclass(frozen=True)
class Role:
    code: str
    sector: str
    office: str
    start: dt.date | None
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    roles: tuple[Role, ...]

    def role_on(self, day: dt.date | None) -> Role | None:
        """The office held on ``day``; without a date, the most recent one."""
        if not self.roles:
            return None
        if day is None:
            return self.roles[-1]
        current = [r for r in self.roles if r.holds_on(day)]
        if current:
            return current[0]
        before = [r for r in self.roles if r.start is None or r.start <= day]
        return before[-1] if before else self.roles[0]


@dataclass(frozen=True)
class ActorRef:
    """What a surface form stands for: a code, a sector (None when the form does not say) and a name."""

    code: str
    sector: str | None
    name: str
    kind: str  # person | org | seat | country | capital | demonym
    rule: str
    person: Person | None = None

    @property
    def priority(self) -> int:
        return KIND_PRIORITY[self.kind]


@dataclass(frozen=True)
class SectorTitle:
    text: str
    sector: str
    head: bool = False
    country: str | None = None


@dataclass
class KnowledgeBase:
    surface: dict[str, list[ActorRef]] = field(default_factory=dict)
    titles: dict[tuple[str, ...], SectorTitle] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    country_names: dict[str, str] = field(default_factory=dict)
    # Heads that only quantify or group the real actor: "thousands of Iraqi Kurds", "members of Hamas".
    quantity_heads: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()  # "Mr", "Dr": before a name, not part of it
    name_particles: frozenset[str] = frozenset()  # "Da", "al": inside a name, no given name
    group_numbers: dict[str, int] = field(default_factory=dict)  # "two", "both", "three"
    people_group_heads: frozenset[str] = frozenset()  # "the two leaders"
    state_group_heads: frozenset[str] = frozenset()  # "the three countries"
    kin_words: frozenset[str] = frozenset()  # "his parents", "Letts's mother"

    @property
    def max_title_len(self) -> int:
        return max((len(k) for k in self.titles), default=1)

    def add(self, form: str, ref: ActorRef) -> None:
        form = form.strip()
        if not form:
            return
        refs = self.surface.setdefault(form, [])
        if ref not in refs:
            refs.append(ref)

    def lookup(self, form: str) -> list[ActorRef]:
        return self.surface.get(form, [])

    def office_holder(self, code: str, day: dt.date | None, title: str) -> Person | None:
        """Who held the office ``title`` of ``code`` on ``day`` ("leader": the top office)."""
        offices = LEADER_OFFICES if title == "leader" else (title,)
        for office in offices:
            holders = [
                p
                for p in self.heads_of(code, day)
                if any(
                    r.code == code and r.office == office and (day is None or r.holds_on(day))
                    for r in p.roles
                )
            ]
            if len(holders) == 1:
                return holders[0]
        return None

    def heads_of(self, code: str, day: dt.date | None, office: str | None = None) -> list[Person]:
        """People who hold a head-of-state/government office of ``code`` on ``day``."""
        found = []
        for person in self.people:
            for role in person.roles:
                if role.code != code or role.sector != "GOV":
                    continue
                if day is not None and not role.holds_on(day):
                    continue
                if day is None and role.end is not None:
                    continue
                if office is None or office in role.office:
                    found.append(person)
                    break
        return found


def likeliest_day(named: Iterable[Sequence[Person]]) -> dt.date | None:
    """The day on which most of the people a document names hold office, for reading an undated text.

    Each item is the set of people one name may stand for ("Assad": father or son); it counts on a day
    when any of them holds an office then (former-office roles do not count). Among the days that the
    most names agree on, the latest. None when no name has a dated office.
    """
    offices = [
        [r for p in people for r in p.roles if r.sector != "ELI"] for people in {frozenset(n) for n in named}
    ]
    bounds = sorted({d for roles in offices for r in roles for d in (r.start, r.end) if d is not None})
    if not bounds:
        return None
    # Inside each stretch between two boundaries the count is constant: test the stretch's middle day,
    # and the day after the last boundary for offices still held.
    days = [a + (b - a) / 2 for a, b in zip(bounds, bounds[1:], strict=False)]
    days.append(bounds[-1] + dt.timedelta(days=1))
    best: tuple[int, dt.date] | None = None
    for day in days:
        n = sum(any(r.holds_on(day) for r in roles) for roles in offices)
        if n and (best is None or (n, day) >= best):
            best = (n, day)
    return best[1] if best else None


# Offices a generic "leader" refers to, in order of preference.
LEADER_OFFICES = ("supreme leader", "president", "king", "emir", "sultan", "prime minister", "chancellor")


def _ref_forms(kb: KnowledgeBase, forms: Iterable[str], ref: ActorRef) -> None:
    for form in forms:
        kb.add(form, ref)


def _person(e: PersonEntry) -> tuple[Person, ActorRef]:
    roles = tuple(Role(r.code, r.sector or "GOV", str(r.office or ""), r.start, r.end) for r in e.roles)
    roles = tuple(sorted(roles, key=lambda r: r.start or dt.date.min))
    person = Person(e.name, roles)
    first = roles[0] if roles else None
    code, sector = (first.code, first.sector) if first else ("", None)
    ref = ActorRef(code, sector, e.name, "person", f"people:{e.name}", person)
    return person, ref


def build_kb(knowledge: Knowledge) -> KnowledgeBase:
    """The lookups of the validated actor files: surface forms, titles, people and country names."""
    kb = KnowledgeBase(
        quantity_heads=knowledge.quantity_heads,
        honorifics=frozenset(w.lower() for w in knowledge.actor_groups.honorifics),
        name_particles=frozenset(w.lower() for w in knowledge.actor_groups.name_particles),
        group_numbers={k.lower(): v for k, v in knowledge.actor_groups.group_numbers.items()},
        people_group_heads=frozenset(w.lower() for w in knowledge.actor_groups.people_group_heads),
        state_group_heads=frozenset(w.lower() for w in knowledge.actor_groups.state_group_heads),
        kin_words=frozenset(w.lower() for w in knowledge.actor_groups.kin_words),
    )
    for c in knowledge.entries("countries"):
        kb.country_names[c.code] = c.name
        rule = f"countries:{c.code}"
        _ref_forms(kb, [c.name, *c.aliases], ActorRef(c.code, None, c.name, "country", rule))
        for form in c.demonyms:
            kb.add(form, ActorRef(c.code, None, c.name, "demonym", rule + ":demonym"))
        for form in c.capitals:
            kb.add(form, ActorRef(c.code, "GOV", c.name, "capital", rule + ":capital"))
    for s in knowledge.entries("seats"):
        for form in [s.text, *s.aliases]:
            kb.add(form, ActorRef(s.code, s.sector, s.text, "seat", f"seats:{s.text}"))
    for o in knowledge.entries("organizations"):
        ref = ActorRef(o.code, o.sector, o.name, "org", f"organizations:{o.name}")
        _ref_forms(kb, [o.name, *o.aliases], ref)
    for e in knowledge.entries("people"):
        person, ref = _person(e)
        kb.people.append(person)
        _ref_forms(kb, [e.name, *e.aliases], ref)
    for t in knowledge.entries("sectors"):
        key = tuple(t.text.lower().split())
        kb.titles[key] = SectorTitle(" ".join(key), t.sector, t.head, t.country)
    log.debug(
        "knowledge base: %d surface forms, %d people, %d titles",
        len(kb.surface),
        len(kb.people),
        len(kb.titles),
    )
    return kb


def load_kb(settings: Settings | None = None) -> KnowledgeBase:
    """The knowledge base for these settings (the one on their ``Knowledge`` bundle)."""
    return load_knowledge(settings).kb
