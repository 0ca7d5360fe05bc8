"""Read PETRARCH/TABARI/Phoenix dictionaries: `.actors` files (names → CAMEO codes with date restrictions)
and agent files (generic nouns → agent codes), so a researcher's existing dictionaries work unchanged.

The format is PETRARCH's (openeventdata/Dictionaries README, "Actor Dictionary"):

    PRIMARY_PHRASE_  [optional default code]   ; comment
    +SYNONYM_PHRASE
    <TAB>[CODE restriction]

* a record is a run of phrase lines (primary phrases and `+` synonyms) followed by its code lines; as in
  PETRARCH's reader, a new primary phrase that comes before any code line joins the same record, and one
  that comes after a code line starts the next record;
* a code line is `<TAB>[CODE]` (the default), `[CODE <date]`, `[CODE >date]` or `[CODE date-date]`, dates
  `YYYYMMDD` or `YYMMDD` (YY ≤ 30 is 20YY, else 19YY), limits inclusive; `[---]` is the null code.
  PETRARCH reads only the first `[...]` of a code line; we read every one ("[IGOUNO 820101-911231] [ELI]");
* comments: `#` to the end of a line, `<!-- ... -->` (one or several lines), and legacy `;` to the end of a
  line; blank lines are skipped; `---STOP---` ends the file.

`read_actors_file(path)` returns `ActorRecord`s. A malformed line raises `PetrarchFormatError`, whose message
is one line naming the file and line ("my.actors:12: date '2004017' is neither YYMMDD nor YYYYMMDD"); with
`strict=False` the line is skipped, as PETRARCH does, and the same message is appended to `problems`.

Two conversions:
* `record_codes(record)` → `CodeSpan`s with ISO dates and the code split into country and sector (what
  `tightrope.actors.kb` stores for people and bodies; `kb.KnowledgeBase(extra=[path])` reads `.actors` files
  through this module);
* `to_user_entries(records, on=None)` → the dicts `actors.lexicon`'s user dictionary takes (`{name, aliases,
  country, sector, kind}`, the shape of a `--actors` YAML item), with the code that applies on the date `on`
  (default: the record's default code, else its latest dated code).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

KB_DATA = Path(__file__).parent / "data" / "kb"

__all__ = [
    "ActorRecord", "AgentEntry", "CodeSpan", "PetrarchFormatError", "Phrase", "country_codes", "decode_code",
    "phrase_text", "read_actors_file", "read_agents_file", "read_user_actors", "record_codes", "to_user_entries",
]


class PetrarchFormatError(ValueError):
    """A line of a PETRARCH dictionary cannot be read; the message is `file:line: what is wrong`."""


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # as written, e.g. "BARACK_OBAMA" (trailing '_' kept: it means "whole word, no plural")
    line: int
    primary: bool


@dataclass(frozen=True, slots=True)
class Restriction:
    code: str  # as written, e.g. "USAGOVLEG"
    start: str | None  # ISO date, inclusive; None = open
    end: str | None
    line: int
    default: bool  # a bare [CODE]: applies when no dated restriction does


@dataclass
class ActorRecord:
    path: str
    line: int  # line of the first phrase
    phrases: list[Phrase] = field(default_factory=list)
    codes: list[Restriction] = field(default_factory=list)
    comment: str = ""  # the primary phrase's `;` comment (e.g. "CountryInfo.txt")

    @property
    def name(self) -> str:
        """The first phrase as text ("BARACK_OBAMA" → "BARACK OBAMA")."""
        return phrase_text(self.phrases[0].text) if self.phrases else ""

    @property
    def dated(self) -> bool:
        return any(not r.default for r in self.codes)


@dataclass(frozen=True, slots=True)
class CodeSpan:
    """One code of a record, decoded: what `kb` stores as a dated role or a body's code."""

    code: str
    country: str | None  # ISO3, an IGO code (UNO, NATO, EU, ...), or None
    sector: str | None  # PLOVER/CAMEO agent type (GOV, MIL, LEG, ...), or None
    start: str | None
    end: str | None
    default: bool


@dataclass(frozen=True, slots=True)
class AgentEntry:
    form: str  # lower case, words separated by one blank ("foreign minister", "foreign ministers")
    code: str  # the agent code without '~' (GOVMIL)
    prefix: bool  # '~' after the code (NGO~): the code goes before the actor's
    line: int


_COMMENT_HTML = re.compile(r"<!--.*?-->")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_DIGITS = re.compile(r"\d+")


def phrase_text(phrase: str) -> str:
    """A dictionary phrase as plain words: underscores to blanks, no trailing '_'."""
    return " ".join(phrase.replace("_", " ").split())


def _where(path: str, line: int) -> str:
    return f"{path}:{line}"


def _parse_date(text: str) -> str:
    """PETRARCH's date rule (dstr_to_ordate): more than 7 digits → YYYYMMDD (first 8), else YYMMDD with
    YY ≤ 30 → 20YY. Returns an ISO date; raises ValueError with a short reason."""
    digits = text.strip()
    if not digits.isdigit():
        raise ValueError(f"date {text.strip()!r} is not a number")
    if len(digits) > 7:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
        if len(digits) != 8:
            raise ValueError(f"date {digits!r} is neither YYMMDD nor YYYYMMDD")
    elif len(digits) == 6:
        yy = int(digits[:2])
        year, month, day = (2000 + yy if yy <= 30 else 1900 + yy), int(digits[2:4]), int(digits[4:6])
    else:
        raise ValueError(f"date {digits!r} is neither YYMMDD nor YYYYMMDD")
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"date {digits!r} is not a calendar date") from None


def _parse_restriction(body: str, line: int) -> Restriction | None:
    """The inside of one `[...]`: CODE, CODE <date, CODE >date, CODE date-date. None for the null code."""
    parts = body.strip().split(None, 1)
    if not parts:
        raise ValueError("empty code []")
    code, rest = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if code.strip("-") == "":
        return None  # [---]: the null code
    if not re.fullmatch(r"[A-Za-z0-9~]+", code):
        raise ValueError(f"code {code!r} has characters other than letters and digits")
    if not rest:
        return Restriction(code, None, None, line, True)
    if rest[0] in "<>":
        when = _parse_date(rest[1:].strip())
        return Restriction(code, None, when, line, False) if rest[0] == "<" else Restriction(code, when, None, line, False)
    if "-" in rest:
        a, _, b = rest.partition("-")
        start, end = _parse_date(a), _parse_date(b)
        if end < start:
            raise ValueError(f"span {rest!r} ends before it starts")
        return Restriction(code, start, end, line, False)
    raise ValueError(f"restriction {rest!r} is not <date, >date or date-date")


def _strip_comments(lines: list[str]):
    """Yield (line number, text) with `#` and `<!-- -->` comments removed (multi-line HTML comments too)."""
    in_html = False
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if in_html:
            end = text.find("-->")
            if end < 0:
                continue
            text = text[end + 3:]
            in_html = False
        text = _COMMENT_HTML.sub("", text)
        start = text.find("<!--")
        if start >= 0:
            in_html = True
            text = text[:start]
        yield number, text


def read_actors_file(path: str | Path, *, strict: bool = True, problems: list[str] | None = None) -> list[ActorRecord]:
    """The records of a PETRARCH `.actors` file, in file order (see the module docstring).

    strict: raise `PetrarchFormatError` at the first malformed line; otherwise skip it and append
    `file:line: reason` to `problems`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PetrarchFormatError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if strict:
            raise PetrarchFormatError(f"{_where(str(p), line)}: not UTF-8 text") from None
        if problems is not None:
            problems.append(f"{_where(str(p), line)}: not UTF-8 text (read as Latin-1)")
        text = raw.decode("latin-1")
    return _read_actors(text.split("\n"), str(p), strict, problems)


def _read_actors(lines: list[str], path: str, strict: bool, problems: list[str] | None) -> list[ActorRecord]:
    records: list[ActorRecord] = []
    current: ActorRecord | None = None

    def problem(number: int, reason: str) -> None:
        message = f"{_where(path, number)}: {reason}"
        if strict:
            raise PetrarchFormatError(message)
        if problems is not None:
            problems.append(message)

    for number, text in _strip_comments(lines):
        if "---STOP---" in text:
            break
        if not text.strip():
            continue
        if text[0] == "\t" or (text[0] == " " and text.lstrip().startswith("[")):
            body = text.split("#", 1)[0]
            body = body.split(";", 1)[0]
            if not body.strip():
                continue
            groups = _BRACKET.findall(body)
            if not groups:
                problem(number, f"a code line needs [CODE ...], found {body.strip()[:40]!r}")
                continue
            if current is None:
                problem(number, "a code line before any actor phrase")
                continue
            for group in groups:
                try:
                    restriction = _parse_restriction(group, number)
                except ValueError as exc:
                    problem(number, str(exc))
                    continue
                if restriction is not None:
                    current.codes.append(restriction)
            continue
        # a phrase line: '+SYNONYM' or 'PRIMARY [code] ; comment'
        body, _, comment = text.partition(";")
        body = body.split("#", 1)[0].strip()
        if not body:
            continue
        synonym = body.startswith("+")
        default = None
        if not synonym and "[" in body:
            head, _, tail = body.partition("[")
            inside, closed, _ = tail.partition("]")
            if not closed:
                problem(number, f"'[' without ']' in {body[:40]!r}")
                continue
            try:
                default = _parse_restriction(inside, number)
            except ValueError as exc:
                problem(number, str(exc))
                continue
            body = head.strip()
        phrase = body[1:].strip() if synonym else body
        if _CONTROL.search(phrase):
            # a letter lost in an old conversion (Phoenix has 'STRASK\x1aY'): say so, keep the rest of the name
            problem(number, f"control character in phrase {phrase[:40]!r} (removed)")
            phrase = _CONTROL.sub("", phrase)
        if not phrase or "[" in phrase or "]" in phrase:
            problem(number, f"not a phrase: {body[:40]!r}")
            continue
        if synonym:
            if current is None:
                problem(number, "a '+' synonym before any primary phrase")
                continue
            current.phrases.append(Phrase(phrase, number, False))
            continue
        if current is None or current.codes:
            current = ActorRecord(path, number, comment=comment.strip())
            records.append(current)
        current.phrases.append(Phrase(phrase, number, True))
        if default is not None:
            current.codes.append(default)
    return [r for r in records if r.phrases]


# --- CAMEO codes → country + sector -----------------------------------------------------------------

@dataclass(frozen=True)
class _Blocks:
    """The CAMEO block tables of data/kb/cameo_blocks.tsv."""

    sectors: dict[str, str]
    not_actor: frozenset[str]
    gov_branches: frozenset[str]
    opposition_before: frozenset[str]
    igo: dict[str, str]
    ngo: dict[str, str]
    plover_sectors: dict[str, str]  # blocks that mean another sector in PLOVER's agent lists (MED: health)

    def sector(self, block: str, dialect: str) -> str | None:
        if dialect == "plover" and block in self.plover_sectors:
            return self.plover_sectors[block]
        return self.sectors.get(block)


@lru_cache(maxsize=1)
def _blocks() -> _Blocks:
    from ..langdata import LanguageData

    by_kind: dict[str, dict[str, str]] = {}
    for row in LanguageData(KB_DATA).table("cameo_blocks.tsv"):
        by_kind.setdefault(row["kind"], {})[row["block"]] = row["value"]
    return _Blocks(by_kind.get("sector", {}), frozenset(by_kind.get("not_actor", {})),
                   frozenset(by_kind.get("gov_branch", {})), frozenset(by_kind.get("opposition_before", {})),
                   by_kind.get("igo", {}), by_kind.get("ngo", {}), by_kind.get("plover_sector", {}))


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """The leading country blocks `decode_code` recognises: every ISO3 code of the knowledge base's country
    table, plus CAMEO's own codes mapped to the country Tightrope reports (data/kb/cameo_countries.tsv)."""
    from ..langdata import LanguageData

    data = LanguageData(KB_DATA)
    codes = {row["country"]: row["country"] for row in data.table("countries.tsv") if len(row["country"]) == 3}
    codes.update({row["code"]: row["country"] for row in data.table("cameo_countries.tsv")})
    return codes


def decode_code(code: str, countries: Mapping[str, str] | AbstractSet[str],
                dialect: str = "cameo") -> tuple[str | None, str | None]:
    """A CAMEO actor code split into (country, sector), e.g. USAGOVLEG → (USA, LEG), IGOWSTNAT → (NATO, None),
    MNCUSA → (USA, BUS), NGOHRIAMN → (AMN, NGO), PSEREBHMS → (PSE, REB), ELI → (None, ELI).
    `countries` holds the codes to recognise as a leading country block: a set of ISO3 codes, or a mapping
    from code to the country to report (CAMEO's KSV → XKX). `dialect`: "cameo" (Phoenix and PETRARCH
    dictionaries: MED is media) or "plover" (PLOVER's agent lists: MED is health, JRN media)."""
    letters = re.sub(r"[^A-Z]", "", code.upper().replace("~", ""))
    blocks = [letters[i:i + 3] for i in range(0, len(letters) - len(letters) % 3, 3)]
    if not blocks:
        return None, None
    table = _blocks()
    country = None
    rest = blocks
    head = blocks[0]
    if head == "IGO":
        country = next((table.igo[b] for b in reversed(blocks[1:]) if b in table.igo), "IGO")
        # after IGO, blocks like DEV, HLH, BUS mostly name the body's field (IGOUNODEVWBK, the World Bank);
        # only a branch (JUD: the ICJ, MIL, LEG) is a sector
        return country, next((b for b in blocks[1:] if b in ("JUD", "MIL", "LEG", "GOV")), None)
    elif head == "NGO":
        country = next((table.ngo[b] for b in blocks[1:] if b in table.ngo), "NGO")
        return country, "NGO"
    elif head == "MNC":
        country = _country(blocks[1], countries) if len(blocks) > 1 else None
        return country, "BUS"
    elif head == "IMG":
        return "IMG", "REB"
    elif head in countries:
        country, rest = _country(head, countries), blocks[1:]
    sector = _sector_of(rest, dialect)
    return country, sector


def _country(block: str, countries: Mapping[str, str] | AbstractSet[str]) -> str | None:
    if block not in countries:
        return None
    return countries[block] if isinstance(countries, Mapping) else block


def _sector_of(blocks: list[str], dialect: str = "cameo") -> str | None:
    table = _blocks()
    for i, block in enumerate(blocks):
        if block in table.not_actor:
            return None
        sector = table.sector(block, dialect)
        if sector is None:
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if sector == "GOV" and following in table.gov_branches:
            return following
        if sector in table.opposition_before and following == "OPP":
            return "OPP"
        return sector
    return None


def record_codes(record: ActorRecord, countries: Mapping[str, str] | AbstractSet[str]) -> list[CodeSpan]:
    """The record's codes decoded into country and sector, in file order."""
    out = []
    for r in record.codes:
        country, sector = decode_code(r.code, countries)
        out.append(CodeSpan(r.code, country, sector, r.start, r.end, r.default))
    return out


def code_on(record: ActorRecord, on: date | str | None = None) -> Restriction | None:
    """The restriction that applies on `on` (PETRARCH: the first dated one that holds, else the default);
    with `on=None`, the default code, else the latest-starting dated one."""
    if on is not None:
        day = on if isinstance(on, str) else on.isoformat()
        for r in record.codes:
            if not r.default and (r.start is None or r.start <= day) and (r.end is None or day <= r.end):
                return r
    defaults = [r for r in record.codes if r.default]
    if defaults:
        return defaults[-1]
    if on is None and record.codes:
        return max(record.codes, key=lambda r: (r.start or "", r.end or "9999"))
    return None


def _title(words: str) -> str:
    """'BARACK OBAMA' → 'Barack Obama' (only for names written in capitals; others are kept as written)."""
    if words != words.upper():
        return words
    out = []
    for word in words.split(" "):
        out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def to_user_entries(records: list[ActorRecord], countries: Mapping[str, str] | AbstractSet[str] | None = None,
                    on: date | str | None = None) -> list[dict]:
    """Records as `--actors` user-dictionary items for `actors.lexicon` (`{name, aliases, country, sector,
    kind, code}`): the code is the one that applies on `on` (see `code_on`); `kind` is "person" for records
    with dated codes (PETRARCH dates people's roles), else "organisation". Records without a usable code are
    left out (they code nothing in PETRARCH either)."""
    countries = country_codes() if countries is None else countries
    items = []
    for record in records:
        restriction = code_on(record, on)
        if restriction is None:
            continue
        country, sector = decode_code(restriction.code, countries)
        names = [_title(phrase_text(p.text)) for p in record.phrases]
        items.append({
            "name": names[0],
            "aliases": [n for n in dict.fromkeys(names[1:]) if n != names[0]],
            "country": country,
            "sector": sector,
            "kind": "person" if record.dated else "organisation",
            "code": restriction.code,
        })
    return items


# --- agent dictionaries --------------------------------------------------------------------------------

def _plural(word: str) -> str:
    """PETRARCH's regular plural of an agent: Y → IES, S → SES, else +S."""
    if word.endswith("Y"):
        return word[:-1] + "IES"
    if word.endswith("S"):
        return word + "ES"
    return word + "S"


def read_agents_file(path: str | Path, *, strict: bool = True, problems: list[str] | None = None) -> list[AgentEntry]:
    """The entries of a PETRARCH agents file (`PHRASE {plural} [~CODE]`), with substitution sets
    (`!PERSON! = MAN, MEN, ...`) expanded and regular plurals generated as PETRARCH does (none for a phrase
    ending in '_', with `{}` or with a substitution marker), each form once per line in file order."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PetrarchFormatError(f"{p}: cannot read ({exc})") from None
    subs: dict[str, list[str]] = {}
    out: list[AgentEntry] = []

    def problem(number: int, reason: str) -> None:
        message = f"{_where(str(p), number)}: {reason}"
        if strict:
            raise PetrarchFormatError(message)
        if problems is not None:
            problems.append(message)

    for number, line in _strip_comments(text.split("\n")):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            marker, _, items = line.partition("=")
            name = marker.strip().strip("!")
            subs[name] = [w.strip() for w in items.split(",") if w.strip()]
            continue
        m = re.fullmatch(r"(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]\s*", line)
        if not m:
            problem(number, f"an agent line is 'PHRASE {{plural}} [~CODE]', found {line[:40]!r}")
            continue
        raw_code = m["code"].strip()
        if raw_code.startswith("~"):
            code, prefix = raw_code[1:], False
        elif raw_code.endswith("~"):
            code, prefix = raw_code[:-1], True
        else:
            problem(number, f"agent code {raw_code!r} has no '~'")
            continue
        if not re.fullmatch(r"[A-Z0-9]+", code):
            problem(number, f"agent code {raw_code!r} is not letters")
            continue
        phrase = m["phrase"].strip()
        stopped = phrase.endswith("_")
        plurals: list[str]
        if m["plural"] is not None:
            plurals = m["plural"].split()
        elif stopped or "!" in phrase:  # a marker's members get no further plural (PETRARCH)
            plurals = []
        else:
            plurals = [_plural(phrase)]
        forms = [phrase, *plurals]
        expanded: list[str] = []
        for form in forms:
            marker = re.search(r"!([A-Z]+)!", form)
            if marker:
                if marker[1] not in subs:
                    problem(number, f"substitution set !{marker[1]}! is not defined above")
                    break
                # each member replaces the marker, with no further plural (PETRARCH)
                expanded.extend(form.replace(marker[0], s) for s in subs[marker[1]])
                continue
            expanded.append(form)
        else:
            seen = set()
            for form in expanded:
                words = phrase_text(form).lower()
                if words and words not in seen:
                    seen.add(words)
                    out.append(AgentEntry(words, code, prefix, number))
    return out


def read_user_actors(path: str | Path, on: date | str | None = None) -> list[dict]:
    """A PETRARCH `.actors` file as `--actors` user-dictionary items (see `to_user_entries`); raises
    `PetrarchFormatError` (a ValueError) with `file:line: reason` on a malformed line."""
    return to_user_entries(read_actors_file(path), None, on)
