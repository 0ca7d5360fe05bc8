"""The actor dictionaries: countries, capitals, organisations, people and role words.

Built-in data lives in `data/` as CSV/YAML we write ourselves; a user's file (`--actors FILE`, YAML or
CSV) adds or overrides entries. Everything is compiled once into a `Lexicon` with one regular
expression (a trie of all surface forms) so that matching an article is a single pass over its text.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"

# Codes that stand for international organisations rather than countries (for users and benchmarks).
IGO_CODES = {
    "UNO", "NATO", "ASEAN", "EU", "IMF", "WB", "WTO", "WHO", "AU", "ARL", "GCC", "OAS", "OPEC", "OSCE",
    "SCO", "BRICS", "G7", "G20", "ICC", "ICJ", "IAEA", "ECOWAS", "SAARC", "APEC", "OIC", "CWN", "IRC",
    "AMN", "HRW", "MSF", "IGO", "NGO", "IMG",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """What a proper-name form stands for."""

    name: str
    country: str | None
    sector: str | None
    kind: str  # country | demonym | capital | igo | seat | organisation | group | media | person
    role: str | None = None  # people: their role


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
    entries: dict[str, Entry] = field(default_factory=dict)  # exact surface form → entry
    roles: dict[str, Role] = field(default_factory=dict)  # lower-case phrase → role
    regex: re.Pattern | None = None  # every form and role, longest first, case-insensitive
    people: dict[str, Entry] = field(default_factory=dict)  # canonical name → entry
    _fuzzy: dict | None = None
    problems: list[str] = field(default_factory=list)  # user-file problems (one line each)
    _fuzzy_seen: dict = field(default_factory=dict)

    def fuzzy(self, word: str) -> Entry | None:
        """A country/demonym/capital within a small edit distance of `word` (misspellings in news text)."""
        from difflib import SequenceMatcher

        word = word.strip()
        if len(word) < 5 or not word[:1].isupper() or " " in word or word in self.entries:
            return None
        if word in self._fuzzy_seen:
            return self._fuzzy_seen[word]
        if self._fuzzy is None:
            self._fuzzy = _fuzzy_index(self)
        best, score = None, 0.0
        for form in self._fuzzy.get(word[0], ()):
            if abs(len(form) - len(word)) > 2:
                continue
            r = SequenceMatcher(None, word.lower(), form.lower()).ratio()
            if r > score:
                best, score = form, r
        found = self.entries[best] if best is not None and score >= 0.87 else None
        if len(self._fuzzy_seen) < 50_000:
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


def _fuzzy_index(lex: "Lexicon") -> dict[str, list[str]]:
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


def _fold(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).replace("ı", "i")


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def _add(entries: dict[str, Entry], form: str, entry: Entry, override: bool = False) -> None:
    form = form.strip()
    if not form:
        return
    if override or form not in entries:
        entries[form] = entry
    if "'" in form:
        entries.setdefault(form.replace("'", "’"), entry)


def _load_builtin(lex: Lexicon) -> None:
    with open(DATA / "countries.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso = row["iso3"]
            names = _split(row["names"])
            canonical = names[0]
            for n in names:
                _add(lex.entries, n, Entry(canonical, iso, None, "country"))
            for d in _split(row["demonyms"]):
                _add(lex.entries, d, Entry(canonical, iso, None, "demonym"))
            for c in _split(row["capitals"]):
                _add(lex.entries, c, Entry(canonical, iso, "GOV", "capital"))
    # well-known cities and regions (places) and ethnic groups tied to one state (treated like demonyms)
    with open(DATA / "places.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind = "demonym" if row["kind"] == "ethnic" else "place"
            _add(lex.entries, row["name"], Entry(row["name"], row["country"], None, kind))
    # cities of 250,000+ (generated by scripts/gen_cities.py from GeoNames), with accent-free spellings
    with open(DATA / "cities.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = Entry(row["name"], row["country"], None, "place")
            for form in {row["name"], _fold(row["name"])}:
                if form not in lex.entries:
                    lex.entries[form] = entry
    orgs = yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))
    kinds = {"igo": "igo", "seats": "seat", "companies": "organisation", "groups": "group", "media": "media"}
    for section, kind in kinds.items():
        for item in orgs.get(section) or []:
            country = item.get("code") or item.get("country")
            entry = Entry(item["name"], country, item.get("sector"), kind)
            for form in [item["name"], *(item.get("aliases") or [])]:
                _add(lex.entries, form, entry, override=True)
    for item in yaml.safe_load((DATA / "people.yaml").read_text(encoding="utf-8")) or []:
        entry = Entry(item["name"], item.get("country"), item.get("sector"), "person", item.get("role"))
        lex.people[item["name"]] = entry
        for form in [item["name"], *(item.get("aliases") or [])]:
            _add(lex.entries, form, entry, override=True)
    roles = yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8"))
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


def _load_user(lex: Lexicon, path: str) -> None:
    """A user's YAML (list of {name, aliases, country, sector, kind} or {form: {...}}) or CSV
    (columns: name or text, country, sector, optional kind and aliases separated by ';')."""
    p = Path(path)
    items: list[dict] = []
    if p.suffix.lower() in (".csv", ".tsv"):
        with open(p, newline="", encoding="utf-8") as fh:
            dialect = "excel-tab" if p.suffix.lower() == ".tsv" else "excel"
            for row in csv.DictReader(fh, dialect=dialect):
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                row["aliases"] = _split(row.get("aliases"))
                items.append(row)
    else:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or []
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, dict):
                    items.append({"name": key, **value})
                elif isinstance(value, list):  # sections like organisations.yaml
                    items.extend(v for v in value if isinstance(v, dict))
        else:
            items = [d for d in data if isinstance(d, dict)]
    for item in items:
        if not isinstance(item, dict):
            continue
        if not isinstance(item.get("aliases") or [], list):
            item["aliases"] = [str(item["aliases"])]
        name = str(item.get("name") or item.get("text") or "").strip()
        if not name:
            continue
        if item.get("role_sector") or item.get("role"):
            # a role word: {role: "ombudsman", sector: JUD}
            w = str(item.get("role") or name).lower()
            lex.roles[w] = Role(w, item.get("sector"), item.get("group_sector") or item.get("sector"))
            continue
        country = item.get("country") or item.get("code") or None
        entry = Entry(name, country, item.get("sector") or None, item.get("kind") or "organisation")
        if entry.kind == "person":
            lex.people[name] = entry
        for form in [name, *(item.get("aliases") or [])]:
            _add(lex.entries, str(form), entry, override=True)


def _compile(lex: Lexicon) -> None:
    forms = set(lex.entries)
    forms.update(lex.roles)
    lex.regex = re.compile(r"(?<![\w.])(?:" + trie_regex(sorted(forms)) + r")(?!\w|\.\w|[’'](?=\w)(?!s\b))", re.IGNORECASE)


@lru_cache(maxsize=8)
def build_lexicon(extra_file: str | None = None) -> Lexicon:
    lex = Lexicon()
    _load_builtin(lex)
    if extra_file:
        try:
            _load_user(lex, extra_file)
        except (OSError, ValueError, yaml.YAMLError, csv.Error, TypeError, AttributeError) as exc:
            # a user's file must not stop a run: say why once and go on with the built-in data
            reason = f"{extra_file}: not used ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            lex.problems.append(reason)
            warnings.warn(reason, stacklevel=2)
    _compile(lex)
    return lex
