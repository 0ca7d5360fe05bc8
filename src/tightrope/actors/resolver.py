"""Find actor mentions in an article and resolve each to whom it stands for.

One pass of the lexicon regex over the raw text gives proper-name forms (countries, demonyms,
capitals, organisations, known people) and role words. A small grammar then composes them:

    [the] <country|demonym|org>['s] <role>+ <Name>     → person        (US Secretary of State Marco Rubio)
    [the] <country|demonym|org>['s] <role|group>+       → role / body   (the Indian government, Pakistani troops)
    <role>+ <Name>                                      → person        (President Donald Trump)
    <Name>, [the] <country>['s] <role>                  → person        (Jane Doe, Freedonia's foreign minister)
    <role|group> of|in [the] <country>                  → role / body   (the president of Armenia)
    <country|capital|seat|org>                          → itself; countries and capitals acting are GOV

People keep their resolution for the rest of the article (`entity`): later surnames, "the Secretary"
and he/she as the subject of a reporting verb point back to them. spaCy PERSON entities (parsed
segments only) add people the grammar did not see; everything else works on raw text, so segments
that were only tokenised still get dictionary matches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc

from ..records import Actor, Article
from .lexicon import IGO_CODES, Entry, Lexicon, Role

IGO_LIKE = IGO_CODES

MODIFIER_KINDS = {"country", "demonym", "capital", "place", "igo", "seat", "organisation", "group", "media", "person"}
PLACE_KINDS = {"country", "demonym", "capital", "place"}
LOCATIVE = {"in", "at", "near", "inside", "across", "throughout", "around", "outside", "within", "into", "via",
            "across", "of"}
REPORTING = {
    "say", "tell", "add", "note", "argue", "claim", "insist", "state", "stress", "emphasize", "emphasise",
    "remark", "warn", "explain", "declare", "announce", "assert", "acknowledge", "deny", "reply", "respond",
    "suggest", "write", "believe", "think", "urge", "accuse", "reiterate", "maintain", "contend", "point",
    "underscore", "highlight", "caution", "predict", "promise", "vow", "ask", "admit", "concede", "recall",
    "confirm", "describe", "call", "express", "indicate", "observe", "mention", "continue",
}
NAME_STOP = {
    "The", "A", "An", "On", "In", "At", "And", "But", "Or", "Of", "For", "To", "He", "She", "It", "They", "We",
    "This", "That", "These", "Those", "Who", "Which", "As", "By", "With", "From", "After", "Before", "While",
    "When", "If", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Said", "Says", "Told", "Also", "Is", "Was", "Has", "Had", "Will", "Would", "I", "His", "Her",
    "Its", "Their", "Our", "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "Sunday", "Today", "Yesterday",
}
NAME_WORD = r"(?:[A-Z]\.(?:\s?[A-Z]\.)*|[A-Z][\w'’\-]*[a-z][\w'’\-]*|(?:al|el|bin|ibn|de|da|del|van|von|der|le|la|du|dos|di|al-\w+))"
NAME_AFTER = re.compile(r"\s+(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r"){0,4})")
NAME_BEFORE = re.compile(r"((?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.)){0,3}),\s+(?:the\s+|a\s+|an\s+)?$")
POSSESSIVE = re.compile(r"['’]s?(?=\s)")
FIRST_NAMEY = {"Jordan", "Chad", "Georgia", "Paris", "Sofia", "Victoria", "Israel", "Kingston", "Washington",
               "Lima", "Santiago", "Regina", "Florence", "Sydney", "Austin", "Chelsea", "Madison", "Jackson",
               "Lincoln", "Trinidad", "America", "India", "China", "Kenya", "Turkey"}
US_STATE_CUES = re.compile(
    r"\b(?:Atlanta|Savannah|Peach State|Kemp|Raffensperger|Fulton County|Seattle|Spokane|Tacoma|Olympia|"
    r"Puget Sound|state of (?:Georgia|Washington)|(?:Georgia|Washington) [Ss]tate|Georgia's \d|"
    r"Georgia (?:voters|Republicans|Democrats|governor|Senate|House|legislature)|Senate runoff|Gov\.)\b")
GEORGIA_CUES = re.compile(r"\b(?:Tbilisi|Georgian|Abkhazia|South Ossetia|Caucasus|Saakashvili|Ivanishvili|"
                          r"Kobakhidze|Kavelashvili|Zourabichvili|Batumi)\b")
FOOD_AFTER = re.compile(r"\s+(?:dinner|sandwich\w*|breast|meat|leg|legs|burger|bacon|roast|gravy|stuffing|"
                        r"farm\w*|hunt\w*)\b", re.IGNORECASE)
PLACE_CUES = re.compile(
    r"\b(?:speak\w*|spoke|held|hold\w*|met|meet\w*|arriv\w*|based|visit\w*|summit|talks|conference|rally|"
    r"streets?|embassy|reporters|journalists|born|live[sd]?|living|stay\w*|hotel|airport|protest\w*|"
    r"gather\w*|place|signed|killed|attack\w*|bomb\w*|blast|explosion|downtown|central|capital|city)\W+(?:\w+\W+){0,3}"
    r"(?:in|at|near|inside|outside|around)\W+$", re.IGNORECASE)
_GAP_WORD = r"\s+(?!and\b|or\b|of\b|in\b|to\b|the\b|for\b|with\b|on\b|at\b|by\b|from\b|as\b|is\b|are\b|was\b|were\b|has\b|have\b|had\b)[a-z][a-z\-]+"
GAP_WORDS = [re.compile(_GAP_WORD + r"\s+"), re.compile(_GAP_WORD + _GAP_WORD + r"\s+")]
_GAP_CAP = r"\s+(?!The\b|A\b|An\b)[A-Za-z][a-z\-]+"
GAP_WORDS_CAP = [re.compile(_GAP_CAP + r"\s+"), re.compile(_GAP_CAP + _GAP_CAP + r"\s+")]
COORD = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)")
PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
RESIDENT = re.compile(r"\s+(?:living\s+|residing\s+)?(?:in|of)\s+(?:the\s+)?(?:(?:southern|northern|eastern|western|"
                      r"central|south|north|east|west)\s+)?")
ORG_KINDS = {"igo", "seat", "organisation", "group", "media"}
GENERIC_ROLES = {"leader", "leaders", "spokesman", "spokeswoman", "spokesperson", "official", "officials", "chief",
                 "head", "commander", "member", "members", "leadership", "official", "source", "sources",
                 "negotiator", "negotiators", "envoy", "delegation"}
DIRECTIONS = {"southern", "northern", "eastern", "western", "central", "south", "north", "east", "west",
              "northeastern", "northwestern", "southeastern", "southwestern", "neighbouring", "neighboring"}
STRONG_GROUPS = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "REF", "CRM", "SPY"}
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "whose", "country's", "country’s", "former"}
ORG_HEADS = [
    (re.compile(r"\b(?:Ministry|Department|Commission|Agency|Office|Council|Authority|Cabinet|Government|Administration)\b"), "GOV"),
    (re.compile(r"\b(?:Army|Navy|Air Force|Armed Forces|Guard|Brigade|Regiment|Corps)\b"), "MIL"),
    (re.compile(r"\b(?:Police|Gendarmerie)\b"), "COP"),
    (re.compile(r"\b(?:Court|Tribunal)\b"), "JUD"),
    (re.compile(r"\b(?:Parliament|Senate|Assembly|Congress|Duma|Legislature)\b"), "LEG"),
    (re.compile(r"\b(?:Party|Alliance|Movement)\b"), "PTY"),
    (re.compile(r"\b(?:Front|Army of|Liberation|Brigades|Militia|Rebels)\b"), "REB"),
    (re.compile(r"\b(?:University|School|College|Institute)\b"), "EDU"),
    (re.compile(r"\b(?:Inc|Corp|Ltd|Company|Group|Bank|Holdings|Airlines|Motors|Oil)\b"), "BUS"),
    (re.compile(r"\b(?:News|Times|Post|Television|Radio|Journal|Herald|Gazette|Agency)\b"), "MED"),
]
LEGISLATURE_CUES = re.compile(r"\b(?:Congress|congressional|House of Representatives|[Pp]arliament\w*|lawmakers?|"
                              r"legislat\w+|Senate|[Ss]enators?|constituen\w+|Rep\.)")
BOTH_SIDES = re.compile(r"\b(?:on|from|of)\s+(?:both|the two|either)\s+(?:sides|countries|governments|nations|camps|"
                        r"parties)\b")
THANKSGIVING = re.compile(r"\bThanksgiving\b")
# a dateline: "KUALA LUMPUR —", "New Delhi:", "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –", "POONCH, India —"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DL_WORD = r"[A-Z][A-Za-z.'’\-]*"
DATELINE = re.compile(
    r"(?P<place>" + _DL_WORD + r"(?:[ \t]+" + _DL_WORD + r"){0,3})"
    r"(?:,[ \t]+(?P<region>" + _DL_WORD + r"(?:[ \t]+" + _DL_WORD + r")?))?"
    r"(?:,?[ \t]+(?:" + _MONTH + r"[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?|\d{1,2}[ \t]+" + _MONTH + r"(?:[ \t]+\d{4})?))?"
    r"(?:[ \t]*\([A-Z][\w .&'’\-]{0,30}\))?"
    r"[ \t]*(?:[—–]|--?|:)[ \t]*(?=[\"“‘'A-Z0-9])")


class _Item:
    """A lexicon match: a proper-name entry or a role word."""

    __slots__ = ("start", "end", "text", "entry", "role")

    def __init__(self, start: int, end: int, text: str, entry: Entry | None, role: Role | None):
        self.start, self.end, self.text, self.entry, self.role = start, end, text, entry, role


class _Ctx:
    """Per-article state: tokens by offset, people seen so far."""

    def __init__(self, doc: Doc, text: str, lex: Lexicon):
        self.doc, self.text, self.lex = doc, text, lex
        self.starts = doc.to_array("IDX").tolist() if doc is not None and len(doc) else []
        self.people: dict[str, dict] = {}  # entity key → {name, country, sector, role}
        self.names: dict[str, str] = {}  # full name / surname → entity key
        self._sent_starts: list[int] | None = None

    def token(self, char: int):
        if not self.starts:
            return None
        i = bisect_right(self.starts, char) - 1
        return self.doc[i] if i >= 0 else None

    def parsed(self, char: int) -> bool:
        tok = self.token(char)
        return tok is not None and tok.dep_ != "unparsed" and tok.sent.root.dep_ == "ROOT" and (
            tok.dep_ != "ROOT" or tok.pos_ != "")

    @property
    def sent_starts(self) -> list[int]:
        if self._sent_starts is None:
            doc = self.doc
            if doc is not None and len(doc):
                starts = doc.to_array("SENT_START").tolist()
                idx = self.starts
                self._sent_starts = [idx[i] for i, v in enumerate(starts) if v == 1] or [0]
                if self._sent_starts[0] != 0:
                    self._sent_starts.insert(0, 0)
            else:
                self._sent_starts = [0]
        return self._sent_starts

    def sentence_of(self, char: int) -> tuple[int, int]:
        i = bisect_right(self.sent_starts, char) - 1
        start = self.sent_starts[max(i, 0)]
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(self.text)
        return start, end

    def register(self, name: str, country, sector, role: str | None) -> str:
        key = self.names.get(name) or f"person:{name}"
        info = self.people.setdefault(key, {"name": name, "country": country, "sector": sector, "role": role})
        if info["country"] is None and country:
            info["country"] = country
        if info["sector"] is None and sector:
            info["sector"] = sector
        if role and not info["role"]:
            info["role"] = role
        self.names.setdefault(name, key)
        parts = name.replace(".", ". ").split()
        if len(parts) > 1 and parts[-1][:1].isupper() and len(parts[-1]) > 2:
            self.names.setdefault(parts[-1], key)
        return key


def _code(country: str | None, sector: str | None) -> str | None:
    if not country:
        return None
    return country + sector if sector else country


def _actor(text: str, start: int, end: int, name, country, sector, kind, entity=None) -> Actor:
    return Actor(text=text[start:end], start=start, end=end, name=name, country=country, sector=sector,
                 code=_code(country, sector), kind=kind, entity=entity)


def _items(text: str, lex: Lexicon) -> list[_Item]:
    out = []
    regex = lex.regex
    pos = 0
    while True:
        m = regex.search(text, pos)
        if m is None:
            return out
        found = lex.lookup(m.group())
        end = m.end()
        # the longest form matched only case-insensitively ("the Kremlin" for "The Kremlin"): try shorter
        while found is None:
            shorter = regex.match(text, m.start(), end - 1) if end - 1 > m.start() else None
            if shorter is None:
                break
            end = shorter.end()
            found = lex.lookup(shorter.group())
        if found is None:
            pos = m.start() + 1
            continue
        if isinstance(found, Entry):
            out.append(_Item(m.start(), end, text[m.start():end], found, None))
        else:
            out.append(_Item(m.start(), end, text[m.start():end], None, found))
        pos = end


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([\w’']+)\W*$", text[max(0, pos - 40):pos])
    return m.group(1) if m else ""


def _is_person_name_part(ctx: _Ctx, item: _Item) -> bool:
    """Jordan in "Michael Jordan", Chad in "Chad Smith", Washington in "George Washington"."""
    if item.text not in FIRST_NAMEY and item.entry.kind not in ("capital", "country", "place"):
        return False
    tok = ctx.token(item.start)
    if tok is not None and tok.ent_type_ == "PERSON" and tok.dep_ != "unparsed":
        ent = next((e for e in tok.sent.ents if e.start <= tok.i < e.end), None)
        if ent is not None and len(ent) > 1 and (ent.start_char < item.start or ent.end_char > item.end):
            # every word of the entity must not itself be a place
            others = [t for t in ent if not (item.start <= t.idx < item.end)]
            if all(ctx.lex.entries.get(t.text) is None or ctx.lex.entries[t.text].kind == "person" for t in others):
                return True
    return False


def _nominal_gap(ctx: _Ctx, start: int, end: int) -> bool:
    """Words between a country adjective and a group noun must be adjectives/nouns of a parsed sentence."""
    tok = ctx.token(start + 1)
    if tok is None:
        return False
    doc = ctx.doc
    i = tok.i if tok.idx >= start else tok.i + 1
    while i < len(doc) and doc[i].idx < end:
        t = doc[i]
        if t.dep_ == "unparsed" or t.pos_ not in ("ADJ", "NOUN", "PROPN"):
            return False
        i += 1
    return True


def _context_country(ctx: _Ctx, mentions: list[Actor], pos: int, end: int | None = None) -> str | None:
    """For a titled person whose country the text does not say: nearest place mention in the sentence
    (not the other side of "between <person> and <country>'s minister")."""
    s, e = ctx.sentence_of(pos)
    best, dist = None, None
    for m in mentions:
        if m.country and s <= m.start < e and m.kind not in ("person", "title", "pronoun", "igo") and \
                m.country not in IGO_LIKE:
            if end is not None and m.start >= end and re.fullmatch(r"\s+(?:and|or|with)\s+", ctx.text[end:m.start]):
                continue
            d = abs(m.start - pos)
            if dist is None or d < dist:
                best, dist = m.country, d
    return best


QUOTE_SPAN = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in QUOTE_SPAN.finditer(text)]


def _title_like(line: str) -> bool:
    """A headline line: short and not ending like a sentence."""
    line = line.strip()
    return 0 < len(line.split()) <= 20 and not re.search(r"[.!?\"”’']$", line)


def _dateline_span(text: str, lex: Lexicon) -> tuple[str, int, int, int] | None:
    """(place, start, end, header_end) of the dateline opening the article, or None."""
    pos, tries = 0, 0
    while tries < 2:
        m = re.compile(r"\s*").match(text, pos)
        start = m.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[start:line_end]
        if not line:
            return None
        dm = DATELINE.match(text, start, line_end)
        if dm is not None:
            place = dm.group("place")
            rest = text[dm.end():line_end]
            found = lex.lookup(place)
            known = isinstance(found, Entry) and found.kind in ("country", "capital", "place", "igo", "seat")
            shouted = place.upper() == place and len(place.replace(" ", "")) >= 3
            # the paragraph goes on as a story ("Pakistan: Army Chief Visits" is a headline, not a dateline)
            story = len(rest.split()) >= 8 or re.search(r"[.!?\"”]\s*$", rest)
            if (known or shouted) and story and not (found is not None and isinstance(found, Entry)
                                                     and found.kind == "person"):
                return place, dm.start("place"), dm.end("place"), dm.end()
        if not _title_like(line):
            return None
        pos, tries = line_end, tries + 1
    return None


def dateline(text: str, lex: Lexicon | None = None) -> tuple[str, int, int] | None:
    """Where the story was filed: (place as written, start, end) when the article text (or its first
    paragraph after a headline line) opens with a dateline ("KUALA LUMPUR —", "New Delhi:",
    "WASHINGTON (Reuters) -", "ISLAMABAD, Oct 26 –"); None otherwise. Not an actor."""
    if lex is None:
        from .lexicon import build_lexicon
        lex = build_lexicon(None)
    found = _dateline_span(text or "", lex)
    return found[:3] if found else None


def resolve(doc: Doc, article: Article, lex: Lexicon) -> list[Actor]:
    text = article.text
    header = _dateline_span(text, lex)
    ctx = _Ctx(doc, text, lex)
    items = _items(text, lex)
    mentions: list[Actor] = []
    pending_context: list[int] = []  # indexes of person mentions that need a context country
    pending_org: list[int] = []  # named bodies without a country
    pending_group: list[int] = []  # bare group nouns ("police", "the government")
    us_state = any(x.text == "Georgia" for x in items) and bool(US_STATE_CUES.search(text)) and \
        not GEORGIA_CUES.search(text)
    n = len(items)
    i = 0
    while i < n:
        it = items[i]
        start = it.start
        modifier = None
        j = i
        if it.entry is not None and it.entry.kind in MODIFIER_KINDS:
            modifier = it
            j = i + 1
        # possessive after the modifier ("Pakistan's", "America’s")
        cursor = it.end if modifier else it.start
        if modifier:
            pm = POSSESSIVE.match(text, cursor)
            if pm:
                cursor = pm.end()
        # chain of role words right after (whitespace only between them)
        chain: list[_Item] = []
        k = j
        while k < n and items[k].role is not None and text[cursor:items[k].start].strip() in ("", "-") and (
                items[k].start - cursor) <= 2:
            chain.append(items[k])
            cursor = items[k].end
            k += 1
        if modifier is not None and not chain and text.startswith("-led", cursor):
            # "Vietnamese-led forces", "Saudi-led coalition"
            led = re.match(r"-led\s+", text[cursor:cursor + 8])
            if led and k < n and items[k].start == cursor + led.end() and items[k].role is not None:
                chain.append(items[k])
                cursor = items[k].end
                k += 1
        if modifier is not None and not chain and modifier.entry.kind in ("country", "demonym", "place", "capital",
                                                                          "igo", "group", "organisation"):
            # "Tamil civilian refugees", "French paper workers", "Romania's new government":
            # up to two plain words before a group noun
            gaps = GAP_WORDS + (GAP_WORDS_CAP if cursor > modifier.end else [])
            for gap_re in gaps:
                gap = gap_re.match(text, cursor)
                if gap and k < n and items[k].start == gap.end() and items[k].role is not None and \
                        not items[k].role.title and _nominal_gap(ctx, cursor, gap.end()):
                    chain.append(items[k])
                    cursor = items[k].end
                    k += 1
                    while k < n and items[k].role is not None and text[cursor:items[k].start].strip() == "" and \
                            items[k].start - cursor <= 2:
                        chain.append(items[k])
                        cursor = items[k].end
                        k += 1
                    break
        if modifier is not None and modifier.entry.kind == "person" and chain and not any(
                r.role.group for r in chain):
            chain = []  # "Trump President" is not a construction; "Trump administration" is
            k = j
        if modifier is not None and re.search(r"(?:\b(?:pro|anti|non|ex)-|\bFranco-)$", text[max(0, it.start - 6):it.start],
                                              re.IGNORECASE):
            i += 1  # "pro-Iranian militia", "anti-Syria journalist": an attitude, not the actor
            continue
        if modifier is None and not chain:
            i += 1
            continue
        mod_country = modifier.entry.country if modifier is not None else None
        if modifier is not None and modifier.entry.kind == "demonym" and \
                _prev_word(text, modifier.start).lower() == "ethnic":
            # ethnic Albanians in Serbia: people of a place, not of the state their name comes from
            s0, s1 = ctx.sentence_of(modifier.start)
            mod_country = next((x.entry.country for x in items if s0 <= x.start < s1 and x.entry is not None
                                and x.entry.kind in PLACE_KINDS and x.entry.country != mod_country), None)
        # a name after the chain
        name = None
        name_end = cursor
        if chain:
            nm = NAME_AFTER.match(text, cursor)
            if nm and (nm.start(1) - cursor) <= 2:
                words = []
                pos = nm.start(1)
                for w in re.finditer(r"\S+", nm.group(1)):
                    wstart = nm.start(1) + w.start()
                    word = w.group()
                    if word in NAME_STOP:
                        break
                    poss = re.search(r"['’]s?$", word)
                    if poss and len(word) > 2:  # "Putin's spokesman": the name ends here
                        word = word[:poss.start()]
                        words.append(word)
                        pos = wstart + len(word)
                        break
                    hit = next((x for x in items[k:k + 4] if x.start == wstart), None)
                    if hit is not None and (hit.role is not None or hit.entry.kind != "person"):
                        # "Marta Kingston": a place word after a first name belongs to the name
                        tk = ctx.token(wstart)
                        if not (words and hit.entry is not None and hit.entry.kind in ("capital", "country", "place")
                                and (tk is None or tk.ent_type_ == "PERSON")):
                            break
                    tok = ctx.token(wstart)
                    if tok is not None and tok.dep_ != "unparsed" and tok.pos_ not in ("PROPN", "") and not re.match(
                            r"[A-Z]\.", word):
                        break
                    words.append(word)
                    pos = wstart + len(word)
                if words:
                    name = " ".join(words)
                    name_end = pos
        if chain and name and modifier is None:
            t0, t1 = ctx.token(chain[0].start), ctx.token(name_end - 1)
            if t0 is not None and t1 is not None and t0.ent_type_ == "ORG" and t1.ent_type_ == "ORG" and \
                    t0.ent_iob_ == "B":
                i = k  # "General Motors": a company that starts with a title word (left to the ORG pass)
                continue
        if chain and name:
            roles = [r.role for r in chain]
            if all(r.title for r in roles) and modifier is None:
                sector = None
            else:
                sector = next((r.person or r.group for r in roles if not r.title), None)
            role_text = " ".join(r.text for r in chain)
            if modifier is not None and modifier.entry.sector and modifier.entry.kind in ORG_KINDS and \
                    chain[-1].role.text in GENERIC_ROLES:
                sector = modifier.entry.sector  # "Hamas leader", "Pentagon spokesman"
            known = lex.entries.get(name)
            country = None
            if modifier is not None:
                country = mod_country
            elif known is not None and known.kind == "person":
                country = known.country
                sector = sector or known.sector
            if country is None and modifier is None and mentions and mentions[-1].country and \
                    re.fullmatch(r"['’]s?\s+", text[mentions[-1].end:chain[0].start]):
                country = mentions[-1].country  # "Putin's spokesman Dmitry Peskov"
            if country is None:
                country = next((r.role.country for r in chain if r.role.country), None)
            mstart = modifier.start if modifier is not None else chain[0].start
            if not any(r.person or r.title for r in roles):
                # "opposition newspaper La Prensa", "Russian energy giant Volgaprom": a named body
                mentions.append(_actor(text, mstart, name_end, name, country, sector, "organisation"))
                if country is None:
                    pending_org.append(len(mentions) - 1)
                while k < n and items[k].start < name_end:
                    k += 1
                i = k
                continue
            key = ctx.register(name, country, sector, role_text)
            mentions.append(_actor(text, mstart, name_end, name, country, sector, "person", key))
            if country is None:
                pending_context.append(len(mentions) - 1)
            # skip every item inside the mention
            while k < n and items[k].start < name_end:
                k += 1
            i = k
            continue
        if chain and modifier is not None:
            roles = [r.role for r in chain]
            sector = next((r.group or r.person for r in roles if not r.title), None)
            country = mod_country
            if modifier.entry.kind == "person":
                key = ctx.register(modifier.entry.name, country, modifier.entry.sector, modifier.entry.role)
                country = ctx.people[key]["country"]
            if modifier.entry.sector and modifier.entry.kind in ORG_KINDS and chain[-1].role.text in GENERIC_ROLES:
                sector = modifier.entry.sector
            kind = "organisation" if any(r.group and not r.person for r in roles) else "role"
            # appositive: "<Name>, <country>'s <role>"
            before = NAME_BEFORE.search(text, max(0, modifier.start - 80), modifier.start)
            entity = None
            prev_person = mentions[-1] if mentions and mentions[-1].kind == "person" and mentions[-1].entity and \
                re.fullmatch(r",\s+(?:the\s+|a\s+|an\s+)?", text[mentions[-1].end:modifier.start]) else None
            if prev_person is not None and kind == "role":
                # "Mr. Smith, the Australian ambassador": the role tells who Smith is
                info = ctx.people[prev_person.entity]
                info["country"], info["sector"] = country, sector
                info["role"] = info["role"] or " ".join(r.text for r in chain)
                prev_person.country, prev_person.sector = country, sector
                prev_person.code = _code(country, sector)
                entity = prev_person.entity
                if mentions.index(prev_person) in pending_context:
                    pending_context.remove(mentions.index(prev_person))
            elif before and kind == "role" and not any(
                    m.start <= before.start(1) < m.end for m in mentions):
                pname = before.group(1)
                if pname.split()[0] not in NAME_STOP and lex.entries.get(pname) is None:
                    entity = ctx.register(pname, country, sector, " ".join(r.text for r in chain))
                    mentions.append(_actor(text, before.start(1), before.end(1), pname, country, sector,
                                           "person", entity))
            mentions.append(_actor(text, modifier.start, cursor, modifier.entry.name, country, sector, kind, entity))
            i = k
            continue
        if chain:  # no modifier, no name
            roles = [r.role for r in chain]
            role_text = " ".join(r.text for r in chain)
            # "<role> of|in [the] <country>"
            om = re.compile(r"\s+(?:of|in|for|from)\s+(?:the\s+)?").match(text, cursor)
            pm2 = POSSESSIVE.match(text, items[k].end) if om and k < n and items[k].entry is not None else None
            if pm2 and items[k].start == om.end() and items[k].entry.kind in ("country", "capital") and \
                    re.search(r"\b(?:for|of)\b", om.group()) and k + 1 < n and items[k + 1].role is not None and \
                    text[pm2.end():items[k + 1].start] == " " and any(r.person for r in roles):
                # "a spokesman for Ethiopia's foreign ministry": that country's official
                k2, c2 = k + 1, pm2.end()
                body_roles = []
                while k2 < n and items[k2].role is not None and text[c2:items[k2].start].strip() == "" and \
                        items[k2].start - c2 <= 2:
                    body_roles.append(items[k2].role)
                    c2 = items[k2].end
                    k2 += 1
                body = next((r.group for r in body_roles if r.group), None)
                if body in STRONG_GROUPS:
                    person = next((r.person for r in roles if r.person), None)
                    sector = body if person in (None, "GOV") or roles[-1].text in GENERIC_ROLES else person
                    mentions.append(_actor(text, chain[0].start, c2, items[k].entry.name, items[k].entry.country,
                                           sector, "role"))
                    i = k2
                    continue
            if om and k < n and items[k].start == om.end() and items[k].role is not None and \
                    items[k].role.group in STRONG_GROUPS:
                # "a spokesperson for the foreign ministry of Peru": the official of that country's body
                k2, c2 = k, om.end()
                while k2 < n and items[k2].role is not None and text[c2:items[k2].start].strip() == "" and \
                        items[k2].start - c2 <= 2:
                    c2 = items[k2].end
                    k2 += 1
                om2 = re.compile(r"\s+(?:of|in)\s+(?:the\s+)?").match(text, c2)
                if om2 and k2 < n and items[k2].start == om2.end() and items[k2].entry is not None and \
                        items[k2].entry.kind in ("country", "demonym", "capital") and \
                        not POSSESSIVE.match(text, items[k2].end):
                    place = items[k2]
                    body = items[k].role.group
                    person = next((r.person for r in roles if r.person), None)
                    sector = body if person in (None, "GOV") or roles[-1].text in GENERIC_ROLES else person
                    mentions.append(_actor(text, chain[0].start, place.end, place.entry.name, place.entry.country,
                                           sector, "role"))
                    i = k2 + 1
                    continue
            if om and k < n and items[k].start == om.end() and items[k].entry is not None and (
                    items[k].entry.kind in ("country", "demonym", "igo", "group", "organisation", "place",
                                            "capital")) and not (
                    re.search(r"\bin\b", om.group()) and
                    any(r.group in ("MED", "BUS", "EDU") or r.person for r in roles)) and \
                    not (re.search(r"\bfrom\b", om.group()) and not any(r.person for r in roles)) and \
                    not POSSESSIVE.match(text, items[k].end):  # "leaders of Romania's new government"
                place = items[k]
                sector = next((r.person or r.group for r in roles if not r.title), None)
                # "the president of Armenia, Name" is rarer than "President of Armenia" alone
                mentions.append(_actor(text, chain[0].start, place.end, place.entry.name, place.entry.country,
                                       sector, "role"))
                i = k + 1
                continue
            # "<Name> administration" (US usage): that leader's government
            if roles[0].text == "administration":
                bm = re.search(r"([A-Z][\w'’\-]+)\s+$", text[max(0, chain[0].start - 40):chain[0].start])
                if bm and bm.group(1) not in NAME_STOP:
                    key = ctx.names.get(bm.group(1))
                    country = ctx.people[key]["country"] if key else None
                    bstart = chain[0].start - len(bm.group(0))
                    mentions.append(_actor(text, bstart, cursor, bm.group(1), country or "USA", "GOV", "organisation"))
                    i = k
                    continue
            # title alone: "the Secretary", "the President" → the latest person with that role
            prev = _prev_word(text, chain[0].start).lower()
            linked = False
            if prev in ("the",) and any(r.person for r in roles):
                last = role_text.split()[-1].lower()
                for key in reversed(list(ctx.people)):
                    info = ctx.people[key]
                    if info["role"] and last in info["role"].lower().split():
                        mentions.append(_actor(text, chain[0].start, cursor, info["name"], info["country"],
                                               info["sector"], "title", key))
                        linked = True
                        break
            if not linked:
                # a body or an unnamed official whose country the text does not give here:
                # "police fired", "the government said", "the defence minister resigned"
                group = next((r.group for r in roles if r.group), None)
                person = next((r.person for r in roles if r.person), None)
                end_tok = ctx.token(cursor - 1)
                nominal = end_tok is None or end_tok.dep_ == "unparsed" or (
                    end_tok.pos_ in ("NOUN", "PROPN") and end_tok.dep_ not in ("amod", "compound"))
                if not nominal:  # "an official statement", "a military standoff"
                    pass
                elif group in STRONG_GROUPS and not (person and not group):
                    mentions.append(_actor(text, chain[0].start, cursor, role_text, None, group, "group"))
                    pending_group.append(len(mentions) - 1)
                elif person and prev in DETERMINERS and not all(r.title for r in roles):
                    mentions.append(_actor(text, chain[0].start, cursor, role_text, None, person, "role"))
            i = k
            continue
        # a bare modifier: country / capital / seat / organisation / known person
        e = modifier.entry
        if e.kind in ("country", "capital", "place") and _is_person_name_part(ctx, modifier):
            i += 1
            continue
        if e.kind == "person":
            key = ctx.register(e.name, e.country, e.sector, e.role)
            info = ctx.people[key]
            mentions.append(_actor(text, it.start, it.end, info["name"], info["country"], info["sector"],
                                   "person", key))
            i += 1
            continue
        country, sector, kind, name = e.country, e.sector, e.kind, e.name
        prev = _prev_word(text, it.start).lower()
        if prev in DIRECTIONS:  # "in southern Lebanon"
            prev = _prev_word(text, it.start - len(prev) - 1).lower()
        if it.text in ("Georgia", "Washington"):
            local_state = re.match(r"\s+[Ss]tate\b", text[it.end:it.end + 8]) or re.search(
                r"(?:[A-Z][a-z]+,\s+|state of\s+)$", text[max(0, it.start - 30):it.start])
            if it.text == "Washington" and re.search(r"^\s*,?\s*D\.?C\.?", text[it.end:it.end + 8]):
                local_state = None
            if it.text == "Georgia" and not local_state:
                # a US-state cue in the same sentence ("a congressman from Atlanta ... Georgia") wins locally,
                # even in an article about the country
                s0, s1 = ctx.sentence_of(it.start)
                cut = [mm.end() for mm in re.finditer(r"[.;:!?]\s", text[s0:it.start])]
                s0 = s0 + cut[-1] if cut else s0
                after = re.search(r"[.;:!?](?:\s|$)", text[it.end:s1])
                s1 = it.end + after.start() if after else s1
                local_state = US_STATE_CUES.search(text, s0, s1) and not GEORGIA_CUES.search(text, s0, s1)
            if local_state or (us_state and it.text == "Georgia"):
                mentions.append(_actor(text, it.start, it.end, f"{it.text} (US state)", "USA", None, "us_state"))
                i += 1
                continue
        if it.text == "Tripoli" and re.search(r"\b(?:Lebanon|Lebanese|Beirut)\b", text) and not re.search(
                r"\b(?:Libya|Libyan|Benghazi)\b", text):
            country, name = "LBN", "Lebanon"
        if it.text == "Turkey" and (FOOD_AFTER.match(text, it.end) or (
                THANKSGIVING.search(text) and "Turkish" not in text and "Ankara" not in text)):
            i += 1
            continue
        if kind == "country":
            tok = ctx.token(it.start)
            parsed = tok is not None and tok.dep_ != "unparsed" and tok.pos_ != ""
            if prev in LOCATIVE:
                sector = None
            elif parsed and tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i:
                sector = None
            else:
                sector = "GOV"
        elif kind == "capital":
            # "speaking in Kuala Lumpur" is a place; "concerns in New Delhi" is the government
            sector = "GOV"
            if prev in ("in", "at", "near", "inside", "outside", "around") and PLACE_CUES.search(
                    text[max(0, it.start - 60):it.start]):
                sector = None
        elif kind == "demonym" and prev == "ethnic":
            country, sector, name, kind = mod_country, "CVL", it.text, "ethnic"
        elif kind == "demonym" and it.text.endswith("s"):
            # "Albanians of southern Serbia", "Turks living in Germany": people of the place they live in
            lm = RESIDENT.match(text, it.end)
            nxt = items[i + 1] if i + 1 < n else None
            if lm and nxt is not None and nxt.start == lm.end() and nxt.entry is not None and \
                    nxt.entry.kind in ("country", "place", "capital") and nxt.entry.country != country:
                country, sector, name, kind = nxt.entry.country, "CVL", it.text, "ethnic"
        mentions.append(_actor(text, it.start, it.end, name, country, sector, kind))
        i += 1

    # spaCy PERSON entities the grammar did not cover (parsed segments only)
    covered = sorted((m.start, m.end) for m in mentions)

    def is_covered(s: int, e: int) -> bool:
        idx = bisect_right(covered, (s, 10**12)) - 1
        for cs, ce in covered[max(0, idx - 3): idx + 3]:
            if cs < e and s < ce:
                return True
        return False

    place_items = [(x.start, x.end) for x in items if x.entry is not None and x.entry.kind != "person"]
    ents = list(doc.ents) if doc is not None else []
    if doc is not None:
        for ent in ents:
            if ent.label_ != "PERSON" or is_covered(ent.start_char, ent.end_char):
                continue
            if any(ent.start_char <= ps and pe <= ent.end_char for ps, pe in place_items):
                continue
            pname = ent.text.strip()
            if not pname[:1].isupper() or pname.lower() in lex.roles:
                continue
            # headline words such as "Resilient Egypt", "Ottawa Weighs": a place inside is not a person's name
            if any((x := lex.entries.get(w.strip(".,’'"))) is not None and x.kind != "person"
                   or w.lower() in lex.roles for w in pname.split()):
                continue
            key = ctx.names.get(pname)
            if key is None:
                key = ctx.register(pname, None, None, None)
            info = ctx.people[key]
            mentions.append(_actor(text, ent.start_char, ent.end_char, info["name"], info["country"], info["sector"],
                                   "person", key))
            covered = sorted((m.start, m.end) for m in mentions)

    # organisations spaCy found that the dictionaries do not know: sector from their head word,
    # country from a place named inside ("Kenya Anti-Corruption Commission")
    if doc is not None:
        added = False
        for ent in ents:
            if ent.label_ != "ORG" or len(ent.text) < 3:
                continue
            inside = [m for m in mentions if ent.start_char <= m.start and m.end <= ent.end_char]
            if any(m.kind not in PLACE_KINDS for m in inside) or is_covered(ent.start_char, ent.end_char) and not inside:
                continue
            if len(inside) > 1 or any(m.start < ent.start_char < m.end or m.start < ent.end_char < m.end
                                      for m in mentions):
                continue
            etext = ent.text
            if inside and inside[0].start == ent.start_char and inside[0].end == ent.end_char:
                continue  # spaCy calls a known place an ORG: keep the place
            if lex.fuzzy(etext) is not None:
                continue  # a misspelt country, handled below
            sector = next((sec for rx, sec in ORG_HEADS if rx.search(etext)), None)
            if sector is None and not re.fullmatch(r"[A-Z]{2,6}", etext):
                continue  # "Ottawa Weighs", "World Affairs": not evidently an organisation
            country = inside[0].country if inside else None
            name = etext
            if country is None:
                # "the Commission" after "the European Commission": the body named in full before
                bare = re.sub(r"^(?:[Tt]he)\s+", "", etext)
                full = next((m for m in mentions if m.start < ent.start_char and m.kind in ("igo", "seat")
                             and m.text != bare and m.text.split()[-1] == bare), None)
                if full is not None:
                    country, name = full.country, full.name
                    sector = full.sector
            if inside:
                mentions.remove(inside[0])
            mentions.append(_actor(text, ent.start_char, ent.end_char, name, country, sector, "organisation"))
            added = True
        if added:
            covered = sorted((m.start, m.end) for m in mentions)

    # misspelt countries and demonyms that spaCy still recognised ("Afganistan", "Ethopia")
    if doc is not None:
        for ent in ents:
            if ent.label_ not in ("GPE", "NORP", "ORG", "LOC") or is_covered(ent.start_char, ent.end_char) or (
                    ent.label_ in ("ORG", "LOC") and len(ent) > 1):
                continue
            hit = lex.fuzzy(ent.text)
            if hit is not None:
                sector = "GOV" if hit.kind == "capital" else None
                mentions.append(_actor(text, ent.start_char, ent.end_char, hit.name, hit.country, sector, hit.kind))
        covered = sorted((m.start, m.end) for m in mentions)

    # later mentions of people by name or surname
    if ctx.names:
        forms = sorted(ctx.names, key=len, reverse=True)
        name_re = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
        replaced = False
        for m in name_re.finditer(text):
            s, e = m.start(), m.end()
            clash = [x for x in mentions if x.start < e and s < x.end]
            if clash:
                # a surname that is also a place ("Kingston said") → the person, once introduced
                if len(clash) == 1 and clash[0].kind in PLACE_KINDS and clash[0].start == s and \
                        clash[0].end == e and ctx.people[ctx.names[m.group()]]["role"]:
                    mentions.remove(clash[0])
                    replaced = True
                else:
                    continue
            key = ctx.names[m.group()]
            info = ctx.people[key]
            mentions.append(_actor(text, s, e, info["name"], info["country"], info["sector"], "person", key))
        if replaced:
            pass

    # "<role>, <Name>": "China's commerce minister, Wang Wentao", "A government spokeswoman, Claire Dubois,"
    for a in list(mentions):
        if a.kind not in ("role", "group") or not a.sector:
            continue
        if a.kind == "group" and not (lex.roles.get(a.text.lower().split()[-1]) or Role("", None, None)).person:
            continue
        am = re.match(r",\s+((?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.)){1,3})"
                      r"(?=\s*(?:[,.;)]|$))", text[a.end:a.end + 80])
        if am is None:
            continue
        s_, e_ = a.end + am.start(1), a.end + am.end(1)
        pname = am.group(1)
        if any(x.start < e_ and s_ < x.end for x in mentions) or pname.split()[0] in NAME_STOP or \
                lex.lookup(pname) is not None or lex.lookup(pname.split()[0]) is not None:
            continue
        key = ctx.register(pname, None, None, None)
        mentions.append(_actor(text, s_, e_, pname, None, None, "person", key))
    ordered = sorted(mentions, key=lambda a: (a.start, -a.end))
    for a, b in zip(ordered, ordered[1:]):
        if a.kind not in ("role", "group") or b.kind != "person" or b.entity not in ctx.people or not a.sector:
            continue
        if not re.fullmatch(r",\s*", text[a.end:b.start]) or not re.match(r"\s*(?:[,.;)]|$)", text[b.end:b.end + 2]):
            continue
        if a.kind == "group" and not (lex.roles.get(a.text.lower().split()[-1]) or Role("", None, None)).person:
            continue  # "the army, Name" is not an apposition naming the army
        info = ctx.people[b.entity]
        if info["country"] is None and a.country:
            info["country"] = a.country
        if info["sector"] is None:
            info["sector"] = a.sector
        if not info["role"]:
            info["role"] = a.text
        idx = mentions.index(b)
        if idx in pending_context:
            pending_context.remove(idx)

    # fill countries of titled people from context ("President Laurent Gbagbo" in a sentence about Ivory Coast)
    for idx in pending_context:
        if idx < len(mentions) and mentions[idx].country is None:
            country = _context_country(ctx, mentions, mentions[idx].start, mentions[idx].end)
            if country:
                key = mentions[idx].entity
                if key in ctx.people and ctx.people[key]["country"] is None:
                    ctx.people[key]["country"] = country
    quotes = _quote_spans(text) if pending_group else []
    home = None
    if header is not None and pending_group:
        filed = lex.lookup(header[0])
        if not isinstance(filed, Entry) and header[0].isupper():
            filed = lex.lookup(header[0].title())
        if isinstance(filed, Entry) and filed.country and filed.country not in IGO_LIKE and \
                filed.country == dominant_country(mentions):
            home = filed.country

    def quoted(pos: int):
        return next(((qs, qe) for qs, qe in quotes if qs <= pos < qe), None)

    for idx in pending_group:
        m = mentions[idx] if idx < len(mentions) else None
        if m is None or m.country is not None or m.kind != "group":
            continue
        if re.search(r"\b(?:two|both|three|several|many|all)\s+$", text[max(0, m.start - 8):m.start]):
            continue  # "the two armies": more than one country's
        # "Pakistan denied firing first. Its military said ...": the country the last sentence was about
        if re.search(r"\b(?:[Ii]ts|[Tt]heir)\s+$", text[max(0, m.start - 8):m.start]):
            prev_place = next((x for x in reversed(mentions) if x.end <= m.start and x.country and
                               x.kind in ("country", "capital") and x.sector), None)
            if prev_place is not None and m.start - prev_place.end < 400:
                m.country = prev_place.country
                m.code = _code(m.country, m.sector)
                continue
        # "police fired on protesters in Nairobi": a sentence that names one country only
        # (outside quotations: "We urge India to ...", a spokeswoman said: the spokeswoman is not Indian)
        s0, s1 = ctx.sentence_of(m.start)
        mq = quoted(m.start)
        near = [x for x in mentions if x.country and x is not m and s0 <= x.start < s1
                and x.kind not in ("person", "title", "pronoun", "igo")]
        found = {x.country for x in near if quoted(x.start) == mq}
        head = lex.roles.get(m.text.lower().split()[-1])
        if not found and not (head is not None and head.person):
            found = {x.country for x in near}  # a body, not the quote's speaker: "outside parliament"
        if any(quoted(b.start()) == mq for b in BOTH_SIDES.finditer(text, s0, s1)):
            continue  # "officials on both sides": not one country's
        if len(found) == 1:
            m.country = found.pop()
            m.code = _code(m.country, m.sector)
            continue
        # "India's foreign ministry summoned ... the ministry said": the same body named before
        words = m.text.lower().split()
        for x in reversed(mentions):
            if x.end > m.start or m.start - x.end > 1500:
                continue
            if not x.country or x.kind != "organisation" or x.country in IGO_LIKE:
                continue
            xt = re.split(r"['’]s\s+", x.text.lower(), maxsplit=1)
            tail = xt[1] if len(xt) == 2 else " ".join(x.text.lower().split()[1:])
            if len(tail) >= 4 and (" ".join(words).startswith(tail) or tail.split()[-1:] == words[-1:]):
                m.country = x.country
                m.code = _code(m.country, m.sector)
                break
        # "Police detained demonstrators": a state body in a story filed from the country it is about
        if m.country is None and home is not None and m.sector in STRONG_GROUPS and \
                m.text.lower().split()[-1] != "administration" and not (head is not None and head.person) and \
                not getattr(lex.roles.get(re.sub(r"s$", "", m.text.lower().split()[-1])), "person", None):
            # bodies only: "diplomats", "officials" may come from anywhere
            m.country = home
            m.code = _code(m.country, m.sector)
    for idx in pending_org:
        if idx < len(mentions) and mentions[idx].country is None:
            mentions[idx].country = _context_country(ctx, mentions, mentions[idx].start)
            mentions[idx].code = _code(mentions[idx].country, mentions[idx].sector)
    for m in mentions:
        if m.kind in ("person", "title") and m.entity in ctx.people:
            info = ctx.people[m.entity]
            if m.country is None and info["country"]:
                m.country = info["country"]
            if m.sector is None and info["sector"]:
                m.sector = info["sector"]
            m.code = _code(m.country, m.sector)

    # "the US representative told the council": at an international body a country's representative is its
    # government's envoy, not a legislator (unless the text is about a legislature)
    if any(m.kind == "igo" for m in mentions) and not LEGISLATURE_CUES.search(text):
        for m in mentions:
            if m.kind == "role" and m.sector == "LEG" and re.search(r"\brepresentatives?$", m.text, re.IGNORECASE) \
                    and m.country and m.country not in IGO_LIKE:
                m.sector = "GOV"
                m.code = _code(m.country, m.sector)

    mentions.sort(key=lambda a: (a.start, -a.end))

    # coordination: "US and British forces", "Hungarian and Romanian officials" share the group noun
    for a, b in zip(mentions, mentions[1:]):
        if a.kind in ("country", "demonym") and b.kind in ("organisation", "role") and b.sector and \
                COORD.fullmatch(text, a.end, b.start) and lex.entries.get(text[b.start:b.end].split()[0]) is not None:
            a.sector, a.kind = b.sector, b.kind
            a.code = _code(a.country, a.sector)

    # he/she as the subject of a reporting verb → the latest person who was a subject
    if doc is not None:
        persons = [m for m in mentions if m.kind in ("person", "title") and m.entity]
        starts = [m.start for m in persons]
        extra = []
        for pm in PRONOUN.finditer(text):
            tok = ctx.token(pm.start())
            if tok is None or tok.idx != pm.start() or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if tok.head.lemma_.lower() not in REPORTING:
                continue
            idx = bisect_right(starts, tok.idx) - 1
            chosen = None
            for back in range(idx, max(-1, idx - 8), -1):
                cand = persons[back]
                if tok.idx - cand.start > 1500:
                    break
                ctok = ctx.token(cand.end - 1)
                if ctok is not None and ctok.dep_ in ("nsubj", "nsubjpass"):
                    chosen = cand
                    break
            if chosen is None and idx >= 0 and tok.idx - persons[idx].start <= 1500:
                chosen = persons[idx]
            if chosen is None:
                continue
            extra.append(Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=chosen.name,
                               country=chosen.country, sector=chosen.sector, code=chosen.code, kind="pronoun",
                               entity=chosen.entity))
        if extra:
            mentions.extend(extra)
            mentions.sort(key=lambda a: (a.start, -a.end))
    if header is not None:
        # the dateline says where the story was filed: not an actor
        mentions = [m for m in mentions if not (header[1] <= m.start and m.end <= header[3])]
    return mentions


def dominant_country(mentions: list[Actor]) -> str | None:
    counts = Counter(m.country for m in mentions if m.country and m.kind in PLACE_KINDS)
    return counts.most_common(1)[0][0] if counts else None
