"""The actor knowledge base: who a name is, in which country, and which role they held on a given date.

Built from public sources by `scripts/build_knowledge.py` (see data/kb/README.md for the sources, their
licences and what they lack) into sorted UTF-8 TSV files in `data/kb/`, read through `LanguageData` so a user
can replace any file (`KnowledgeBase(overrides={"people.tsv": "my_people.tsv"})`) or add entries of their own
(`KnowledgeBase(extra=["my.actors", "my_people.tsv"])`).

Memory and speed: the large tables (names, people, spans, organisations) are memory-mapped and searched by
bisection over their sorted lines, so loading costs nothing but an `mmap`, the pages are shared by every worker
process through the OS page cache, and a lookup touches a few pages. The small word tables (agents,
nationalities) are mapped the same way; seats of power and US states are small dicts read on first use.

Name matching is strict: a name is folded (case, diacritics, punctuation, "Jr."/"III", joined initials:
"J.D." = "JD") and then must equal one of a person's full names or aliases; a middle initial may be left out
("Donald J. Trump" = "Donald Trump"), nothing else may differ ("Cyrus Vance" is not "JD Vance"). A single word
("Vance") is a surname lookup: every person with that surname is returned, ranked, and the caller decides
from context.

Time: a person's roles are dated spans (start, end inclusive). `role_on(person, day)` gives the role held that
day: "holding" (a span covers it), "former" (every office they held ended before: sector ELI, as CAMEO codes
ex-officials), "before" (their first office starts later: no sector from us; the text's own words decide,
e.g. "candidate"), "presumed" (only a span left open by a source older than the day covers it: a 2015
"since 2009" is not evidence in 2019), "undated" (the source gives no dates). An open end means "still in
office when the source was taken" (its `as_of` date in sources.tsv); a US Congress term's end is its
scheduled end.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..langdata import LanguageData, LanguageDataError

DATA = Path(__file__).parent / "data" / "kb"

__all__ = [
    "Agent", "KBMatch", "KnowledgeBase", "Organisation", "Person", "RoleOn", "Seat", "Span", "fold",
    "load_knowledge_base", "name_key", "name_variants",
]

# Columns of each sorted table (the header row of the file).
COLUMNS = {
    "names.tsv": ("key", "pid", "kind"),
    "people.tsv": ("pid", "name", "country", "born"),
    "spans.tsv": ("pid", "start", "end", "country", "sector", "role", "rank", "party", "area", "source"),
    "organisations.tsv": ("key", "name", "country", "sector", "kind", "code", "source"),
    "agents.tsv": ("form", "sector", "code", "source"),
    "countries.tsv": ("form", "country", "kind", "source"),
}


# --- names --------------------------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                             "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d"})
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case without diacritics: 'Erdoğan' → 'erdogan', 'Łukasz' → 'lukasz'."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _name_rules() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(suffixes, particles, family-name-first countries): suffixes and countries from data/kb/name_rules.tsv,
    particles from the actor grammar's one list, data/name_particles.txt ('al-*' is the particle 'al')."""
    rows = LanguageData(DATA).table("name_rules.tsv")
    by_kind: dict[str, set[str]] = {"suffix": set(), "family_first": set()}
    for row in rows:
        by_kind.setdefault(row["kind"], set()).add(row["value"])
    particles = set()
    for line in LanguageData(DATA.parent).lines("name_particles.txt"):
        for word in fold(line.rstrip("*").replace("-", " ")).split():
            particles.add(word)
    return frozenset(by_kind["suffix"]), frozenset(particles), frozenset(by_kind["family_first"])


def _tokens(name: str) -> list[tuple[str, bool, bool]]:
    """Folded words of a name as (word, was an initial, is a suffix); runs of initials joined ('j d' → 'jd')."""
    suffixes = _name_rules()[0]
    text = _APOSTROPHES.sub("", fold(name))
    raw = [w for w in _NON_WORD.sub(" ", text.replace("_", " ")).split() if w]
    out: list[tuple[str, bool, bool]] = []
    for i, word in enumerate(raw):
        if i > 0 and word in suffixes and all(w in suffixes for w in raw[i:]):
            out.append((word, False, True))
        elif len(word) == 1 and out and out[-1][1] and len(out[-1][0]) < 4:
            out[-1] = (out[-1][0] + word, True, False)  # "j d vance" → "jd vance"
        else:
            out.append((word, len(word) == 1, False))
    return out


def name_key(name: str) -> str:
    """The lookup key of a name: folded words joined by one blank ('J.D. Vance' → 'jd vance',
    'Donald Trump Jr.' → 'donald trump jr')."""
    return " ".join(w for w, _, _ in _tokens(name))


def name_variants(name: str, drop_suffix: bool = False) -> list[str]:
    """The name's key, and the key without middle initials ('Donald J. Trump' → 'donald j trump',
    'donald trump'). Never drops a full word: a name with a different word is a different name, and a
    generational suffix is a word ('Donald Trump Jr.' is not 'Donald Trump'). `drop_suffix` (used for the
    names the sources give, never for a query) adds the forms without it: a source's 'Joseph R. Biden Jr.'
    is also 'Joseph R. Biden' and 'Joseph Biden'."""
    tokens = _tokens(name)
    forms = [tokens]
    if drop_suffix and tokens and tokens[-1][2]:
        forms.append([t for t in tokens if not t[2]])
    out: list[str] = []
    for words in forms:
        full = " ".join(w for w, _, _ in words)
        if full and full not in out:
            out.append(full)
        core = [t for t in words if not t[2]]
        if len(core) > 2:
            short = " ".join(w for i, (w, initial, suffix) in enumerate(words)
                             if not (initial and 0 < i < len(core) - 1))
            if short and short not in out:
                out.append(short)
    return out


def surname_keys(name: str, country: str | None = None, last: str | None = None) -> list[str]:
    """The keys a person may be called by alone: the given family name (`last`), else the last word with any
    particles before it ('von der Leyen', 'al-Assad' → 'al assad' and 'assad'); the first word as well for
    countries that write the family name first (Xi Jinping → 'xi')."""
    _, particles, family_first = _name_rules()
    if last:
        key = name_key(last)
        return [key] if key else []
    words = [w for w, _, suffix in _tokens(name) if not suffix]
    if len(words) < 2:
        return words[:1]
    out = [words[-1]]
    i = len(words) - 2
    while i > 0 and words[i] in particles:
        out.append(" ".join(words[i:]))
        i -= 1
    if country in family_first:
        out.append(words[0])
    return list(dict.fromkeys(out))


# --- records --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Span:
    """A role held from `start` to `end` (ISO dates, 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; inclusive; None =
    open / unknown)."""

    start: str | None
    end: str | None
    country: str | None
    sector: str | None
    role: str
    rank: int  # 1 head of state/government; 2 minister, VP, chamber leader, top commander; 3 other national
    party: str | None  # office (legislator, judge, ambassador, ...); 4 subnational
    area: str | None  # US state (USPS code) of a member of Congress, else None
    source: str

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True, slots=True)
class Person:
    pid: str  # Wikidata QID when known, else "bioguide:...", "px:<country>:<name>" (Phoenix), "user:..."
    name: str
    country: str | None
    born: str | None
    sources: tuple[str, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class RoleOn:
    """The role a person held on a day (see the module docstring for `status`)."""

    status: str  # holding | former | before | presumed | undated | latest
    country: str | None
    sector: str | None
    role: str | None
    span: Span | None
    confidence: float


@dataclass(frozen=True, slots=True)
class KBMatch:
    """One candidate for a looked-up name, with the role held on the asked day."""

    pid: str
    name: str
    country: str | None
    sector: str | None
    role: str | None
    status: str
    start: str | None
    end: str | None
    source: str | None
    match: str  # name (a full name or its variant) | alias (a source's other name) | surname
    candidates: int  # how many people the lookup found (1 = unambiguous)
    confidence: float
    rank: int | None = None  # the rank of the office (Span.rank) the role comes from, if any


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    country: str | None
    sector: str | None
    kind: str  # country-body | igo | ngo | company | group | committee | organisation
    code: str | None  # the CAMEO code the source gives, if any
    source: str


@dataclass(frozen=True, slots=True)
class Agent:
    """A generic actor noun ('foreign minister', 'protesters') and its sector."""

    form: str
    sector: str | None  # None: the source says it is not an actor ('earthquake', 'Monday')
    code: str
    source: str


@dataclass(frozen=True, slots=True)
class Seat:
    """A seat of power that stands for a government body ('the Kremlin', 'Foggy Bottom')."""

    name: str
    country: str
    sector: str
    source: str


# --- dates ----------------------------------------------------------------------------------------------

def _start_day(value: str) -> str:
    """The first day a partial date can mean: '2017' → '2017-01-01'."""
    return value + "-01-01"[len(value) - 4:] if len(value) < 10 else value


def _end_day(value: str) -> str:
    """The last day a partial date can mean: '2017' → '2017-12-31', '2017-02' → '2017-02-28' (at most)."""
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        return value + "-31" if value[5:] in ("01", "03", "05", "07", "08", "10", "12") else value + (
            "-30" if value[5:] != "02" else "-28")
    return value


def _day(on: date | str | None) -> str | None:
    if on is None:
        return None
    return on if isinstance(on, str) else on.isoformat()


# --- sorted, memory-mapped tables -------------------------------------------------------------------------

class SortedTable:
    """A TSV file whose rows are sorted by their UTF-8 bytes (so by the first column), searched by bisection
    without reading it into Python objects. A file that is not sorted (a user's override) is sorted in memory."""

    def __init__(self, path: Path, columns: Sequence[str], check_sorted: bool):
        self.path = path
        self.columns = tuple(columns)
        with open(path, "rb") as fh:
            try:
                buf: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                buf = b""
        first = buf.find(b"\n")
        header = (buf[:first] if first >= 0 else buf[:]).decode("utf-8", "replace").rstrip("\r").split("\t")
        if tuple(header) != self.columns:
            raise LanguageDataError(f"{path}: header must be {' | '.join(self.columns)} (tab-separated), "
                                    f"found {' | '.join(header)[:120]}")
        self.start = first + 1 if first >= 0 else len(buf)
        self.buf = buf
        if check_sorted:
            self._sort_if_needed()

    def _sort_if_needed(self) -> None:
        body = bytes(self.buf[self.start:])
        lines = [line for line in body.split(b"\n") if line and not line.startswith(b"#")]
        for number, line in enumerate(lines, start=2):
            if line.count(b"\t") != len(self.columns) - 1:
                raise LanguageDataError(f"{self.path}: row {number} does not have the header's "
                                        f"{len(self.columns)} columns")
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise LanguageDataError(f"{self.path}: row {number} is not UTF-8") from None
        ordered = sorted(lines)
        if ordered != lines or body.count(b"\n") != len(lines):
            self.buf = b"\n".join(ordered) + b"\n"
            self.start = 0

    def rows(self, key: str) -> list[list[str]]:
        """Every row whose first column equals `key`, in file order."""
        # Compare each probed line's first len(key)+1 bytes with key + TAB: a tab sorts below every character of
        # a key, so this orders lines exactly as their first column does, without looking for the tab.
        target = key.encode("utf-8") + b"\t"
        width = len(target)
        buf, first = self.buf, self.start
        lo, hi = first, len(buf)
        rfind, find = buf.rfind, buf.find
        while lo < hi:
            mid = (lo + hi) >> 1
            line_start = rfind(b"\n", first, mid) + 1
            if line_start < first:
                line_start = first
            if buf[line_start:line_start + width] < target:
                nl = find(b"\n", line_start)
                lo = nl + 1 if nl >= 0 else len(buf)
            else:
                hi = line_start
        out = []
        pos, size = lo, len(buf)
        while pos < size and buf[pos:pos + width] == target:
            nl = find(b"\n", pos)
            end = nl if nl >= 0 else size
            out.append(buf[pos:end].decode("utf-8").split("\t"))
            pos = end + 1
        return out

    def __iter__(self):
        for line in bytes(self.buf[self.start:]).decode("utf-8").split("\n"):
            if line:
                yield line.split("\t")


# --- the knowledge base ---------------------------------------------------------------------------------

CACHE_SIZE = 4096  # people and names kept decoded per process (FIFO)
STATUS_WEIGHT = {"holding": 1.0, "latest": 0.85, "former": 0.9, "before": 0.8, "presumed": 0.6, "undated": 0.6}
MATCH_WEIGHT = {"name": 1.0, "alias": 0.9, "surname": 0.7}
# Relative odds that a name means this candidate rather than a namesake, by the candidate's status that day
# (times its prominence): in the news of a day, people in office are named far more than former ones, and
# people not yet in office least.
ODDS_WHEN_SOMEONE_HOLDS = {"holding": 1.0, "presumed": 0.3, "latest": 0.3, "former": 0.1, "undated": 0.05,
                           "before": 0.02}
ODDS_WHEN_NONE_HOLDS = {"presumed": 1.0, "latest": 1.0, "former": 1.0, "undated": 0.5, "before": 0.3}
STATUS_ORDER = {"holding": 0, "latest": 1, "presumed": 2, "former": 3, "before": 4, "undated": 5}


class KnowledgeBase:
    """Lookups of people, bodies and actor words. `data` is the folder (or a LanguageData with overrides);
    `extra` adds a user's own files: PETRARCH `.actors`/`.txt` dictionaries, or `.tsv` tables with the
    columns name, aliases (';'-separated), country, sector, role, start, end (one row per role; rows with the
    same name are one person). A user's entries come first among the candidates of a name."""

    def __init__(self, data: LanguageData | str | Path | None = None,
                 overrides: Mapping[str, str | Path] | None = None, extra: Iterable[str | Path] = ()):
        if isinstance(data, LanguageData):
            self.data = data
        else:
            self.data = LanguageData(data or DATA, overrides)
        self._tables: dict[str, SortedTable] = {}
        self._small: dict[str, object] = {}
        self._as_of = {row["tag"]: row["as_of"] for row in self.data.table("sources.tsv")}
        self._user_names: dict[str, list[tuple[str, str]]] = {}
        self._user_people: dict[str, Person] = {}
        self._user_orgs: dict[str, list[Organisation]] = {}
        # bounded caches: a news corpus names the same people over and over
        self._person_cache: dict[str, Person | None] = {}
        self._name_cache: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        # answers by (name, day) and by name: the same names recur across the articles of a run
        self._lookup_cache: dict[tuple[str, str | None], tuple[KBMatch, ...]] = {}
        self._org_cache: dict[str, tuple[Organisation, ...]] = {}
        self.problems: list[str] = []
        for path in extra:
            self._load_extra(Path(path))

    # tables
    def _table(self, name: str) -> SortedTable:
        table = self._tables.get(name)
        if table is None:
            path = self.data.path(name)
            table = SortedTable(path, COLUMNS[name], check_sorted=name in self.data.overrides)
            self._tables[name] = table
        return table

    def as_of(self, source: str) -> str | None:
        """When a source was taken: an open span of it is known to hold until then."""
        tag = source.split("/", 1)[0]
        return self._as_of.get(source) or self._as_of.get(tag)

    # people
    def person(self, pid: str) -> Person | None:
        if pid in self._user_people:
            return self._user_people[pid]
        cached = self._person_cache.get(pid)
        if cached is None:
            cached = self._person_cache[pid] = self._read_person(pid)
            if len(self._person_cache) > CACHE_SIZE:
                self._person_cache.pop(next(iter(self._person_cache)))
        return cached

    def _read_person(self, pid: str) -> Person | None:
        rows = self._table("people.tsv").rows(pid)
        if not rows:
            return None
        _, name, country, born = rows[0]
        spans = tuple(
            Span(s or None, e or None, c or None, sec or None, role, int(rank or 3), party or None, area or None, src)
            for _, s, e, c, sec, role, rank, party, area, src in self._table("spans.tsv").rows(pid))
        return Person(pid, name, country or None, born or None, tuple(sorted({s.source for s in spans})), spans)

    def _keys(self, key: str) -> list[tuple[str, str]]:
        out = list(self._user_names.get(key, ()))
        out.extend((pid, kind) for _, pid, kind in self._table("names.tsv").rows(key))
        return out

    def candidates(self, name: str) -> tuple[str, list[tuple[str, str]]]:
        """(how it matched, [(pid, kind)]) for a name: full names and aliases first; a surname only when the
        name is one word or is itself a known surname ('Van Hollen')."""
        cached = self._name_cache.get(name)
        if cached is None:
            cached = self._name_cache[name] = self._candidates(name)
            if len(self._name_cache) > CACHE_SIZE:
                self._name_cache.pop(next(iter(self._name_cache)))
        return cached

    def _candidates(self, name: str) -> tuple[str, list[tuple[str, str]]]:
        variants = name_variants(name)
        if not variants:
            return "none", []
        found: dict[str, str] = {}
        for key in variants:
            for pid, kind in self._keys(key):
                if kind in ("name", "alias") and (pid not in found or kind == "name"):
                    found[pid] = kind
        if found:
            return "name", list(found.items())
        for pid, kind in self._keys(variants[0]):
            if kind == "surname":
                found.setdefault(pid, "surname")
        return ("surname" if found else "none"), list(found.items())

    def lookup(self, name: str, on: date | str | None = None) -> list[KBMatch]:
        """Every person `name` may be, best first, each with the role held on `on` (see `role_on`).

        A full name must match a known full name or alias (a middle initial may be missing); a one-word name
        returns everyone with that surname. `candidates` on each match says how many people were found and
        `confidence` falls with that number, with an undated or stale role, and for a surname-only match."""
        day = _day(on)
        key = (name, day)
        cached = self._lookup_cache.get(key)
        if cached is None:
            cached = self._lookup_cache[key] = tuple(self._lookup(name, day))
            if len(self._lookup_cache) > CACHE_SIZE:
                self._lookup_cache.pop(next(iter(self._lookup_cache)))
        return list(cached)

    def _lookup(self, name: str, day: str | None) -> list[KBMatch]:
        how, found = self.candidates(name)
        if not found:
            return []
        matches = []
        for pid, kind in found:
            person = self.person(pid)
            if person is None:
                continue
            role = self.role_on(person, day)
            matches.append((person, kind, role))
        # several people: those in office that day are the likely ones, and higher offices more likely
        anyone_holding = any(role.status == "holding" for _, _, role in matches)
        odds = ODDS_WHEN_SOMEONE_HOLDS if anyone_holding else ODDS_WHEN_NONE_HOLDS
        weights = [_prominence(person) * odds.get(role.status, 0.1) for person, _, role in matches]
        total = sum(weights)
        n = len(matches)
        out = []
        for (person, kind, role), weight in zip(matches, weights):
            share = weight / total
            confidence = round(MATCH_WEIGHT[kind] * STATUS_WEIGHT.get(role.status, 0.5) * role.confidence * share, 3)
            span = role.span
            out.append(KBMatch(person.pid, person.name, role.country or person.country, role.sector, role.role,
                               role.status, span.start if span else None, span.end if span else None,
                               span.source if span else None, kind, n, confidence, span.rank if span else None))
        out.sort(key=lambda m: (-m.confidence, STATUS_ORDER.get(m.status, 9), m.pid))
        return out

    def role_on(self, person: Person | str, on: date | str | None) -> RoleOn:
        """The role `person` held on the day `on` (status holding / former / before / presumed / undated), or
        with `on=None` their latest role (status latest)."""
        if isinstance(person, str):
            found = self.person(person)
            if found is None:
                raise KeyError(person)
            person = found
        spans = person.spans
        if not spans:
            return RoleOn("undated", person.country, None, None, None, 0.3)
        dated = [s for s in spans if s.dated]
        day = _day(on)

        def best(candidates: list[Span]) -> Span:
            # the highest office; then the most detailed source (Congress terms carry party and state); then
            # the latest appointment
            return min(candidates, key=lambda s: (s.rank, _source_order(s.source),
                                                  _neg(_start_day(s.start) if s.start else "0000"), s.source, s.role))

        if day is None:
            if dated:
                span = max(dated, key=lambda s: (_start_day(s.start) if s.start else "0000", -s.rank, s.source))
                return RoleOn("latest", span.country, span.sector, span.role, span, 0.7)
            span = best(spans)
            return RoleOn("undated", span.country, span.sector, span.role, span, 0.4)

        known, presumed = [], []
        for s in dated:
            if s.start is not None and _start_day(s.start) > day:
                continue
            if s.end is not None:
                if day <= _end_day(s.end):
                    known.append(s)
            elif (self.as_of(s.source) or "9999") >= day:
                known.append(s)
            else:
                presumed.append(s)
        if known:
            span = best(known)
            precise = (span.start is None or len(span.start) == 10) and (span.end is None or len(span.end) == 10)
            return RoleOn("holding", span.country, span.sector, span.role, span, 0.95 if precise else 0.8)
        fresh = any((self.as_of(s.source) or "0000") >= day for s in spans)
        if presumed and not fresh:
            span = best(presumed)
            return RoleOn("presumed", span.country, span.sector, span.role, span, 0.5)
        # Phoenix's ELI spans (before and after office) are not offices; someone with only ELI spans
        # (a First Lady) is judged by those
        offices = [s for s in dated if s.sector != "ELI"] or dated
        ended = [s for s in offices if s.end is not None and _end_day(s.end) < day]
        if ended:
            span = best(ended)
            return RoleOn("former", span.country, "ELI", f"former {span.role}", span, 0.85)
        later = [s for s in offices if s.start is not None and _start_day(s.start) > day]
        if later:
            span = min(later, key=lambda s: (_start_day(s.start), s.rank, s.source))
            return RoleOn("before", span.country, None, f"future {span.role}", span, 0.8)
        undated = [s for s in spans if not s.dated]
        if undated:
            span = best(undated)
            return RoleOn("undated", span.country, span.sector, span.role, span, 0.4)
        span = best(presumed or dated)
        return RoleOn("presumed", span.country, span.sector, span.role, span, 0.4)

    # bodies and words
    def organisations(self, name: str) -> list[Organisation]:
        """Bodies named `name` (exact folded name): US congressional committees, Phoenix's state bodies,
        IGOs, NGOs, companies and armed groups."""
        cached = self._org_cache.get(name)
        if cached is None:
            key = name_key(name)
            out = list(self._user_orgs.get(key, ()))
            for _, full, country, sector, kind, code, source in self._table("organisations.tsv").rows(key):
                out.append(Organisation(full, country or None, sector or None, kind, code or None, source))
            cached = self._org_cache[name] = tuple(out)
            if len(self._org_cache) > CACHE_SIZE:
                self._org_cache.pop(next(iter(self._org_cache)))
        return list(cached)

    def _word_table(self, name: str, key_column: str) -> dict[str, list[tuple[str, ...]]]:
        """A small hand-made table as {key: [row tuples]} (rows in file order), read on first use."""
        cached = self._small.get((name, key_column))
        if cached is None:
            path = self.data.path(name)
            lines = [line for line in self.data.text(name).split("\n") if line and not line.startswith("#")]
            header = lines[0].split("\t") if lines else []
            if key_column not in header:
                raise LanguageDataError(f"{path}: header has no column {key_column!r} ({' | '.join(header)})")
            index = header.index(key_column)
            cached = {}
            for number, line in enumerate(lines[1:], start=2):
                row = tuple(line.split("\t"))
                if len(row) != len(header):
                    raise LanguageDataError(f"{path}: row {number} does not have the header's {len(header)} columns")
                cached.setdefault(row[index], []).append(row)
            self._small[(name, key_column)] = cached
        return cached  # type: ignore[return-value]

    def agents(self, phrase: str) -> list[Agent]:
        """What the agent lists say a generic actor noun is ('foreign minister' → GOV, 'protesters' → OPP):
        PLOVER's list (NGEC) first, Phoenix's second; they sometimes differ ('spokesman')."""
        rows = self._table("agents.tsv").rows(" ".join(fold(phrase).split()))
        return [Agent(form, sector or None, code, source) for form, sector, code, source in rows]

    def agent(self, phrase: str) -> Agent | None:
        """The first of `agents(phrase)`, or None."""
        found = self.agents(phrase)
        return found[0] if found else None

    def nationality(self, word: str) -> str | None:
        """The country a name, adjective or demonym stands for, as written ('Iraqi' → IRQ, 'U.S.' → USA; from
        NGEC's country table); None when unknown or when the table gives two countries."""
        rows = self._table("countries.tsv").rows(" ".join(word.split()))
        countries = {country for _, country, kind, _ in rows if kind != "phoenix"}
        if not countries:
            return None
        return next(iter(countries)) if len(countries) == 1 else None

    def places(self, word: str) -> list[str]:
        """Countries a place name stands for in the Phoenix country records (provinces, cities, old names:
        'Helmand' → AFG), matched without case since the source writes them in capitals."""
        rows = self._table("countries.tsv").rows(" ".join(word.lower().split()))
        return sorted({country for _, country, kind, _ in rows if kind == "phoenix"})

    def seat(self, phrase: str) -> Seat | None:
        """A seat of power ('the Kremlin' → RUS GOV, 'the Pentagon' → USA MIL), by its name or an alias."""
        table = self._small.get("seats")
        if table is None:
            table = {}
            for rows in self._word_table("seats.tsv", "name").values():
                for name, aliases, country, sector, source in rows:
                    for form in [name, *aliases.split(";")]:
                        if form.strip():
                            table.setdefault(_seat_key(form), Seat(name, country, sector, source))
            self._small["seats"] = table
        return table.get(_seat_key(phrase))  # type: ignore[union-attr]

    def us_state(self, text: str) -> str | None:
        """The USPS code of a US state as written after a party letter: 'N.Y.', 'NY', 'Texas', 'Calif.'."""
        table = self._small.get("us_states")
        if table is None:
            table = {}
            for rows in self._word_table("us_states.tsv", "usps").values():
                for usps, name, forms, _ in rows:
                    for form in [usps, name, *forms.split(";")]:
                        key = _state_key(form)
                        if key:
                            table[key] = usps
            self._small["us_states"] = table
        return table.get(_state_key(text))  # type: ignore[union-attr]

    # user files
    def _load_extra(self, path: Path) -> None:
        if path.suffix.lower() == ".tsv":
            self._load_user_tsv(path)
        else:
            self._load_user_actors(path)

    def _add_user_person(self, pid: str, names: list[str], country: str | None, spans: list[Span]) -> None:
        person = Person(pid, names[0], country, None, tuple(sorted({s.source for s in spans})) or ("user",),
                        tuple(spans))
        self._user_people[pid] = person
        for i, name in enumerate(names):
            kind = "name" if i == 0 else "surname" if len(name.split()) == 1 else "alias"
            for key in name_variants(name, drop_suffix=True):
                self._user_names.setdefault(key, []).append((pid, kind))
        for key in surname_keys(names[0], country):
            self._user_names.setdefault(key, []).append((pid, "surname"))

    def add_people(self, items: Iterable[Mapping], source: str) -> None:
        """People of a hand-made list (the actors' people.yaml: {name, aliases, country, sector, role, since,
        until}), each with the one office it gives, dated. A person the knowledge base already knows by exactly
        this full name and country gets the office added to their own (one person, not two namesakes)."""
        for number, item in enumerate(items, start=1):
            name = str(item.get("name") or "").strip()
            if not name:
                continue
            names = [name, *[str(a) for a in item.get("aliases") or [] if str(a).strip()]]
            country = item.get("country") or None
            since, until = item.get("since"), item.get("until")
            span = Span(str(since) if since else None, str(until) if until else None, country, item.get("sector") or None,
                        str(item.get("role") or "office"), 1, None, None, source)
            known = [pid for pid, kind in self._keys(name_key(name)) if kind == "name"]
            person = self.person(known[0]) if len(set(known)) == 1 else None
            if person is not None and person.country == country:
                self._user_people[person.pid] = Person(person.pid, person.name, person.country, person.born,
                                                       tuple(sorted({*person.sources, source})), (*person.spans, span))
                for alias in names[1:]:
                    # a one-word alias is a surname ("Vance"): it may be someone else's as well
                    kind = "surname" if len(alias.split()) == 1 else "alias"
                    for key in name_variants(alias, drop_suffix=True):
                        if (person.pid, kind) not in self._keys(key):
                            self._user_names.setdefault(key, []).append((person.pid, kind))
            else:
                self._add_user_person(f"{source}:{number}", names, country, [span])
        self._name_cache.clear()

    def _load_user_actors(self, path: Path) -> None:
        from . import petrarch

        countries = petrarch.country_codes()
        records = petrarch.read_actors_file(path)
        for number, record in enumerate(records):
            names = [petrarch.phrase_text(p.text) for p in record.phrases]
            codes = petrarch.record_codes(record, countries)
            if record.dated:
                spans = [Span(c.start, c.end, c.country, c.sector, c.code, 3, None, None, "user")
                         for c in codes]
                country = next((c.country for c in codes if c.country), None)
                self._add_user_person(f"user:{path.name}:{record.line}", names, country, spans)
            else:
                for c in codes[-1:]:
                    org = Organisation(names[0], c.country, c.sector, "organisation", c.code, "user")
                    for name in names:
                        self._user_orgs.setdefault(name_key(name), []).append(org)

    def _load_user_tsv(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LanguageDataError(f"{path}: cannot read ({exc})") from None
        reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
        needed = {"name", "country", "sector"}
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise LanguageDataError(f"{path}: needs the columns name, country, sector (optional: aliases, role, "
                                    f"start, end)")
        people: dict[str, tuple[list[str], str | None, list[Span]]] = {}
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise LanguageDataError(f"{path}: row {number} has more columns than the header")
            name = (row.get("name") or "").strip()
            if not name:
                raise LanguageDataError(f"{path}: row {number} has no name")
            start, end = (row.get("start") or "").strip() or None, (row.get("end") or "").strip() or None
            for value in (start, end):
                if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                    raise LanguageDataError(f"{path}: row {number}: date {value!r} is not YYYY[-MM[-DD]]")
            country = (row.get("country") or "").strip() or None
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            span = Span(start, end, country, (row.get("sector") or "").strip() or None,
                        (row.get("role") or "").strip() or "user entry", 2, None, None, "user")
            names, first_country, spans = people.setdefault(name, ([name], country, []))
            names.extend(a for a in aliases if a not in names)
            spans.append(span)
        for i, (name, (names, country, spans)) in enumerate(people.items()):
            self._add_user_person(f"user:{path.name}:{i + 1}", names, country, spans)


SOURCE_ORDER = ("user", "congress", "wikidata", "phoenix")


def _source_order(source: str) -> int:
    """User entries first, then US Congress (dated terms with party and state), Wikidata, Phoenix (to 2015)."""
    return next((i for i, prefix in enumerate(SOURCE_ORDER) if source.startswith(prefix)), len(SOURCE_ORDER))


def _seat_key(phrase: str) -> str:
    """'the Élysée' → 'elysee', 'Quai d’Orsay' → "quai d'orsay", 'No. 10' → 'no 10'."""
    words = _APOSTROPHES.sub("'", fold(phrase)).replace(".", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _state_key(text: str) -> str:
    """'N.Y.', 'NY', 'n. y.' → 'ny'; 'W. Va.' → 'wva'."""
    return re.sub(r"[\s.]", "", text.lower())


def _prominence(person: Person) -> float:
    """How likely a bare mention means this person rather than a namesake: 4 for a head of state or
    government, 2 for a minister or chamber leader, 1 for another national office, 0.5 subnational or unknown."""
    ranks = [s.rank for s in person.spans if s.sector != "ELI" and s.dated]
    best = min(ranks, default=4)
    return {1: 4.0, 2: 2.0, 3: 1.0}.get(best, 0.5)


def _neg(text: str) -> str:
    """A key that sorts strings in reverse (later dates first) inside a tuple key."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


@lru_cache(maxsize=4)
def load_knowledge_base(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    """The packaged knowledge base (plus a user's files), one per process."""
    return KnowledgeBase(extra=extra)
