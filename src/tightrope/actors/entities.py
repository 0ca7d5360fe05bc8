"""spaCy's named entities (parsed segments only) for what the dictionaries and the grammar did not cover:
people (`ner_people`), organisations the dictionaries do not know (`ner_organisations`), and misspelt
countries spaCy still recognised (`misspelt_places`)."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy
from spacy.attrs import DEP
from spacy.symbols import appos as APPOS

from ..nlp import is_parsed
from .context import ArticleContext
from .kinds import GOVERNMENT, PLACE_KINDS

_ACRONYM = re.compile(r"[A-Z]{2,6}")
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")
_GROUP_NOUN_AFTER = re.compile(r"\s+([a-z]+)\b")  # "the Indian Express newspaper": the noun after a name
_NAME_PUNCTUATION = ".,’'"


class Coverage:
    """The spans of the mentions found so far (a snapshot), to test whether an entity overlaps one."""

    def __init__(self, mentions) -> None:
        self.spans = sorted((m.start, m.end) for m in mentions)

    def covers(self, start: int, end: int) -> bool:
        idx = bisect_right(self.spans, (start, 10**12)) - 1
        return any(cs < end and start < ce for cs, ce in self.spans[max(0, idx - 3): idx + 3])


def _places_inside(ctx: ArticleContext, start: int, end: int) -> bool:
    """Whether a place (a lexicon name that is not a person's) lies wholly inside text[start:end]."""
    return any(x.entry is not None and x.entry.kind != "person" and x.end <= end
               for x in ctx.matches_in(start, end))


def ner_people(ctx: ArticleContext) -> None:
    """PERSON entities not covered by a mention become people (registered, so later surnames find them) —
    unless a place or a role word is inside: headline words such as "Resilient Egypt", "Ottawa Weighs" are
    not a person's name."""
    if ctx.doc is None:
        return
    lex = ctx.lex
    for ent in ctx.ents:
        if ent.label_ != "PERSON" or ctx.overlapping(ent.start_char, ent.end_char):
            continue
        if _places_inside(ctx, ent.start_char, ent.end_char):
            continue
        name = ent.text.strip()
        end = ent.start_char + len(name)
        possessive = _POSSESSIVE_END.search(name)
        if possessive and possessive.start() > 1:  # "Robert Mueller's team": the person is Robert Mueller
            end -= len(name) - possessive.start()
            name = name[:possessive.start()]
        if not name[:1].isupper() or name.lower() in lex.roles:
            continue
        if any((x := lex.entries.get(w.strip(_NAME_PUNCTUATION))) is not None and x.kind != "person"
               or w.lower() in lex.roles for w in name.split()):
            continue
        key = ctx.people.key_for(name) or ctx.people.register(name, None, None, None)
        person = ctx.people[key]
        ctx.mention(ent.start_char, end, person.name, person.country, person.sector, "person", key)


def appositive_people(ctx: ArticleContext) -> None:
    """'Jane Roe, director at the Y coalition, said': two to four capitalised words that no mention covers, set
    in apposition (the parse's) to a person's role noun or a member noun ("director", "spokesman"), are a
    person's name, where the recogniser missed it or called it an organisation with no sign of one. A name with
    a word of the dictionaries, a role word or an organisation's head word ("Council") is not one."""
    if ctx.doc is None:
        return
    doc, lex = ctx.doc, ctx.lex
    member = lex.affiliation_words.member_nouns if lex.affiliation_words is not None else frozenset()
    for i in numpy.flatnonzero(ctx.token_array(DEP) == APPOS).tolist():  # one array test, not a loop in Python
        noun = doc[i]
        role = lex.roles.get(noun.lower_)
        if not is_parsed(noun) or not (noun.lower_ in member or role is not None and role.person and not role.title):
            continue
        head = noun.head
        if head.i >= noun.i or head.pos_ != "PROPN" or head.i + 1 >= len(doc) or not doc[head.i + 1].is_punct:
            continue
        words = [c for c in head.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"] + [head]
        if not 2 <= len(words) <= 4 or [t.i for t in words] != list(range(words[0].i, head.i + 1)):
            continue
        if not all(t.text[:1].isupper() and t.text.replace("-", "").isalpha() for t in words):
            continue
        start, end = words[0].idx, head.idx + len(head.text)
        name = ctx.text[start:end]
        if ctx.overlapping(start, end) or _head_sector(ctx, name) is not None or \
                any(lex.entries.get(t.text) is not None or t.lower_ in lex.roles for t in words):
            continue
        if any(e is not None and e.label_ not in ("PERSON", "ORG") for e in map(ctx.ent_at, (t.i for t in words))):
            continue  # a place, a nationality, a date
        key = ctx.people.key_for(name) or ctx.people.register(name, None, None, None)
        person = ctx.people[key]
        ctx.mention(start, end, person.name, person.country, person.sector, "person", key)


def _head_sector(ctx: ArticleContext, name: str) -> str | None:
    return next((sector for rx, sector in ctx.words.organisation_heads if rx.search(name)), None)


def ner_organisations(ctx: ArticleContext) -> None:
    """ORG entities the dictionaries do not know: the sector from their head word (organisation_heads.tsv;
    an acronym may have none), the country from a place named inside ("Kenya Anti-Corruption Commission"),
    else from the body named in full before ("the Commission" after "the European Commission"). The place
    inside gives way to the organisation; an entity that is itself a known place stays the place."""
    if ctx.doc is None:
        return
    lex = ctx.lex
    covered = Coverage(ctx.mentions)  # the mentions before this pass
    named_bodies = [m for m in ctx.mentions if m.kind in ("igo", "seat")]  # "the European Commission"
    for ent in ctx.ents:
        if ent.label_ != "ORG" or len(ent.text) < 3:
            continue
        if known_organisation(ctx, ent.start_char, ent.end_char):
            continue
        near = ctx.overlapping(ent.start_char, ent.end_char)
        inside = [m for m in near if ent.start_char <= m.start and m.end <= ent.end_char]
        named_words = [m for m in inside if _word_of_a_name(m)]
        bare = ctx.words.article_start.sub("", ent.text)
        if named_words and (len(named_words) < len(inside) or
                            sum(len(m.text.split()) for m in named_words) >= len(bare.split())):
            named_words = []  # a name beside a place, or the group noun is the whole name ("the Supreme Court")
        if named_words:  # "National Congress Party": capitalised role words inside a name are the name's
            near = [m for m in near if not any(m is x for x in named_words)]
            inside = [m for m in inside if not any(m is x for x in named_words)]
        if any(m.kind not in PLACE_KINDS for m in inside) or \
                covered.covers(ent.start_char, ent.end_char) and not inside and not named_words:
            continue
        if len(inside) > 1 or any(m.start < ent.start_char < m.end or m.start < ent.end_char < m.end for m in near):
            continue
        if inside and inside[0].start == ent.start_char and inside[0].end == ent.end_char:
            continue  # spaCy calls a known place an ORG: keep the place
        if lex.fuzzy(ent.text) is not None:
            continue  # a misspelt country, see misspelt_places
        end = ent.end_char
        sector = _head_sector(ctx, ent.text)
        noun = _GROUP_NOUN_AFTER.match(ctx.text, end)
        role = lex.roles.get(noun.group(1).lower()) if noun else None
        if role is not None and role.group and not role.person and not ctx.starting_at(noun.start(1)):
            sector, end = role.group, noun.end(1)  # "the Indian Express newspaper", "Dezan Shira & Associates firm"
        if sector is None and not _ACRONYM.fullmatch(ent.text):
            continue  # "Ottawa Weighs", "World Affairs": not evidently an organisation
        country = inside[0].country if inside else None
        name = ent.text
        if country is None:
            bare = ctx.words.article_start.sub("", ent.text)
            full = next((m for m in named_bodies if m.start < ent.start_char and ctx.present(m)
                         and m.text != bare and m.text.split()[-1] == bare), None)
            if full is not None:
                country, name, sector = full.country, full.name, full.sector
        for m in inside[:1] + named_words:
            ctx.remove(m)
        body = ctx.mention(ent.start_char, end, name, country, sector, "organisation")
        if country is None and named_words and sector in ctx.words.state_of_a_country:
            ctx.need_group_country.append(body)  # "the Regional Government": placed as its group noun was


def _word_of_a_name(m) -> bool:
    """A group noun written with capitals and no country of its own ("Congress Party" in "National Congress
    Party"): a word of the name around it, not a body."""
    return m.kind == "group" and m.country is None and not m.text.islower() and m.text[:1].isupper()


def known_organisation(ctx: ArticleContext, start: int, end: int) -> bool:
    """An organisation the knowledge base knows by the full name text[start:end] ("the House Intelligence
    Committee" → USA LEG, "the Baloch Liberation Army" → PAK REB): one mention in place of the names and role
    words inside it. False (nothing changed) when the knowledge base does not know the name, gives it several
    readings, or a mention reaches across the name's edge."""
    kb = ctx.lex.kb
    name = ctx.words.article_start.sub("", ctx.text[start:end]).strip()
    if kb is None or len(name) < 3 or not name[:1].isupper():
        return False
    start = end - len(name)
    near = ctx.overlapping(start, end)
    if any(m.start < start < m.end or m.start < end < m.end for m in near):
        return False
    orgs = kb.organisations(name)
    if len({(o.country, o.sector) for o in orgs}) != 1:
        return False
    country, sector, full = orgs[0].country, orgs[0].sector, orgs[0].name  # the first in the table's order
    if country is None and sector is None:
        return False
    inside = [m for m in near if start <= m.start and m.end <= end]
    if len(inside) == 1 and inside[0].start == start and inside[0].end == end and inside[0].country:
        return False  # the dictionaries already name it as a whole
    for m in inside:
        ctx.remove(m)
    ctx.mention(start, end, full, country, sector, "organisation", by="kb", confidence=0.85)
    return True


def misspelt_places(ctx: ArticleContext) -> None:
    """Misspelt countries and demonyms spaCy still recognised ("Afganistan", "Ethopia"): the closest
    dictionary form (Lexicon.fuzzy)."""
    if ctx.doc is None:
        return
    covered = Coverage(ctx.mentions)
    for ent in ctx.ents:
        if ent.label_ not in ("GPE", "NORP", "ORG", "LOC") or covered.covers(ent.start_char, ent.end_char) or (
                ent.label_ in ("ORG", "LOC") and len(ent) > 1):
            continue
        hit = ctx.lex.fuzzy(ent.text)
        if hit is not None:
            sector = GOVERNMENT if hit.kind == "capital" else None
            ctx.mention(ent.start_char, ent.end_char, hit.name, hit.country, sector, hit.kind)
