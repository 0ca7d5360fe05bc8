"""The people an article names, as it names them: the seed of coreference within an article.

Each person gets one entity key ("person:<name>") shared by all their mentions; the registry remembers the
full name and the surname it may be called by later, and what the text has said about them so far (country,
sector, role). A later pass fills a mention's blanks from here, so "Rubio" after "US Secretary of State Marco
Rubio" is the same USAGOV person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Person:
    """What the article has said about one person so far."""

    name: str
    country: str | None
    sector: str | None
    role: str | None


class PersonRegistry:
    """People met in one article: entity key → Person, and name or surname → entity key."""

    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.names: dict[str, str] = {}

    def __contains__(self, key: object) -> bool:
        return key in self.people

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def __bool__(self) -> bool:
        return bool(self.names)

    def key_for(self, name: str) -> str | None:
        """The entity key of the person called `name` (full name or surname), if met."""
        return self.names.get(name)

    def register(self, name: str, country: str | None, sector: str | None, role: str | None) -> str:
        """The entity key for `name`, met now or before; what is said here fills what was not known yet.
        A name of several words is also known by its last word (a surname of three letters or more)."""
        key = self.names.get(name) or f"person:{name}"
        person = self.people.setdefault(key, Person(name, country, sector, role))
        if person.country is None and country:
            person.country = country
        if person.sector is None and sector:
            person.sector = sector
        if role and not person.role:
            person.role = role
        self.names.setdefault(name, key)
        parts = name.replace(".", ". ").split()
        if len(parts) > 1 and parts[-1][:1].isupper() and len(parts[-1]) > 2:
            self.names.setdefault(parts[-1], key)
        return key

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
