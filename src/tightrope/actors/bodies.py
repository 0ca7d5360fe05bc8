"""Bodies and groups whose country the phrase did not give, and sectors that depend on the whole article.

"police fired on protesters in Nairobi", "the ministry said", "Its army said": a bare state body takes the
one country its sentence names (outside any quotation it is not in), the country the previous sentence was
about after "its/their", the country of the same body named before, or — in a story filed from the country
the article is mostly about — that country. Run after the grammar and the entity passes, on `need_*` lists.
"""

from __future__ import annotations

import re
from collections import Counter

from ..records import Actor
from .context import ArticleContext, recode
from .kinds import GOVERNMENT, PERSON_KINDS, PLACE_KINDS
from .lexicon import Entry

_POSSESSIVE_SPLIT = re.compile(r"['’]s\s+")
_PLURAL_S = re.compile(r"s$")
_WORDS_BEFORE = 8  # characters before a group noun searched for "the two", "its"
_REGION_BEFORE = 40  # characters before a group noun searched for "European", "Southeast Asian" (and a word)
_LOCAL_BEFORE = 30  # characters before a group noun searched for "local", "provincial" (and a word)
_PREVIOUS_SENTENCE = 400  # "Pakistan denied it. Its army said": how far back the country may be
_SAME_BODY_BEFORE = 1500  # how far back a body named in full may be


def dominant_country(mentions: list[Actor]) -> str | None:
    """The country the article names most often as a place (country, capital, demonym, city)."""
    counts = Counter(m.country for m in mentions if m.country and m.kind in PLACE_KINDS)
    return counts.most_common(1)[0][0] if counts else None


def home_country(ctx: ArticleContext) -> str | None:
    """The country the article is about: the one a story was filed from when the article also names it most,
    else the one it names far more than any other (`article_focus`)."""
    if ctx.dateline is not None:
        place = ctx.dateline.place
        filed = ctx.lex.lookup(place)
        if not isinstance(filed, Entry) and place.isupper():
            filed = ctx.lex.lookup(place.title())
        if isinstance(filed, Entry) and filed.country and filed.country not in ctx.words.igo_codes and \
                filed.country == dominant_country(ctx.mentions):
            return filed.country
    return article_focus(ctx)


def local_country(ctx: ArticleContext) -> str | None:
    """The country where the story takes place, which "local" officials are of: the dateline's, else the one
    the article names far more than any other as a place (not as an actor: a story about a US aircraft that
    crashed in Afghanistan names the US more, and Afghanistan as the place)."""
    if ctx.dateline is not None:
        filed = ctx.lex.lookup(ctx.dateline.place)
        if not isinstance(filed, Entry) and ctx.dateline.place.isupper():
            filed = ctx.lex.lookup(ctx.dateline.place.title())
        if isinstance(filed, Entry) and filed.country and filed.country not in ctx.words.igo_codes:
            return filed.country
    counts = Counter(m.country for m in ctx.mentions if m.country and m.kind in ("country", "capital", "place")
                     and not m.sector and m.country not in ctx.words.igo_codes)
    ranked = counts.most_common(2)
    if not ranked:
        return None
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= FOCUS_MIN_MENTIONS - 1 and n >= FOCUS_LEAD * second else None


# An article is about one country when it names that country this many times at least, and this many times as
# often as any other.
FOCUS_MIN_MENTIONS = 3
FOCUS_LEAD = 1.5


def article_focus(ctx: ArticleContext) -> str | None:
    """The one country the article is about, if it clearly is about one: the country of its places and named
    bodies (and of people the text or the knowledge base places), counted (those of the opening sentence
    twice), when it leads the others by far."""
    counts: Counter = Counter()
    lede_end = ctx.sentence_of(0)[1]
    for m in ctx.mentions:
        if m.kind in PERSON_KINDS:
            country = _known_country(ctx, m)
        elif m.kind in PLACE_KINDS or m.kind in ("seat", "organisation", "role"):
            country = m.country
        else:
            continue
        if country and country not in ctx.words.igo_codes:
            counts[country] += 2 if m.start < lede_end else 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= FOCUS_MIN_MENTIONS and n >= FOCUS_LEAD * second else None


def _set_country(m: Actor, country: str | None, by: str = "context", confidence: float = 0.6) -> None:
    m.country = country
    m.resolved_by, m.confidence = by, confidence
    recode(m)


def _known_country(ctx: ArticleContext, x: Actor) -> str | None:
    """The country of a mention in the group's sentence: a person's only when the text or the knowledge base
    says it ("the lawmakers slammed Schiff": Schiff's country is a rival to the place named)."""
    if x.kind in PERSON_KINDS:
        if x.entity not in ctx.people:
            return None
        person = ctx.people[x.entity]
        return person.country if person.country_by in ("pattern", "kb", "user") else None
    return x.country


def _country_of_sentence(ctx: ArticleContext, m: Actor) -> set[str]:
    """The countries named in the group's sentence, from the same side of any quotation (a speaker is not
    the country a quotation names: "We urge India to ...", a spokeswoman said); a body, not a speaker, may
    take them across it ("a protest leader told a crowd outside parliament"). People known to be of a country
    count as well, so that a place named beside someone of another country decides nothing. A non-state group
    (rebels, protesters, refugees), or one owned by an unknown acronym ("the XYZ emir"), takes only a place:
    the state that speaks of them is not theirs ("the Pentagon said the strike killed ten fighters")."""
    s0, s1 = ctx.sentence_of(m.start)
    quote = ctx.quotation_at(m.start)
    places_only = m.sector not in ctx.words.state_of_a_country or _unknown_acronym_before(ctx, m)
    near = [(x, c) for x in ctx.starting_in(s0, s1) if x is not m and x.kind != "igo"
            and (c := _known_country(ctx, x)) and c not in ctx.words.igo_codes
            and (not places_only or x.kind in PLACE_KINDS)]
    found = {c for x, c in near if ctx.quotation_at(x.start) == quote}
    if not found and not ctx.lex.names_person(m.text):
        found = {c for x, c in near}
    # a place after "from" is where something else comes from ("another partner from Brazil"): never the
    # body's country, though it still makes the sentence name more than one
    origins = {c for x, c in near if x.kind in PLACE_KINDS and ctx.prev_word(x.start).lower() in ctx.words.comes_from}
    if origins and found <= origins:
        return set()
    return found


def _both_sides(ctx: ArticleContext, m: Actor) -> bool:
    """'officials on both sides' (on the group's side of any quotation): not one country's."""
    s0, s1 = ctx.sentence_of(m.start)
    quote = ctx.quotation_at(m.start)
    return any(ctx.quotation_at(b.start()) == quote for b in ctx.words.both_sides.finditer(ctx.text, s0, s1))


def _same_body_before(ctx: ArticleContext, m: Actor) -> str | None:
    """'India's foreign ministry summoned ... the ministry said': the country of the same body named before."""
    words = m.text.lower().split()
    for x in reversed(ctx.starting_in(max(0, m.start - _SAME_BODY_BEFORE - ctx.index.longest), m.start)):
        if x.end > m.start or m.start - x.end > _SAME_BODY_BEFORE:
            continue
        if not x.country or x.kind != "organisation" or x.country in ctx.words.igo_codes:
            continue
        parts = _POSSESSIVE_SPLIT.split(x.text.lower(), maxsplit=1)
        tail = parts[1] if len(parts) == 2 else " ".join(x.text.lower().split()[1:])
        if len(tail) >= 4 and (" ".join(words).startswith(tail) or tail.split()[-1:] == words[-1:]):
            return x.country
    return None


def _foreign(ctx: ArticleContext, m: Actor) -> bool:
    """'foreign military helicopters': not the article's own country's."""
    return bool(ctx.words.foreign_before.search(ctx.text, max(0, m.start - 40), m.start))


_ACRONYM_BEFORE = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\s+$")


def _unknown_acronym_before(ctx: ArticleContext, m: Actor) -> bool:
    """'the RSF commander': a group noun owned by a body the dictionaries do not know is that body's, and a
    state named beside it (the one that reports on it) is not its country; only a place may be."""
    am = _ACRONYM_BEFORE.search(ctx.text, max(0, m.start - 8), m.start)
    return am is not None and not any(x.country for x in ctx.overlapping(am.start(), am.end()) if x is not m)


def _regional(ctx: ArticleContext, m: Actor) -> bool:
    """'additional European peacekeepers': a region's adjective, which no country word covers ("South African
    troops" are South Africa's), before the group noun."""
    rm = ctx.words.regional_before.search(ctx.text, max(0, m.start - _REGION_BEFORE), m.start)
    return rm is not None and not any(x.country for x in ctx.overlapping(rm.start(1), rm.end(1)) if x is not m)


def _is_state_body(ctx: ArticleContext, m: Actor) -> bool:
    """A state body that a story filed from home belongs to: not people who may come from anywhere
    ("diplomats", "officials") and not a leader's government ("the administration")."""
    last = m.text.lower().split()[-1]
    singular = ctx.lex.roles.get(_PLURAL_S.sub("", last))
    return m.sector in ctx.words.state_of_a_country and last not in ctx.words.leader_government and \
        not ctx.lex.names_person(m.text) and not (singular is not None and singular.person)


def group_countries(ctx: ArticleContext) -> None:
    """Bare group nouns ("police", "the government", "officials") take a country from the context."""
    if not ctx.need_group_country:
        return
    text, words = ctx.text, ctx.words
    home = home_country(ctx)
    for m in ctx.awaiting(ctx.need_group_country):
        if m.country is not None or m.kind not in ("group", "organisation"):
            continue
        before = text[max(0, m.start - _WORDS_BEFORE):m.start]
        if words.plural_before.search(before) or m.text.lower().split()[-1] in words.many_states:
            continue  # "the two armies", "some countries": more than one country's
        if _regional(ctx, m):
            continue  # "European peacekeepers", "Arab diplomats": of several countries
        if words.local_before.search(text, max(0, m.start - _LOCAL_BEFORE), m.start) and not _foreign(ctx, m):
            local = local_country(ctx)
            if local is not None:
                _set_country(m, local, confidence=0.55)  # "a local official", "provincial police"
            continue  # local to a place the article does not single out: not the country it is about
        if words.possessive_pronoun_before.search(before):
            prev_place = next((x for x in reversed(ctx.starting_in(max(0, m.start - _PREVIOUS_SENTENCE
                                                                      - ctx.index.longest), m.start))
                               if x.end <= m.start and x.country and x.kind in ("country", "capital") and x.sector),
                              None)
            if prev_place is not None and m.start - prev_place.end < _PREVIOUS_SENTENCE:
                _set_country(m, prev_place.country)
                continue
        found = _country_of_sentence(ctx, m)
        if _both_sides(ctx, m):
            continue
        if len(found) == 1:
            _set_country(m, found.pop())
            continue
        if home is not None and home in found and _is_state_body(ctx, m) and not _foreign(ctx, m):
            _set_country(m, home, confidence=0.55)  # several countries named, one of them the article's
            continue
        country = _same_body_before(ctx, m)
        if country is not None:
            _set_country(m, country)
        elif home is not None and _is_state_body(ctx, m) and not _foreign(ctx, m):
            _set_country(m, home, confidence=0.5)


def body_countries(ctx: ArticleContext) -> None:
    """Named bodies without a country ("opposition newspaper La Prensa") take the nearest in the sentence."""
    for m in ctx.awaiting(ctx.need_body_country):
        if m.country is None:
            country = ctx.country_near(m.start)
            if country is not None:
                _set_country(m, country, confidence=0.55)


def envoys_at_international_bodies(ctx: ArticleContext) -> None:
    """'the US representative told the council': at an international body a country's representative is its
    government's envoy, not a legislator — unless the text is about a legislature."""
    if not any(m.kind == "igo" for m in ctx.mentions) or ctx.words.legislature.search(ctx.text):
        return
    for m in ctx.mentions:
        if m.kind == "role" and m.sector == "LEG" and ctx.words.envoy_role_end.search(m.text) and \
                m.country and m.country not in ctx.words.igo_codes:
            m.sector = GOVERNMENT
            recode(m)


def coordinated_country_words(ctx: ArticleContext) -> None:
    """'US and British forces', 'Hungarian and Romanian officials': a country word coordinated with a
    country-word-led body or role shares its sector (and kind)."""
    text, mentions = ctx.text, ctx.mentions
    for a, b in zip(mentions, mentions[1:]):
        if a.kind in ("country", "demonym") and b.kind in ("organisation", "role") and b.sector and \
                ctx.words.coordination.fullmatch(text, a.end, b.start) and \
                ctx.lex.entries.get(text[b.start:b.end].split()[0]) is not None:
            a.sector, a.kind = b.sector, b.kind
            recode(a)


_OWNER_BEFORE = re.compile(r"['’]s?\s+(?:[a-z][\w\-]*\s+){0,2}$")  # "Sudan's ruling National Congress Party"


def possessed_bodies(ctx: ArticleContext) -> None:
    """'Cameroon's Interprofessional Association of Poultry Farmers', 'Bashir's National Congress Party': a named
    body without a country right after a country's or a person's possessive is of that country (a person's only
    when the text or the knowledge base gives it)."""
    text = ctx.text
    for m in ctx.mentions:
        if m.country or m.kind not in ("organisation", "media"):
            continue
        pm = _OWNER_BEFORE.search(text, max(0, m.start - 40), m.start)
        if pm is None:
            continue
        owner = next((x for x in ctx.overlapping(pm.start() - 1, pm.start()) if x.end == pm.start()), None)
        if owner is None:
            continue
        if owner.kind in ("country", "capital"):
            country = owner.country
        elif owner.kind == "person":
            country = _known_country(ctx, owner)
        else:
            continue
        if country and country not in ctx.words.igo_codes:
            _set_country(m, country, "pattern", 0.75)


def ruling_bodies(ctx: ArticleContext) -> None:
    """'the long-ruling African National Congress': a named body the text says rules is its government."""
    for m in ctx.mentions:
        if m.kind == "organisation" and m.text[:1].isupper() and \
                ctx.words.ruling_before.search(ctx.text, max(0, m.start - 20), m.start):
            m.sector = GOVERNMENT
            if m.resolved_by is None:  # else the country keeps the provenance it came with
                m.resolved_by, m.confidence = "pattern", 0.75
            recode(m)


def local_bodies(ctx: ArticleContext) -> None:
    """A named association, society or school that neither the dictionaries nor the knowledge base know
    (sectors.yaml local_sectors; "the Elephant Protection Society") is of the country the article is about, when
    it clearly is about one (`home_country`): international ones are in the knowledge base."""
    home = None
    for m in ctx.mentions:
        if m.country or m.kind != "organisation" or m.sector not in ctx.words.local_sectors or m.resolved_by:
            continue
        home = home or home_country(ctx)
        if home is None:
            return
        _set_country(m, home, "context", 0.5)
