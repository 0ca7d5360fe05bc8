"""The actor dictionaries: countries, capitals, organisations, people and role words.

Built-in data lives in `data/` as CSV/YAML we write ourselves, read through the component's `LanguageData`
(so each file can be replaced by a user's own); a user's dictionary file (`--actors FILE`, see `userdict`) adds
or overrides entries. Everything is compiled once into a `Lexicon` with one regular expression (a trie of all
surface forms) so that matching an article is a single pass over its text. The lexicon also carries the
`ActorWords` (word lists and patterns) built from the same data files, so one object holds all the actor
stage's language data.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any
from difflib import SequenceMatcher

import yaml

from ..langdata import LanguageData, LanguageDataError
from .kb import KnowledgeBase
from .userdict import read_user_file, split_cell
from .words import ActorWords, actor_data, either_case, kb_data

# Codes that stand for international organisations rather than countries (the packaged list; a lexicon built
# from other data files carries its own in `lexicon.words.igo_codes`).
IGO_CODES = actor_data().words("igo_codes.txt")

IGO_SECTOR = "IGO"  # the sector of an intergovernmental body or official (PLOVER)

# A Lexicon.fuzzy match must be this similar to a known form (difflib ratio): misspellings, not other words.
FUZZY_MIN_RATIO = 0.87
FUZZY_MEMO = 50_000  # words remembered per lexicon


@dataclass(frozen=True, slots=True)
class Entry:
    """What a proper-name form stands for."""

    name: str
    country: str | None
    sector: str | None
    kind: str  # country | demonym | capital | igo | seat | organisation | group | media | person
    role: str | None = None  # people: their role
    user: bool = False  # from the user's own dictionary (--actors): it beats the knowledge base
    governs_since: str | None = None  # an armed group that became its country's government that day (GOV)

    def sector_on(self, day: str | None) -> str | None:
        """The entry's sector on `day`: the government's (GOV) once a group governs its country."""
        if self.governs_since and day and day >= self.governs_since:
            return "GOV"
        return self.sector


@dataclass(frozen=True, slots=True)
class Role:
    """A role word or group noun: its sector when it precedes a name (person) or stands alone (group)."""

    text: str
    person: str | None  # sector when it titles a person ("Army Chief" → MIL)
    group: str | None  # sector as a collective ("the army" → MIL)
    title: bool = False  # courtesy title (Mr, Dr): a name follows, no sector
    country: str | None = None  # titles that exist in one country only


@dataclass
class Lexicon:
    words: ActorWords
    entries: dict[str, Entry] = field(default_factory=dict)  # exact surface form → entry
    roles: dict[str, Role] = field(default_factory=dict)  # lower-case phrase → role
    regex: re.Pattern | None = None  # every form and role, longest first, case-insensitive
    people: dict[str, Entry] = field(default_factory=dict)  # canonical name → entry
    problems: list[str] = field(default_factory=list)  # user-file problems (one line each)
    kb: KnowledgeBase | None = None  # the knowledge base (kb/ plus people.yaml and a user's .actors file)
    anaphor_words: Any = None  # anaphors.AnaphorWords (data/anaphors.yaml)
    affiliation_words: Any = None  # affiliations.AffiliationWords (data/affiliations.yaml)
    _fuzzy: dict | None = None
    _fuzzy_seen: dict = field(default_factory=dict)
    _might: re.Pattern | None = None

    def fuzzy(self, word: str) -> Entry | None:
        """A country/demonym/capital within a small edit distance of `word` (misspellings in news text)."""
        word = word.strip()
        if len(word) < 5 or not word[:1].isupper() or " " in word or word in self.entries:
            return None
        if word in self._fuzzy_seen:
            return self._fuzzy_seen[word]
        if self._fuzzy is None:
            self._fuzzy = _fuzzy_index(self)
        best, score = None, 0.0
        lower = word.lower()
        matcher = SequenceMatcher(None, "", lower)  # compares many forms with one word: the word is seq2
        for form in self._fuzzy.get(word[0], ()):
            if abs(len(form) - len(word)) > 2:
                continue
            matcher.set_seq1(form.lower())
            # quick_ratio bounds ratio from above: a form that cannot reach the threshold or the best so far
            # is passed over without the full comparison (same result, a fraction of the time)
            if matcher.quick_ratio() < max(score, FUZZY_MIN_RATIO):
                continue
            r = matcher.ratio()
            if r > score:
                best, score = form, r
        found = self.entries[best] if best is not None and score >= FUZZY_MIN_RATIO else None
        if len(self._fuzzy_seen) < FUZZY_MEMO:
            self._fuzzy_seen[word] = found
        return found

    def lookup(self, matched: str) -> Entry | Role | None:
        """The entry a regex match stands for, honouring case: proper names must match as written."""
        entry = self.entries.get(matched)
        if entry is not None:
            return entry
        if matched.isupper() and len(matched) >= 4:
            for form in (matched.title(), matched.capitalize()):
                if form in self.entries:
                    return self.entries[form]
        # normalise apostrophes for forms like N'Djamena / Quai d'Orsay
        alt = matched.replace("’", "'")
        if alt != matched and alt in self.entries:
            return self.entries[alt]
        return self.roles.get(alt.lower())

    def entry(self, form: str) -> Entry | None:
        """The proper-name entry for `form` (as `lookup`), or None when it is a role word or unknown."""
        found = self.lookup(form)
        return found if isinstance(found, Entry) else None

    def role_of(self, phrase: str) -> Role | None:
        """The role of a phrase's last word ("foreign ministry spokesman" → spokesman), if it is a role word."""
        return self.roles.get(phrase.lower().split()[-1]) if phrase.strip() else None

    def names_person(self, phrase: str) -> bool:
        """Whether a phrase's last word is a role that titles a person ("spokesman", not "army")."""
        role = self.role_of(phrase)
        return role is not None and role.person is not None

    def might_mention(self, text: str) -> bool:
        """A cheap test: might `text` hold an actor mention worth the full parse?"""
        if self._might is None:
            self._might = _might_regex(self)
        return self._might.search(text) is not None


def _might_regex(lex: Lexicon) -> re.Pattern:
    """Any proper form, a role that titles a person or names a state body, a capitalised two-word name, or a
    pronoun that may refer to a person (resolving it needs the parse)."""
    common = lex.words.too_common_to_parse
    proper = sorted(f for f in lex.entries if len(f) > 1)
    roles = sorted(r for r, role in lex.roles.items()
                   if (role.person or role.group) and (role.person or role.group not in common))
    pronouns = "|".join(r"\b" + either_case(p) + r"\b" for p in lex.words.person_pronouns)
    return re.compile(
        r"(?<![\w.])(?:" + trie_regex(proper) + r")(?!\w)"
        r"|(?i:\b(?:" + trie_regex(roles) + r")\b)"
        r"|\b[A-Z][\w'’\-]*[a-z]\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'’\-]*"  # a capitalised two-word name
        + ("|" + pronouns if pronouns else ""))


def _fuzzy_index(lex: Lexicon) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form, e in lex.entries.items():
        if e.kind in ("country", "demonym", "capital") and len(form) >= 5 and form[0].isupper():
            index.setdefault(form[0], []).append(form)
    return index


def trie_regex(words: list[str]) -> str:
    """A regex alternation equivalent to `words` but fast: shared prefixes are factored out."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def fold_accents(s: str) -> str:
    """`s` without accents ("Bogotá" → "Bogota"), for the accent-free spellings of city names."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).replace("ı", "i")


def add_form(entries: dict[str, Entry], form: str, entry: Entry, override: bool = False) -> None:
    """Enter `form` (and its curly-apostrophe spelling) for `entry`; an existing form is replaced only on
    `override`."""
    form = form.strip()
    if not form:
        return
    if override or form not in entries:
        entries[form] = entry
    if "'" in form:
        entries.setdefault(form.replace("'", "’"), entry)


def _csv_rows(data: LanguageData, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.text(name), newline="")))


def _load_places(lex: Lexicon, data: LanguageData) -> None:
    for row in _csv_rows(data, "countries.csv"):
        iso = row["iso3"]
        names = split_cell(row["names"])
        canonical = names[0]
        for n in names:
            add_form(lex.entries, n, Entry(canonical, iso, None, "country"))
        for d in split_cell(row["demonyms"]):
            add_form(lex.entries, d, Entry(canonical, iso, None, "demonym"))
        for c in split_cell(row["capitals"]):
            add_form(lex.entries, c, Entry(canonical, iso, "GOV", "capital"))
    # well-known cities and regions (places) and ethnic groups tied to one state (treated like demonyms)
    for row in _csv_rows(data, "places.csv"):
        kind = "demonym" if row["kind"] == "ethnic" else "place"
        add_form(lex.entries, row["name"], Entry(row["name"], row["country"], None, kind))
    # cities of 250,000+ (generated by scripts/gen_cities.py from GeoNames), with accent-free spellings
    for row in _csv_rows(data, "cities.csv"):
        entry = Entry(row["name"], row["country"], None, "place")
        for form in {row["name"], fold_accents(row["name"])}:
            if form not in lex.entries:
                lex.entries[form] = entry


def _load_named(lex: Lexicon, data: LanguageData) -> None:
    orgs = data.yaml("organisations.yaml")
    kinds = {"igo": "igo", "seats": "seat", "companies": "organisation", "groups": "group", "media": "media"}
    for section, kind in kinds.items():
        for item in orgs.get(section) or []:
            country = item.get("code") or item.get("country")
            sector = item.get("sector")
            if kind == "igo" and sector is None and country not in lex.words.non_state_codes:
                sector = IGO_SECTOR  # an intergovernmental body and its officials
            since = item.get("governs_since")
            entry = Entry(item["name"], country, sector, kind, governs_since=str(since) if since else None)
            for form in [item["name"], *(item.get("aliases") or [])]:
                add_form(lex.entries, form, entry, override=True)
    # seats of power ("the Kremlin"): the knowledge base's list
    for row in kb_data(data).table("seats.tsv"):
        entry = Entry(row["name"], row["country"], row["sector"] or None, "seat")
        for form in [row["name"], *split_cell(row["aliases"])]:
            add_form(lex.entries, form, entry, override=True)
    for item in data.yaml("people.yaml") or []:
        entry = Entry(item["name"], item.get("country"), item.get("sector"), "person", item.get("role"))
        lex.people[item["name"]] = entry
        for form in [item["name"], *(item.get("aliases") or [])]:
            add_form(lex.entries, form, entry, override=True)


def _load_roles(lex: Lexicon, data: LanguageData) -> None:
    roles = data.yaml("roles.yaml")
    for sector, words in (roles.get("person") or {}).items():
        for w in words:
            w = str(w).lower()
            old = lex.roles.get(w)
            lex.roles[w] = Role(w, sector, old.group if old else None)
    for sector, words in (roles.get("group") or {}).items():
        for w in words:
            w = str(w).lower()
            old = lex.roles.get(w)
            lex.roles[w] = Role(w, old.person if old else None, sector)
    # "foreign ministry spokesman", "government spokeswoman": a body's official is a person when named
    for w, role in list(lex.roles.items()):
        head = lex.roles.get(w.split()[-1]) if " " in w else None
        if role.person is None and role.group and head is not None and head.person:
            lex.roles[w] = Role(w, role.group, role.group)
    for w in roles.get("title") or []:
        w = str(w).lower()
        if w not in lex.roles:
            lex.roles[w] = Role(w, None, None, title=True)
    for title, country in (roles.get("country_titles") or {}).items():
        w = title.lower()
        old = lex.roles.get(w)
        lex.roles[w] = Role(w, old.person if old else "GOV", old.group if old else None, country=country)


def _add_user_items(lex: Lexicon, items: list[dict]) -> None:
    """Entries and role words from a user's dictionary file; they replace built-in ones spelt the same."""
    for item in items:
        name = str(item.get("name") or item.get("text") or "").strip()
        if not name:
            continue
        if item.get("role_sector") or item.get("role"):
            # a role word: {role: "ombudsman", sector: JUD}
            w = str(item.get("role") or name).lower()
            lex.roles[w] = Role(w, item.get("sector"), item.get("group_sector") or item.get("sector"))
            continue
        country = item.get("country") or item.get("code") or None
        entry = Entry(name, country, item.get("sector") or None, item.get("kind") or "organisation", user=True)
        if entry.kind == "person":
            lex.people[name] = entry
        for form in [name, *(item.get("aliases") or [])]:
            add_form(lex.entries, str(form), entry, override=True)


def _compile(lex: Lexicon) -> None:
    forms = set(lex.entries)
    forms.update(lex.roles)
    lex.regex = re.compile(r"(?<![\w.])(?:" + trie_regex(sorted(forms)) + r")(?!\w|\.\w|[’'](?=\w)(?!s\b))",
                           re.IGNORECASE)


def build_lexicon(data: LanguageData | None = None, user_file: str | None = None) -> Lexicon:
    """A lexicon from the component's data files plus a user's dictionary file (uncached: see
    `tightrope.actors.load_lexicon`). A user file that cannot be read is reported in `problems` and with a
    warning, and the built-in data is used alone."""
    data = data or actor_data()
    lex = Lexicon(words=ActorWords.load(data))
    _load_places(lex, data)
    _load_named(lex, data)
    _load_roles(lex, data)
    # (these read the lexicon's context: imported here, not at the top)
    from .affiliations import AffiliationWords
    from .anaphors import AnaphorWords

    lex.anaphor_words = AnaphorWords.load(data)
    lex.affiliation_words = AffiliationWords.load(data)
    lex.kb = KnowledgeBase(data=kb_data(data))
    lex.kb.add_people(data.yaml("people.yaml") or [], "people.yaml")
    if user_file:
        try:
            _add_user_items(lex, read_user_file(user_file))
            if str(user_file).lower().endswith(".actors"):
                # dated PETRARCH records: the knowledge base gives their code on the article's day
                lex.kb = KnowledgeBase(data=kb_data(data), extra=(user_file,))
                lex.kb.add_people(data.yaml("people.yaml") or [], "people.yaml")
        except (OSError, ValueError, yaml.YAMLError, csv.Error, TypeError, AttributeError, LanguageDataError) as exc:
            # a user's file must not stop a run: say why once and go on with the built-in data
            reason = f"{user_file}: not used ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            lex.problems.append(reason)
            warnings.warn(reason, stacklevel=2)
    _compile(lex)
    return lex
