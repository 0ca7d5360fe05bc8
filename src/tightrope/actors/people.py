"""The people an article names, as it names them: the chains of coreference within an article.

Each person gets one entity key ("person:<name>") shared by all their mentions; the registry remembers the
full name and the surname it may be called by later, and what has been said about them so far (country,
sector, role) with where each came from (`by`: pattern = the text's own words about them, lexicon = the people
list, kb = the knowledge base on the article's date, context = a country named near them). A later pass fills a
mention's blanks from here, so "Rubio" after "US Secretary of State Marco Rubio" is the same USAGOV person, and
stronger evidence replaces weaker (`STRENGTH`): the text's words about a person beat the knowledge base, which
beats the people list and a country named nearby.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# How much each kind of evidence about a person counts; stronger replaces weaker.
STRENGTH = {"user": 5, "pattern": 4, "kb": 3, "lexicon": 2, "context": 1, None: 0}
# Default confidence of a resolution by each kind of evidence (the knowledge base gives its own).
CONFIDENCE = {"user": 0.95, "pattern": 0.85, "kb": 0.9, "lexicon": 0.8, "context": 0.55}


_PARTICLE_PREFIX = re.compile(r"^[a-z]{1,3}[-‑]")  # "al-", "el-", "ad-" before a family name


def surname_forms(word: str) -> list[str]:
    """The forms a person may be called by alone, from the last word of their name: itself when capitalised
    ("Quispe"), and for "al-Sudani" also "Sudani" (the name without its particle); none under three letters."""
    out = [word] if word[:1].isupper() and len(word) > 2 else []
    bare = _PARTICLE_PREFIX.sub("", word)
    if bare != word and bare[:1].isupper() and len(bare) > 2:
        out.append(bare)
    return out


@dataclass
class Person:
    """What the article has said about one person so far."""

    name: str
    country: str | None
    sector: str | None
    role: str | None
    country_by: str | None = None
    sector_by: str | None = None
    confidence: float | None = None
    titled: bool = False  # named with a role word that is an office ("Minister"), not only "Mr"
    former: bool = False  # the text says they no longer hold it ("former", "retired")
    pid: str | None = None  # the knowledge base's person, once found
    others: set[str] = field(default_factory=set)  # other names of theirs met in the article

    def learn(self, country: str | None, sector: str | None, by: str | None, confidence: float | None = None) -> None:
        """Take a country and a sector from evidence `by`, where stronger than what is known."""
        if country and STRENGTH[by] > STRENGTH[self.country_by if self.country else None]:
            self.country, self.country_by = country, by
            self.confidence = confidence if confidence is not None else CONFIDENCE.get(by)
        if sector and STRENGTH[by] > STRENGTH[self.sector_by if self.sector else None]:
            self.sector, self.sector_by = sector, by


class PersonRegistry:
    """People met in one article: entity key → Person, and name or surname → entity key."""

    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.names: dict[str, str] = {}
        self.merged: dict[str, str] = {}  # key of a person found to be another → that other's key

    def __contains__(self, key: object) -> bool:
        return key in self.people or key in self.merged

    def __getitem__(self, key: str) -> Person:
        return self.people[self.merged.get(key, key)]

    def __bool__(self) -> bool:
        return bool(self.names)

    def key_for(self, name: str) -> str | None:
        """The entity key of the person called `name` (full name or surname), if met."""
        key = self.names.get(name)
        return self.merged.get(key, key) if key else None

    def canonical(self, key: str | None) -> str | None:
        """The key a merged person now goes by."""
        return self.merged.get(key, key) if key else key

    def register(self, name: str, country: str | None, sector: str | None, role: str | None,
                 by: str | None = "pattern", titled: bool = False, former: bool = False) -> str:
        """The entity key for `name`, met now or before; what is said here (evidence `by`) fills what was not
        known yet or was known from weaker evidence. A name of several words is also known by its last word
        (a surname of three letters or more)."""
        key = self.key_for(name) or f"person:{name}"
        person = self.people.get(key)
        if person is None:
            person = self.people[key] = Person(name, None, None, role)
        person.learn(country, sector, by)
        if role and not person.role:
            person.role = role
        person.titled = person.titled or titled
        person.former = person.former or former
        self.names.setdefault(name, key)
        parts = name.replace(".", ". ").split()
        if len(parts) > 1:
            for surname in surname_forms(parts[-1]):
                self.names.setdefault(surname, key)
        return key

    def merge(self, key: str, into: str) -> None:
        """Person `key` is person `into` (a surname met before the full name): one person from now on."""
        key, into = self.canonical(key), self.canonical(into)
        if key == into:
            return
        gone, kept = self.people.pop(key), self.people[into]
        kept.learn(gone.country, gone.sector, gone.country_by if gone.country else gone.sector_by, gone.confidence)
        if gone.sector and gone.sector_by and not kept.sector:
            kept.sector, kept.sector_by = gone.sector, gone.sector_by
        kept.role = kept.role or gone.role
        kept.titled = kept.titled or gone.titled
        kept.former = kept.former or gone.former
        kept.others.add(gone.name)
        self.merged[key] = into
        for k, v in list(self.merged.items()):
            if v == key:
                self.merged[k] = into
        for name, k in list(self.names.items()):
            if k == key:
                self.names[name] = into

    def latest_with_role_word(self, word: str) -> str | None:
        """The key of the person most recently met whose role has the word `word` ("the Secretary")."""
        for key in reversed(list(self.people)):
            role = self.people[key].role
            if role and word in role.lower().split():
                return key
        return None

    def forms_longest_first(self) -> list[str]:
        """Every name and surname met, longest first (ties in the order met)."""
        return sorted(self.names, key=len, reverse=True)

    def items(self):
        return self.people.items()
