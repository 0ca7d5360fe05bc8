"""Build the actor knowledge base (`actors/data/kb/*.tsv`) from the public sources in ../shared/data/knowledge.

    .venv/bin/python scripts/build_knowledge.py [KNOWLEDGE_DIR] [--out DIR]

Reads only facts (names, countries, offices, dates) and writes Tightrope's own compact tables, sorted and
byte-for-byte reproducible (same inputs → same bytes; a test rebuilds into a temporary folder and compares).
Every input file is checked against the sha256 its SOURCE.md lists, so a changed source is an error, not a
silently different knowledge base. What each source gives and lacks is in data/kb/README.md.

Generated tables (hand-made ones in the same folder are inputs: offices.tsv, cameo_blocks.tsv,
cameo_countries.tsv, name_rules.tsv; seats.tsv and us_states.tsv are read only at run time):
  people.tsv         pid, name, country, born                     one row per person
  names.tsv          key, pid, kind                               folded name → person (kind: name|alias|surname)
  spans.tsv          pid, start, end, country, sector, role, rank, party, area, source    dated roles
  organisations.tsv  key, name, country, sector, kind, code, source                       bodies and groups
  countries.tsv      form, country, kind, source                  country names, adjectives, Phoenix place names
  agents.tsv         form, sector, code, source                   generic actor nouns → sector
  sources.tsv        tag, as_of, licence, origin                  what each source tag is, and when it was taken

People from several sources are one person when they share a Wikidata QID, a bioguide id or a govtrack id;
a record without such an id (Phoenix, past members of Congress) joins a person only when a full name and the
country match exactly one person on each side (and birth years, where both are known, agree).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import petrarch
from .kb import DATA, name_key, name_variants, surname_keys
from ..langdata import LanguageData

REPO = Path(__file__).resolve().parents[3]
# Past members of Congress born before this left Congress decades before the news Tightrope codes; their
# names would only add namesakes to surname lookups ("Johnson": hundreds of 19th-century members).
HISTORICAL_BORN_FROM = "1900"
DEFAULT_KNOWLEDGE = REPO.parent / "shared" / "data" / "knowledge"

CABINETS = {  # every-politician-scrapers repository → (jurisdiction ISO3, commit, snapshot date)
    "china-ministers": ("CHN", "300341654d57cd10776238bae41c89b6ea315276", "2022-07-23"),
    "france-cabinet": ("FRA", "7ff37baf3297a83711c90ac84b1d3b2ecb50a541", "2022-07-23"),
    "india-ministers": ("IND", "66f344bbf207d35eaa3225edf5584ae0bb164fe8", "2022-07-23"),
    "iran-ministers": ("IRN", "a8e7c2fb16372b8b77a09303ae27d46a9ea21e67", "2022-07-25"),
    "israel-ministers": ("ISR", "81da8707e865df568c7ba8b0b89bf95e7ffd4ae1", "2022-07-30"),
    "japan-ministers": ("JPN", "8ba3cb1992bee87f5b8dc566da87db2be8550a1a", "2022-07-24"),
    "pakistan-ministers": ("PAK", "065accdb5d8d693e89c0bc559862c10f66d443d1", "2022-08-02"),
    "russia-cabinet": ("RUS", "3871831d9846a16c5017acc229e003ab706202ab", "2022-08-03"),
    "turkey-ministers": ("TUR", "288fbd45ee3fa59f8a226437bf43d726c9845f4f", "2022-08-03"),
    "ukraine-cabinet": ("UKR", "4fc6ab0f4d90d6170b674172a115f1bc98478e4b", "2022-07-23"),
    "united-kingdom-cabinet": ("GBR", "3a5ec686630cbefc0fe4b96da38a2a50b52d2556", "2022-07-23"),
    "us-cabinet": ("USA", "0d5e73cb24ba9f78bc36f6cd0fbe9839e6cd8600", "2022-08-03"),
}
CONGRESS = ("unitedstates/congress-legislators", "dfa9622263dd4c8d08636926e498f1845704d7eb", "2026-06-15")
PHOENIX = ("openeventdata/Dictionaries", "aa75b79b36f6ef5266e916cc8daaebf30d2e2113", "2015-05-01")
NGEC = ("ahalterman/NGEC-2025", "a3909e2aa02969ccaaa915a9626a5316e1cac0f8", "2025-08-13")
LEADERS = ("every-politician-scrapers/world-leaders-2021", "be7039cf5952d8121c4f1e24eea64cc5dd465633", "2022-10-10")


def _sources() -> list[tuple[str, str, str, str]]:
    """(tag, as_of, licence, origin) of every source tag the tables use."""
    out = [
        ("congress-current", CONGRESS[2], "CC0-1.0",
         f"{CONGRESS[0]}@{CONGRESS[1][:7]} legislators-current.yaml (members serving on {CONGRESS[2]})"),
        ("congress-historical", CONGRESS[2], "CC0-1.0",
         f"{CONGRESS[0]} gh-pages legislators-historical.csv (past members; latest term only, no dates)"),
        ("congress-executive", CONGRESS[2], "CC0-1.0", f"{CONGRESS[0]}@{CONGRESS[1][:7]} executive.yaml"),
        ("congress-committees", CONGRESS[2], "CC0-1.0", f"{CONGRESS[0]}@{CONGRESS[1][:7]} committees-current.yaml"),
        ("wikidata-leaders", LEADERS[2], "CC0-1.0 (Wikidata)",
         f"{LEADERS[0]}@{LEADERS[1][:7]} data/wikidata.csv (heads of state/government; years only)"),
        ("wikidata-us-legislators", CABINETS["us-cabinet"][2], "CC0-1.0 (Wikidata)",
         f"every-politician-scrapers/us-cabinet@{CABINETS['us-cabinet'][1][:7]} html/legislators.csv"),
        ("phoenix-countries", PHOENIX[2], "MIT (file header)", f"{PHOENIX[0]}@{PHOENIX[1][:7]} Phoenix.Countries.actors.txt"),
        ("phoenix-international", PHOENIX[2], "none stated (facts only)",
         f"{PHOENIX[0]}@{PHOENIX[1][:7]} Phoenix.International.actors.txt"),
        ("phoenix-milnonstate", PHOENIX[2], "none stated (facts only)",
         f"{PHOENIX[0]}@{PHOENIX[1][:7]} Phoenix.MilNonState.actors.txt"),
        ("phoenix-agents", PHOENIX[2], "MIT (file header)", f"{PHOENIX[0]}@{PHOENIX[1][:7]} Phoenix.agents.txt"),
        ("ngec-agents", NGEC[2], "MIT (file header, package metadata)", f"{NGEC[0]}@{NGEC[1][:7]} NGEC/assets/PLOVER_agents.txt"),
        ("ngec-countries", NGEC[2], "MIT declared for the package; file origin not stated (facts only)",
         f"{NGEC[0]}@{NGEC[1][:7]} NGEC/assets/countries.csv"),
    ]
    for repo, (_, commit, day) in sorted(CABINETS.items()):
        out.append((f"wikidata-{repo}", day, "CC0-1.0 (Wikidata)",
                    f"every-politician-scrapers/{repo}@{commit[:7]} html/holders21.csv"))
    return sorted(out)


class BuildError(RuntimeError):
    """The knowledge folder is missing, changed, or cannot be read; the message says which file."""


# --- input checks ---------------------------------------------------------------------------------------

def _checksums(source_md: Path) -> dict[str, str]:
    """file → sha256 from the 'Files' table of a SOURCE.md."""
    out = {}
    for line in source_md.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*([^|]+?)\s*\|\s*\d+\s*\|\s*`([0-9a-f]{64})`\s*\|", line)
        if m:
            out[m[1]] = m[2]
    return out


def _check(knowledge: Path, used: dict[str, list[str]]) -> None:
    for folder, files in used.items():
        source_md = knowledge / folder / "SOURCE.md"
        if not source_md.is_file():
            raise BuildError(f"{source_md}: missing (is {knowledge} the knowledge folder?)")
        sums = _checksums(source_md)
        for name in files:
            path = knowledge / folder / name
            if not path.is_file():
                raise BuildError(f"{path}: missing")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if sums.get(name) != digest:
                raise BuildError(f"{path}: sha256 {digest[:12]}… differs from {source_md} "
                                 f"({(sums.get(name) or 'not listed')[:12]}…)")


# --- people ---------------------------------------------------------------------------------------------

@dataclass
class SpanRow:
    start: str
    end: str
    country: str
    sector: str
    role: str
    rank: int
    party: str
    area: str
    source: str

    def cells(self, pid: str) -> tuple[str, ...]:
        return (pid, self.start, self.end, self.country, self.sector, self.role, str(self.rank), self.party,
                self.area, self.source)


@dataclass
class PersonRecord:
    source: str
    qid: str = ""
    bioguide: str = ""
    govtrack: str = ""
    local: str = ""  # an id within the source (Phoenix: the primary phrase)
    display: list[tuple[int, str]] = field(default_factory=list)  # (priority, name): lowest priority shown
    names: list[str] = field(default_factory=list)  # full names (kind "name")
    aliases: list[str] = field(default_factory=list)  # other forms a source gives (kind "alias")
    short: list[str] = field(default_factory=list)  # one-word names a source gives (kind "surname")
    last: str = ""  # the family name when the source gives it
    born: str = ""
    spans: list[SpanRow] = field(default_factory=list)

    def countries(self) -> set[str]:
        return {s.country for s in self.spans if s.country}


def _clean(value) -> str:
    return " ".join(str(value if value is not None else "").split())


def _born_year(record: PersonRecord) -> str:
    return record.born[:4] if record.born else ""


class Builder:
    def __init__(self, knowledge: Path):
        self.k = knowledge
        self.hand = LanguageData(DATA)
        self.stats: Counter = Counter()
        self.problems: list[str] = []
        self.people: list[PersonRecord] = []
        self.orgs: list[tuple[str, str, str, str, str, str, str]] = []  # key, name, country, sector, kind, code, source
        self.country_rows: set[tuple[str, str, str, str]] = set()
        self.agent_rows: list[tuple[str, str, str, str]] = []
        self.iso3: set[str] = set()
        self.country_names: dict[str, str] = {}
        self.cameo: dict[str, str] = {}
        self.offices = [(re.compile(r["pattern"]), r["sector"], int(r["rank"])) for r in self.hand.table("offices.tsv")]

    # countries
    def read_countries(self) -> None:
        for row in csv.DictReader(open(self.k / "ngec/countries.csv", encoding="utf-8", newline="")):
            iso = row["CCA3"].strip()
            self.iso3.add(iso)
            name = _clean(row["Name"])
            self.country_rows.add((name, iso, "name", "ngec-countries"))
            self.country_names.setdefault(name.lower(), iso)
            for alias in row["Nationality"].split(","):
                alias = _clean(alias)
                if alias:
                    self.country_rows.add((alias, iso, "nationality", "ngec-countries"))
                    self.country_names.setdefault(alias.lower(), iso)
        for row in csv.DictReader(open(self.k / "ngec/cow2iso.txt", encoding="utf-8", newline="")):
            iso = row["iso3"].strip()
            if re.fullmatch(r"[A-Z]{3}", iso):
                self.iso3.add(iso)
                if not row["valid_until"].strip():  # current states' names also resolve Wikidata's labels
                    for column in ("cname", "cname_full", "statenme"):
                        if row[column].strip():
                            self.country_names.setdefault(_clean(row[column]).lower(), iso)
        self.cameo = {row["code"]: row["country"] for row in self.hand.table("cameo_countries.tsv")}
        self.code_map = {**{c: c for c in self.iso3}, **self.cameo}

    def country_of_label(self, label: str) -> str | None:
        """A Wikidata country label → ISO3 through the NGEC names ('The Gambia', 'Kingdom of Denmark')."""
        text = label.lower().strip()
        for _ in range(2):
            if text in self.country_names:
                return self.country_names[text]
            text = re.sub(r"^(the |kingdom of (the )?|republic of (the )?)", "", text)
        return None

    def office(self, title: str) -> tuple[str, int]:
        text = title.lower()
        for pattern, sector, rank in self.offices:
            if pattern.search(text):
                return sector, rank
        return "GOV", 3

    # US Congress
    def read_congress(self) -> None:
        current = yaml.load(open(self.k / "us_congress/legislators-current.yaml", encoding="utf-8"), Loader=yaml.CSafeLoader)
        for item in current:
            rec = self._congress_person(item, "congress-current")
            for term in item.get("terms") or []:
                rec.spans.append(self._term_span(term, "congress-current"))
            for role in item.get("leadership_roles") or []:
                rec.spans.append(SpanRow(_clean(role.get("start")), _clean(role.get("end")), "USA", "LEG",
                                         _clean(role.get("title")), 2, "", "", "congress-current"))
            self.people.append(rec)
            self.stats["congress-current people"] += 1
        executive = yaml.load(open(self.k / "us_congress/executive.yaml", encoding="utf-8"), Loader=yaml.CSafeLoader)
        for item in executive:
            rec = self._congress_person(item, "congress-executive")
            for term in item.get("terms") or []:
                kind = term.get("type")
                title, rank = ("President of the United States", 1) if kind == "prez" else (
                    "Vice President of the United States", 2)
                rec.spans.append(SpanRow(_clean(term.get("start")), _clean(term.get("end")), "USA", "GOV", title,
                                         rank, _clean(term.get("party")), "", "congress-executive"))
            self.people.append(rec)
            self.stats["congress-executive people"] += 1
        with open(self.k / "us_congress/legislators-historical.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if not row["birthday"] or row["birthday"] < HISTORICAL_BORN_FROM:
                    self.stats["congress-historical people born before 1900 or undated birth (left out)"] += 1
                    continue
                rec = PersonRecord("congress-historical", bioguide=_clean(row["bioguide_id"]),
                                   govtrack=_clean(row["govtrack_id"]), born=_clean(row["birthday"]))
                self._add_name_parts(rec, row["first_name"], row["middle_name"], row["last_name"], row["nickname"],
                                     row["full_name"], 3, row["suffix"])
                wiki = re.sub(r"\s*\(.*\)\s*$", "", _clean(row["wikipedia_id"]))
                if wiki:
                    rec.names.append(wiki)
                    rec.display.append((2, wiki))
                role = "US Senator" if row["type"] == "sen" else "US Representative"
                rec.spans.append(SpanRow("", "", "USA", "LEG", f"{role} from {_clean(row['state'])}", 3,
                                         _clean(row["party"]), _clean(row["state"]), "congress-historical"))
                self.people.append(rec)
                self.stats["congress-historical people"] += 1

    def _congress_person(self, item: dict, source: str) -> PersonRecord:
        ids, name, bio = item.get("id") or {}, item.get("name") or {}, item.get("bio") or {}
        rec = PersonRecord(source, qid=_clean(ids.get("wikidata")), bioguide=_clean(ids.get("bioguide")),
                           govtrack=_clean(ids.get("govtrack")), born=_clean(bio.get("birthday")))
        self._add_name_parts(rec, name.get("first"), name.get("middle"), name.get("last"), name.get("nickname"),
                             name.get("official_full"), 1, name.get("suffix"))
        wiki = re.sub(r"\s*\(.*\)\s*$", "", _clean(ids.get("wikipedia")))
        if wiki:
            rec.names.append(wiki)
            rec.display.append((0, wiki))
        return rec

    @staticmethod
    def _add_name_parts(rec: PersonRecord, first, middle, last, nickname, full, priority: int, suffix=None) -> None:
        first, middle, last, nickname, full, suffix = (_clean(x) for x in (first, middle, last, nickname, full, suffix))
        forms = []
        if full:
            forms.append(full)
        if first and last:
            forms += [f"{first} {last}", f"{first} {middle} {last}" if middle else ""]
            if middle and len(middle) > 1:
                forms.append(f"{first} {middle[0]}. {last}")
        if nickname and last:
            forms.append(f"{nickname} {last}")
        if suffix:  # "Joseph R. Biden Jr." names him too (a query's suffix must match a source's)
            forms += [f"{f} {suffix}" for f in forms if f and not f.endswith(suffix)]
        for form in forms:
            if form:
                rec.names.append(form)
        if full:
            rec.display.append((priority, full))
        elif first and last:
            rec.display.append((priority + 1, f"{nickname or first} {last}"))
        rec.last = last

    def _term_span(self, term: dict, source: str) -> SpanRow:
        sen = term.get("type") == "sen"
        state = _clean(term.get("state"))
        district = term.get("district")
        where = state if sen or district in (None, "") else f"{state}-{district}"
        role = f"US Senator from {state}" if sen else f"US Representative from {where}"
        return SpanRow(_clean(term.get("start")), _clean(term.get("end")), "USA", "LEG", role, 3,
                       _clean(term.get("party")), state, source)

    # Wikidata
    def read_wikidata(self) -> None:
        with open(self.k / "wikidata_leaders/world_leaders_2021/wikidata.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                country = self.country_of_label(row["country"])
                if country is None:
                    self.problems.append(f"wikidata-leaders: no ISO3 for country {row['country']!r}; "
                                         f"{row['officeholderLabel']} left out")
                    self.stats["wikidata-leaders rows without a country"] += 1
                    continue
                rec = PersonRecord("wikidata-leaders", qid=_clean(row["officeholder"]))
                label = _clean(row["officeholderLabel"])
                if not label or re.fullmatch(r"Q\d+", label):
                    self.stats["wikidata-leaders rows without a label"] += 1
                    continue
                rec.names.append(label)
                rec.display.append((0, label))
                rec.spans.append(SpanRow(_clean(row["start_year"]), _clean(row["end_year"]), country, "GOV",
                                         _clean(row["positionLabel"]), 1, "", "", "wikidata-leaders"))
                self.people.append(rec)
                self.stats["wikidata-leaders rows"] += 1
        for repo, (country, _, _) in sorted(CABINETS.items()):
            tag = f"wikidata-{repo}"
            with open(self.k / "wikidata_leaders/cabinets" / repo / "holders21.csv", encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    label = _clean(row["person"])
                    if not label or re.fullmatch(r"Q\d+", label):
                        self.stats["wikidata-cabinets rows without a label"] += 1
                        continue
                    rec = PersonRecord(tag, qid=_clean(row["personID"]), born=_clean(row.get("DOB")))
                    rec.names.append(label)
                    rec.display.append((0, label))
                    title = _clean(row["position"])
                    sector, rank = self.office(title)
                    rec.spans.append(SpanRow(_clean(row["start"]), _clean(row["end"]), country, sector, title, rank,
                                             "", "", tag))
                    self.people.append(rec)
                    self.stats["wikidata-cabinets rows"] += 1
        with open(self.k / "wikidata_leaders/cabinets/us-cabinet/legislators.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                label = _clean(row["person"])
                if not label or re.fullmatch(r"Q\d+", label):
                    self.stats["wikidata-us-legislators rows without a label"] += 1
                    continue
                title = _clean(row["position"])
                national = title.lower() in ("united states representative", "united states senator")
                rec = PersonRecord("wikidata-us-legislators", qid=_clean(row["personID"]))
                rec.names.append(label)
                rec.display.append((0, label))
                rec.spans.append(SpanRow(_clean(row["start"]), _clean(row["end"]), "USA", "LEG", title,
                                         3 if national else 4, "", "", "wikidata-us-legislators"))
                self.people.append(rec)
                self.stats["wikidata-us-legislators rows"] += 1

    # Phoenix
    def read_phoenix(self) -> None:
        files = [("Phoenix.Countries.actors.txt", "phoenix-countries"),
                 ("Phoenix.International.actors.txt", "phoenix-international"),
                 ("Phoenix.MilNonState.actors.txt", "phoenix-milnonstate")]
        for name, tag in files:
            problems: list[str] = []
            path = self.k / "phoenix_dictionaries" / name
            records = petrarch.read_actors_file(path, strict=False, problems=problems)
            self.stats[f"{tag} source lines with a problem (skipped, or cleaned)"] += len(problems)
            self.problems.extend(p.replace(str(self.k) + "/", "") for p in problems)
            for record in records:
                codes = petrarch.record_codes(record, self.code_map)
                phrases = [petrarch.phrase_text(p.text) for p in record.phrases]
                if not codes:
                    continue
                person = record.dated or "CountryInfo" in record.comment
                if person:
                    self._phoenix_person(record, phrases, codes, tag)
                elif tag == "phoenix-countries" and all(
                        c.sector is None and c.country and len(c.code) == 3 for c in codes):
                    # the source writes everything in capitals, so case is unknown: stored in lower case
                    for phrase in phrases:
                        self.country_rows.add((phrase.lower(), codes[-1].country, "phoenix", tag))
                    self.stats[f"{tag} country records"] += 1
                else:
                    self._phoenix_org(record, phrases, codes, tag)

    def _phoenix_person(self, record, phrases: list[str], codes, tag: str) -> None:
        countries = Counter(c.country for c in codes if c.country)
        if not countries:
            self.stats[f"{tag} people without a known country (left out)"] += 1
            return
        fallback = countries.most_common(1)[0][0]
        # one Phoenix record per name and country: a name listed twice for one country is one person
        rec = PersonRecord(tag, local=f"px:{fallback}:{name_key(phrases[0])}")
        rec.names.append(_title_case(phrases[0]))
        rec.display.append((5, _title_case(phrases[0])))
        for phrase in phrases[1:]:
            words = phrase.split()
            if len(words) == 1:
                rec.short.append(_title_case(phrase))
            else:
                rec.aliases.append(_title_case(phrase))
        for c in codes:
            rec.spans.append(SpanRow(c.start or "", c.end or "", c.country or fallback, c.sector or "",
                                     c.code, 3, "", "", tag))
        self.people.append(rec)
        self.stats[f"{tag} people"] += 1

    def _phoenix_org(self, record, phrases: list[str], codes, tag: str) -> None:
        code = next((c for c in codes if c.default), codes[-1])
        head = code.code[:3]
        kind = {"IGO": "igo", "NGO": "ngo", "MNC": "company", "IMG": "armed-group"}.get(head)
        if kind is None:
            kind = "armed-group" if tag == "phoenix-milnonstate" else "state-body"
        name = _title_case(phrases[0], acronyms=True)
        keys = []
        for phrase in phrases:
            keys.append(name_key(phrase))
            # "AFRICAN NATIONAL CONGRESS (SOUTH AFRICA)", "... ARMY (AAIA)": news writes the name without the
            # source's qualifier; a bare name of fewer words is too common a phrase to stand for the body
            bare = _QUALIFIER.sub(" ", phrase)
            if bare != phrase and len(bare.split()) >= _BARE_NAME_WORDS:
                keys.append(name_key(bare))
        for key in dict.fromkeys(keys):
            if key:
                self.orgs.append((key, name, code.country or "", code.sector or "", kind, code.code, tag))
        self.stats[f"{tag} bodies"] += 1

    # committees
    def read_committees(self) -> None:
        items = yaml.load(open(self.k / "us_congress/committees-current.yaml", encoding="utf-8"), Loader=yaml.CSafeLoader)
        for item in items:
            name = _clean(item.get("name"))
            chamber = {"house": "House", "senate": "Senate", "joint": "Joint"}.get(item.get("type"), "")
            code = _clean(item.get("thomas_id"))
            forms = {name}
            # "House Committee on Agriculture" → "House Agriculture Committee";
            # "House Permanent Select Committee on Intelligence" → "House Intelligence Committee"
            m = re.match(r"^(House|Senate|Joint)\s+(?:(?:Permanent\s+)?(?:Select|Special)\s+)?Committee\s+on\s+(?:the\s+)?(.+)$", name)
            if m:
                forms.add(f"{m[1]} {m[2]} Committee")
                forms.add(f"{m[1]} Committee on {m[2]}")
            for form in sorted(forms):
                self.orgs.append((name_key(form), name, "USA", "LEG", "committee", code, "congress-committees"))
            self.stats["congress-committees committees"] += 1
            for sub in item.get("subcommittees") or []:
                sub_name = _clean(sub.get("name"))
                full = f"{name} Subcommittee on {sub_name}"
                self.orgs.append((name_key(full), full, "USA", "LEG", "committee",
                                  f"{code}{_clean(sub.get('thomas_id'))}", "congress-committees"))
                self.stats["congress-committees subcommittees"] += 1

    # agents
    def read_agents(self) -> None:
        for path, tag, dialect in ((self.k / "ngec/PLOVER_agents.txt", "ngec-agents", "plover"),
                                   (self.k / "phoenix_dictionaries/Phoenix.agents.txt", "phoenix-agents", "cameo")):
            problems: list[str] = []
            entries = petrarch.read_agents_file(path, strict=False, problems=problems)
            self.problems.extend(p.replace(str(self.k) + "/", "") for p in problems)
            self.stats[f"{tag} source lines with a problem (skipped, or cleaned)"] += len(problems)
            seen = set()
            for entry in entries:
                if entry.form in seen:
                    continue
                seen.add(entry.form)
                _, sector = petrarch.decode_code(entry.code, {}, dialect)
                self.agent_rows.append((entry.form, sector or "", entry.code + ("~" if entry.prefix else ""), tag))
            self.stats[f"{tag} forms"] += len(seen)

    # merge and write
    def merge(self) -> list[tuple[str, list[PersonRecord]]]:
        n = len(self.people)
        parent = list(range(n))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for attr in ("qid", "bioguide", "govtrack", "local"):
            first: dict[str, int] = {}
            for i, rec in enumerate(self.people):
                value = getattr(rec, attr)
                if value:
                    if value in first:
                        union(first[value], i)
                    else:
                        first[value] = i

        def groups() -> dict[int, list[int]]:
            out: dict[int, list[int]] = defaultdict(list)
            for i in range(n):
                out[find(i)].append(i)
            return out

        def facts(members: list[int]) -> tuple[set[str], set[str], set[str]]:
            keys, countries, born = set(), set(), set()
            for i in members:
                rec = self.people[i]
                # exact full names only: "George Bush" (a variant of both Bushes) must not join either
                for name in rec.names + [a for a in rec.aliases if rec.source.startswith("phoenix")]:
                    key = name_key(name)
                    if " " in key:
                        keys.add(key)
                countries |= rec.countries()
                if _born_year(rec):
                    born.add(_born_year(rec))
            return keys, countries, born

        # id-less records join a person with ids when name and country match one person on each side
        for target_test, candidate_test, label in (
                (lambda ms: any(self.people[i].qid for i in ms),
                 lambda ms: not any(self.people[i].qid for i in ms), "by name into a Wikidata person"),
                (lambda ms: any(self.people[i].bioguide for i in ms),
                 lambda ms: all(self.people[i].source.startswith("phoenix") for i in ms), "by name into a Congress person")):
            current = groups()
            targets: dict[tuple[str, str], set[int]] = defaultdict(set)
            candidates: dict[tuple[str, str], set[int]] = defaultdict(set)
            info = {root: facts(members) for root, members in current.items()}
            kind = {}
            for root, members in current.items():
                if target_test(members):
                    kind[root] = "target"
                elif candidate_test(members):
                    kind[root] = "candidate"
                else:
                    continue
                keys, countries, _ = info[root]
                bucket = targets if kind[root] == "target" else candidates
                for key in keys:
                    for country in countries:
                        bucket[(key, country)].add(root)
            family = {root: ("phoenix" if all(self.people[i].source.startswith("phoenix") for i in members)
                             else "other") for root, members in current.items()}
            for root in sorted(r for r, k in kind.items() if k == "candidate"):
                keys, countries, born = info[root]
                matched: set[int] = set()
                unique = True
                for key in keys:
                    for country in countries:
                        found = targets.get((key, country))
                        if found:
                            matched |= found
                            # two namesakes from one family of sources: neither can be told to be the one
                            if sum(family[c] == family[root] for c in candidates[(key, country)]) > 1:
                                unique = False
                if len(matched) != 1 or not unique:
                    if matched:
                        self.stats[f"merge {label}: ambiguous, kept apart"] += 1
                        names = sorted(keys)[:2]
                        self.problems.append(f"merge {label}: {' / '.join(names)} ({', '.join(sorted(countries))}) "
                                             f"matches {len(matched)} people on one side or several on the other; "
                                             f"kept apart")
                    continue
                target = next(iter(matched))
                target_born = info[target][2]
                if born and target_born and not (born & target_born):
                    self.stats[f"merge {label}: birth years differ, kept apart"] += 1
                    continue
                union(target, root)
                self.stats[f"merge {label}"] += 1
        out = []
        for members in groups().values():
            records = [self.people[i] for i in members]
            out.append((self._pid(records), records))
        out.sort(key=lambda item: item[0])
        return out

    @staticmethod
    def _pid(records: list[PersonRecord]) -> str:
        for attr, prefix in (("qid", ""), ("bioguide", "bioguide:"), ("govtrack", "govtrack:"), ("local", "")):
            values = sorted({getattr(r, attr) for r in records if getattr(r, attr)})
            if values:
                return prefix + values[0].replace(" ", "_")
        raise BuildError("a person without any id")  # every record has one of them

    def write(self, out: Path) -> dict[str, int]:
        out.mkdir(parents=True, exist_ok=True)
        merged = self.merge()
        people_rows, name_rows, span_rows = [], set(), set()
        seen_pids: set[str] = set()
        for pid, records in merged:
            if pid in seen_pids:
                raise BuildError(f"two people with the id {pid}")
            seen_pids.add(pid)
            spans = _dedupe_spans([s for r in records for s in r.spans])
            if not spans:
                continue
            if all(s.source == "wikidata-us-legislators" and s.rank == 4 for s in spans):
                # only ever a state legislator: kept out (namesakes for surname lookups, rarely in world news)
                self.stats["wikidata-us-legislators people only in state legislatures (left out)"] += 1
                continue
            display = min((d for r in records for d in r.display), default=(9, pid))[1]
            country = _main_country(spans)
            born = max((r.born for r in records if r.born), key=len, default="")
            people_rows.append((pid, display, country, born))
            kinds: dict[str, str] = {}
            for r in records:
                for name in r.names:
                    for key in name_variants(name, drop_suffix=True):
                        kinds[key] = "name"
                for alias in r.aliases:
                    for key in name_variants(alias, drop_suffix=True):
                        kinds.setdefault(key, "alias")
            surnames = set()
            for r in records:
                if r.last:
                    surnames.update(surname_keys("", country, r.last))
                for short in r.short:
                    surnames.add(name_key(short))
            if not surnames:
                surnames.update(surname_keys(display, country))
            for key, kind in kinds.items():
                if key:
                    name_rows.add((key, pid, kind))
            for key in surnames:
                if key and kinds.get(key) != "name":
                    name_rows.add((key, pid, "surname"))
            for span in spans:
                span_rows.add(span.cells(pid))
        org_rows = set(self.orgs)
        sizes = {
            "people.tsv": _write(out / "people.tsv", ("pid", "name", "country", "born"), people_rows),
            "names.tsv": _write(out / "names.tsv", ("key", "pid", "kind"), name_rows),
            "spans.tsv": _write(out / "spans.tsv", ("pid", "start", "end", "country", "sector", "role", "rank",
                                                    "party", "area", "source"), span_rows),
            "organisations.tsv": _write(out / "organisations.tsv",
                                        ("key", "name", "country", "sector", "kind", "code", "source"), org_rows),
            "countries.tsv": _write(out / "countries.tsv", ("form", "country", "kind", "source"), self.country_rows),
            "agents.tsv": _write(out / "agents.tsv", ("form", "sector", "code", "source"), self.agent_rows,
                                 key=lambda r: (r[0], r[3] != "ngec-agents", r)),
            "sources.tsv": _write(out / "sources.tsv", ("tag", "as_of", "licence", "origin"), _sources()),
        }
        self.stats["people"] = len(people_rows)
        self.stats["name keys"] = len(name_rows)
        self.stats["spans"] = len(span_rows)
        self.stats["organisation keys"] = len(org_rows)
        return sizes


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*")  # a parenthesised qualifier in a dictionary phrase
_BARE_NAME_WORDS = 3


def _dedupe_spans(spans: list[SpanRow]) -> list[SpanRow]:
    """Identical spans once; a year-only span of wikidata-leaders is dropped when a cabinet list gives the
    same office with full dates (the 12 countries are in both)."""
    unique = {tuple(s.__dict__.values()): s for s in spans}
    out = list(unique.values())
    precise = {(s.country, s.start[:4], s.sector) for s in out if len(s.start) == 10 and s.rank == 1}
    return [s for s in out
            if not (s.source == "wikidata-leaders" and (s.country, s.start[:4], s.sector) in precise)]


def _main_country(spans: list[SpanRow]) -> str:
    """The country of the person's highest office, latest first."""
    ranked = sorted((s for s in spans if s.country), key=lambda s: (s.rank, s.sector == "ELI", _neg_date(s.start)))
    return ranked[0].country if ranked else ""


def _neg_date(value: str) -> tuple[int, ...]:
    digits = [int(x) for x in re.findall(r"\d+", value)] or [0]
    return tuple(-d for d in digits)


_LOWER_PARTICLES = {"al", "el", "bin", "ibn", "de", "da", "del", "della", "der", "di", "du", "dos", "van", "von",
                    "la", "le", "ben", "bint", "abu"}


_SHORT_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "de", "la", "le", "al", "el", "du", "da", "des",
                "del", "von", "van", "bin", "ibn", "a", "an", "by", "y", "et"}


def _title_case(words: str, acronyms: bool = False) -> str:
    """A name written in capitals as a name ('GEORGE_W._BUSH' → 'George W. Bush', 'BASHAR_AL-ASSAD' →
    'Bashar al-Assad'); names already in mixed case are kept. With `acronyms`, words of up to three letters
    that are not particles stay in capitals (bodies: 'UN', 'FBI', 'ANC')."""
    words = petrarch.phrase_text(words)
    if words != words.upper():
        return words
    out = []
    for i, word in enumerate(words.split(" ")):
        if acronyms and len(word.strip(".")) <= 3 and word.lower() not in _SHORT_WORDS and word.isalpha():
            out.append(word)
            continue
        if acronyms and word.lower() in _SHORT_WORDS and i > 0:
            out.append(word.lower())
            continue
        parts = []
        for j, part in enumerate(word.split("-")):
            low = part.lower()
            if (i > 0 or j > 0) and low in _LOWER_PARTICLES and len(word.split("-")) > 1 and j == 0:
                parts.append(low)
            elif low.startswith("mc") and len(low) > 2:
                parts.append("Mc" + low[2:].capitalize())
            else:
                parts.append(low[:1].upper() + low[1:])
        out.append("-".join(parts))
    return " ".join(out)


def _cell(value: str) -> str:
    """One TSV cell: no tabs or line breaks, and no control characters (three Phoenix names carry a stray
    \\x00 or \\x1a where a letter with a diacritic was lost)."""
    return " ".join(_CONTROL.sub("", str(value)).replace("\t", " ").split())


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _write(path: Path, header: tuple[str, ...], rows, key=None) -> int:
    """Rows as UTF-8 TSV with '\\n' line ends, sorted by their bytes (or `key`), header first."""
    lines = ["\t".join(_cell(v) for v in row) for row in rows]
    if key is None:
        lines = sorted(set(lines), key=lambda line: line.encode("utf-8"))
    else:
        lines = ["\t".join(_cell(v) for v in row) for row in sorted(set(rows), key=key)]
    data = ("\t".join(header) + "\n" + "".join(line + "\n" for line in lines)).encode("utf-8")
    path.write_bytes(data)
    return len(data)


USED = {
    "us_congress": ["legislators-current.yaml", "legislators-historical.csv", "executive.yaml",
                    "committees-current.yaml"],
    "phoenix_dictionaries": ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                             "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt"],
    "ngec": ["PLOVER_agents.txt", "countries.csv", "cow2iso.txt"],
    "wikidata_leaders": ["world_leaders_2021/wikidata.csv", "cabinets/us-cabinet/legislators.csv",
                         *(f"cabinets/{repo}/holders21.csv" for repo in sorted(CABINETS))],
}


def build(knowledge: Path = DEFAULT_KNOWLEDGE, out: Path = DATA) -> tuple[dict[str, int], Counter, list[str]]:
    """Build every generated table from `knowledge` into `out`; returns (file sizes, counts, problems)."""
    knowledge = Path(knowledge)
    if not knowledge.is_dir():
        raise BuildError(f"{knowledge}: no such folder (pass the path of ../shared/data/knowledge)")
    _check(knowledge, USED)
    builder = Builder(knowledge)
    builder.read_countries()
    builder.read_congress()
    builder.read_wikidata()
    builder.read_phoenix()
    builder.read_committees()
    builder.read_agents()
    sizes = builder.write(Path(out))
    return sizes, builder.stats, builder.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("knowledge", nargs="?", default=str(DEFAULT_KNOWLEDGE),
                        help="the knowledge folder (default: ../shared/data/knowledge beside the repository)")
    parser.add_argument("--out", default=str(DATA), help="where to write the tables (default: the package's data/kb)")
    parser.add_argument("--problems", action="store_true", help="list every skipped source line")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        sizes, stats, problems = build(Path(args.knowledge), Path(args.out))
    except (BuildError, OSError, yaml.YAMLError, petrarch.PetrarchFormatError) as exc:
        print(f"build_knowledge: {exc}", file=sys.stderr)
        return 1
    for name, size in sorted(sizes.items()):
        print(f"{size:>10,d}  {name}")
    print(f"{sum(sizes.values()):>10,d}  in all ({time.perf_counter() - started:.1f} s)")
    for key, value in sorted(stats.items()):
        print(f"{value:>10,d}  {key}")
    if problems:
        print(f"{len(problems)} source lines skipped or left out" + ("" if args.problems else " (--problems lists them)"))
        if args.problems:
            for line in problems:
                print("  " + line)
    return 0
