"""The knowledge base in the actor passes: who a named person is on the article's day, and named bodies.

`kb_people` looks every person of the article up in the knowledge base (`kb.KnowledgeBase`, with the people
list `data/people.yaml` added) by the name the article gives them, on the article's publication day:

* A full name must match a known full name (`KnowledgeBase.lookup` is strict: "Cyrus Vance" is not JD Vance);
  several namesakes → the one the article's countries or the day single out, else nobody.
* A name of one word (a surname never given in full in the article) is taken only for someone in office that
  day, from a country the article names, and only when nobody else in that position shares it ("Museveni" in
  a story about Uganda; not "Guterres" with no hint of the UN, not a deity called Ram).
* The role on the day decides the sector: in office → the office's sector; former (every office ended before
  the day, by a source that knew the person on that day) → ELI; not yet in office → no sector from us (the
  text's words decide: a 2016 "candidate" is not GOV). What the text itself says of the person — "former",
  a title, a nationality before it — beats the knowledge base (people.STRENGTH).

`kb_bodies` gives organisations that the dictionaries and the grammar left without a country (spaCy's ORG
entities, named bodies after a title) the knowledge base's: congressional committees (USA LEG: the House
Intelligence Committee is a legislature's, not a spy agency), Phoenix's state bodies, IGOs, NGOs, companies
and armed groups — by their full name only.
"""

from __future__ import annotations

import re

from ..records import Actor
from .context import ArticleContext, recode
from .kinds import FORMER, PERSON_KINDS
from .people import Person

_POSSESSIVE = re.compile(r"['’]s?$")
_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# A namesake is set aside when the best candidate is this many times as likely (KBMatch.confidence).
CLEAR_LEAD = 2.0
# Offices high enough that a bare surname in the news means their holder (rank 1 head of state/government,
# 2 minister, chamber leader, top commander).
PROMINENT_RANK = 2


def article_day(published: str | None) -> str | None:
    """The ISO day of a publication date as precise as the source says ('2021-03-05T10:00Z' → '2021-03-05';
    '2021-03' → '2021-03-15'; '2021' → '2021-07-01'), or None."""
    if not published:
        return None
    m = _DAY.match(published.strip())
    if m is None:
        return None
    year, month, day = m.groups()
    return f"{year}-{month or '07'}-{day or ('15' if month else '01')}"


def _clean_name(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip(" ,.;:")).strip()


def article_countries(ctx: ArticleContext) -> set[str]:
    """Countries (and international bodies) the article names other than through people."""
    return {m.country for m in ctx.mentions if m.country and m.kind not in PERSON_KINDS}


def _choose(matches, person: Person, one_word: bool, countries: set[str]):
    """The candidate the name stands for, or None (see the module docstring)."""
    if not matches:
        return None
    if person.country and person.country_by == "pattern":
        agreeing = [m for m in matches if m.country == person.country]
        if agreeing:
            matches = agreeing
        elif one_word:
            return None  # "the Iraqi minister Said" is not Oman's sultan
    if one_word:
        holding = [m for m in matches if m.status == "holding" and m.country in countries]
        pids = {m.pid for m in holding}
        if not holding:
            return None
        best = holding[0]
        rivals = [m for m in holding if m.pid != best.pid]
        if rivals and best.confidence < CLEAR_LEAD * rivals[0].confidence:
            return None
        span_rank = _rank(best)
        if len(pids) > 1 and not person.titled:
            return None
        if span_rank > PROMINENT_RANK and not person.titled:
            return None
        return best
    if len({m.pid for m in matches}) == 1:
        return matches[0]
    best, second = matches[0], matches[1]
    if best.confidence >= CLEAR_LEAD * second.confidence:
        return best
    local = [m for m in matches if m.country in countries]
    if len({m.pid for m in local}) == 1:
        return local[0]
    return None


def _rank(match) -> int:
    """The rank of the office a candidate holds on the day (1 highest); 3 when unknown."""
    return match.rank or 3


def kb_people(ctx: ArticleContext) -> None:
    """Every person of the article looked up in the knowledge base on the article's day (module docstring)."""
    kb = ctx.lex.kb
    if kb is None or not ctx.people:
        return
    countries = article_countries(ctx)
    for key, person in list(ctx.people.items()):
        name = _clean_name(person.name)
        words = name.split()
        if not words or person.country_by == "user":
            continue
        matches = kb.lookup(name, ctx.day)
        match = _choose(matches, person, len(words) == 1, countries)
        if match is not None:
            _learn_from(ctx, person, match)


def _learn_from(ctx: ArticleContext, person: Person, match) -> None:
    """What the knowledge base says of the person on the day, under what the text says (people.STRENGTH)."""
    kb = ctx.lex.kb
    person.pid = match.pid
    person.learn(match.country, None, "kb", match.confidence)
    if person.former:
        person.learn(None, FORMER, "pattern")
        return
    sector = None
    if match.status == "holding":
        sector = match.sector
    elif match.status == "former":
        # former only if a source that knew the person on that day says every office had ended
        as_of = kb.as_of(match.source or "") or ""
        if ctx.day is not None and as_of >= ctx.day:
            sector = FORMER
    elif match.status == "before":
        # not in office yet: an office the people list or an undated entry gave them does not hold
        if person.sector_by in ("lexicon", "context"):
            person.sector, person.sector_by = None, None
    elif match.status in ("presumed", "latest", "undated") and person.sector is None:
        sector = match.sector
    if sector:
        person.learn(None, sector, "kb")
    if ctx.day is None and match.status == "latest" and person.sector_by == "kb":
        person.confidence = min(person.confidence or 1.0, match.confidence)


def kb_bodies(ctx: ArticleContext) -> None:
    """Organisations without a country or sector take the knowledge base's, by their full name."""
    kb = ctx.lex.kb
    if kb is None:
        return
    for m in ctx.mentions:
        if m.kind not in ("organisation", "group") or (m.country and m.sector):
            continue
        name = ctx.words.article_start.sub("", m.text).strip()
        if len(name) < 3 or not name[:1].isupper():
            continue
        orgs = kb.organisations(name)
        found = {(o.country, o.sector) for o in orgs}
        if len(found) != 1:
            continue
        country, sector = found.pop()
        if country is None and sector is None:
            continue
        _set_body(ctx, m, country, sector)


def _set_body(ctx: ArticleContext, m: Actor, country: str | None, sector: str | None) -> None:
    if country and not m.country:
        m.country = country
    if sector and not m.sector:
        m.sector = sector
    m.resolved_by, m.confidence = "kb", 0.85
    recode(m)


# "(D-N.Y.)", ", R-Texas,", "(I-Vt.)": a US party letter and a state after a name (AP and GPO style).
_PARTY_STATE = re.compile(r"\s*(?:\(\s*|,\s*)([DRI])\s?-\s?([A-Z][A-Za-z.]*(?:\s?[A-Z][A-Za-z.]*)?)\s*(?:\)|,|(?=[.;\s]))")
US = "USA"
LEGISLATURE = "LEG"


def party_state_labels(ctx: ArticleContext) -> None:
    """'Sen. Jane Roe (D-Vt.)', 'Rep. John Doe, R-Texas,': a member of the US Congress (USA LEG, unless the text
    gives another role); the state inside the label is no actor of its own."""
    kb = ctx.lex.kb
    if kb is None:
        return
    text = ctx.text
    for m in list(ctx.mentions):
        if m.kind != "person" or m.entity not in ctx.people:
            continue
        label = _PARTY_STATE.match(text, m.end)
        if label is None or kb.us_state(label.group(2).rstrip(".,")) is None and kb.us_state(label.group(2)) is None:
            continue
        person = ctx.people[m.entity]
        person.learn(US, None, "pattern")
        if person.sector is None or person.sector_by != "pattern":
            person.sector, person.sector_by = LEGISLATURE, "pattern"  # the label says: a member of Congress
        person.titled = True
        inside = [x for x in ctx.starting_in(label.start(1), label.end()) if x.end <= label.end()]
        for x in inside:
            ctx.remove(x)


def igo_sectors(ctx: ArticleContext) -> None:
    """An intergovernmental body's organs and officials are IGO (PLOVER), except its armed forces, parliament
    and courts ("UN peacekeepers" MIL, "the European Parliament" LEG): "U.N. Secretary-General Antonio
    Guterres", "Guterres' spokesman", "the EU's executive arm"."""
    words = ctx.words
    for m in ctx.mentions:
        if m.country and m.country in words.igo_codes and m.country not in words.non_state_codes and \
                m.sector not in words.igo_sectors_kept and (m.sector is not None or m.kind not in ("country",)):
            if m.sector != IGO:
                m.sector = IGO
                recode(m)


IGO = "IGO"
# Confidence of a name resolved by the dictionaries, by kind of name (a demonym names a people, not always its
# state; a city may share its name with another).
LEXICON_CONFIDENCE = {"country": 0.9, "capital": 0.85, "seat": 0.9, "igo": 0.9, "media": 0.9, "organisation": 0.85,
                      "demonym": 0.8, "place": 0.75, "us_state": 0.85, "ethnic": 0.7}


def provenance(ctx: ArticleContext) -> None:
    """Where each resolved mention's country and sector came from, where the pass that resolved it did not say:
    a name of the dictionaries (lexicon), a phrase of role words tied to a name (pattern), role words alone
    (lexicon: a sector without a country). Unresolved mentions have neither."""
    for m in ctx.mentions:
        if m.country is None and m.sector is None:
            m.resolved_by, m.confidence = None, None
            continue
        if m.resolved_by is not None:
            continue
        if m.kind in LEXICON_CONFIDENCE and m.kind != "organisation":
            m.resolved_by, m.confidence = "lexicon", LEXICON_CONFIDENCE[m.kind]
        elif m.country is not None:
            m.resolved_by, m.confidence = "pattern", 0.8
        else:
            m.resolved_by, m.confidence = "lexicon", 0.7
