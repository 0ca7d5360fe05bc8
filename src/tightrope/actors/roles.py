"""Roles and bodies without a name: "the Indian government", "a spokesman for Peru's foreign ministry",
"the president of Armenia", "the Secretary", "police".

A role phrase after a name (`modified_role`) belongs to that name's country or body. A role phrase alone
(`bare_role`) is tied to a country by a preposition ("of", "for", ...), to a leader ("the Trump
administration"), to a person met before ("the Secretary"), or left for `bodies.group_countries` to place.
Each function returns the index of the next match to read.
"""

from __future__ import annotations

import re

from ..nlp import is_parsed
from .context import ArticleContext
from .kinds import FORMER, GOVERNMENT, ORG_KINDS
from .persons import appositive_person, name_before_role
from .phrases import POSSESSIVE, extend_chain

_CAPITALISED_BEFORE = re.compile(r"([A-Z][\w'’\-]+)\s+$")
_SPACE = re.compile(r" (?=\S)")


def _first(values):
    return next((v for v in values if v), None)


def modified_role(ctx: ArticleContext, phrase) -> int:
    """'<name>['s] <roles>': "the Indian government", "Pakistani troops", "Hamas leader", "Trump
    administration". Its country is the name's; a generic role after a body takes the body's sector
    ("Pentagon spokesman" → MIL). A role whose person is named just before is that person (see
    `persons.name_before_role`)."""
    modifier, chain = phrase.modifier, phrase.chain
    roles = [r.role for r in chain]
    sector = next((r.group or r.person for r in roles if not r.title), None)
    country = phrase.modifier_country
    if modifier.entry.kind == "person":
        key = ctx.people.register(modifier.entry.name, None, None, modifier.entry.role)
        ctx.people[key].learn(country, modifier.entry.sector, "user" if modifier.entry.user else "lexicon")
        country = ctx.people[key].country
    if modifier.entry.sector and modifier.entry.kind in ORG_KINDS and chain[-1].role.text in ctx.words.generic_roles:
        sector = modifier.entry.sector_on(ctx.day)
    kind = "organisation" if any(r.group and not r.person for r in roles) else "role"
    several = chain[-1].text.lower() in ctx.words.many_states and modifier.entry.kind != "igo"
    if several:
        country = None  # "America's allies", "Arab nations": several states, none of them the modifier's
        # (a bloc's are its members: "NATO allies", "EU countries" keep the bloc)
    if kind == "role" and ctx.former_before(modifier.start) is not None:
        sector = FORMER  # "the former Turkish ambassador"
    entity = name_before_role(ctx, phrase, country, sector) if kind == "role" else None
    name = ctx.text[chain[0].start:phrase.cursor] if several else modifier.entry.name
    ctx.mention(modifier.start, phrase.cursor, name, country, sector, kind, entity)
    return phrase.next


def _sector_of_official(ctx: ArticleContext, roles, body: str) -> str:
    """The sector of an official of a body: the body's, unless the role itself says more ("a general of the
    army" stays MIL, "a spokesman for the army" is MIL, "an official of the ministry" GOV)."""
    person = _first(r.person for r in roles)
    return body if person in (None, GOVERNMENT) or roles[-1].text in ctx.words.generic_roles else person


def _official_of_countrys_body(ctx: ArticleContext, phrase, roles, om) -> int | None:
    """'a spokesman for Ethiopia's foreign ministry', 'a spokesman for the U.S. military': that country's
    official, with the body's sector."""
    items, text, k = ctx.matches, ctx.text, phrase.next
    place = items[k] if k < len(items) and items[k].entry is not None else None
    if place is None or place.start != om.end() or place.entry.kind not in ("country", "capital", "demonym") or \
            om.group("prep") not in ctx.words.official_of_body or k + 1 >= len(items) or \
            items[k + 1].role is None or not any(r.person for r in roles):
        return None
    pm = POSSESSIVE.match(text, place.end) or _SPACE.match(text, place.end)
    if pm is None or text[pm.end():items[k + 1].start] not in ("", " "):
        return None
    body_chain: list = []
    k2, end = extend_chain(ctx, k + 1, pm.end(), body_chain)
    body = _first(r.role.group for r in body_chain)
    if body not in ctx.words.state_bodies:
        return None
    ctx.mention(phrase.chain[0].start, end, place.entry.name, place.entry.country,
                _sector_of_official(ctx, roles, body), "role")
    return k2


def _official_of_body_of_country(ctx: ArticleContext, phrase, roles, om) -> int | None:
    """'a spokesperson for the foreign ministry of Peru': the official of that country's body."""
    items, text, k = ctx.matches, ctx.text, phrase.next
    if k >= len(items) or items[k].start != om.end() or items[k].role is None or \
            items[k].role.group not in ctx.words.state_bodies:
        return None
    k2, end = extend_chain(ctx, k, om.end(), [])
    om2 = ctx.words.body_preposition.match(text, end)
    place = items[k2] if k2 < len(items) else None
    if om2 is None or place is None or place.start != om2.end() or place.entry is None or \
            place.entry.kind not in ("country", "demonym", "capital") or POSSESSIVE.match(text, place.end):
        return None
    ctx.mention(phrase.chain[0].start, place.end, place.entry.name, place.entry.country,
                _sector_of_official(ctx, roles, items[k].role.group), "role")
    return k2 + 1


def _role_of_place(ctx: ArticleContext, phrase, roles, om) -> int | None:
    """'<role> of|in|for|from [the] <country|org>': "the president of Armenia", "an official from Kenya".
    Not "journalists in Iran" (only located there), not "aid from Japan" (only a person comes from a place),
    not "leaders of Romania's new government" (the possessive opens another phrase)."""
    items, text, k = ctx.matches, ctx.text, phrase.next
    place = items[k] if k < len(items) else None
    if place is None or place.start != om.end() or place.entry is None or place.entry.kind not in (
            "country", "demonym", "igo", "group", "organisation", "place", "capital"):
        return None
    prep, words = om.group("prep"), ctx.words
    if prep in words.located_in and any(r.group in words.located_only or r.person for r in roles):
        return None
    if prep in words.comes_from and not any(r.person for r in roles):
        return None
    if POSSESSIVE.match(text, place.end):
        return None
    sector = next((r.person or r.group for r in roles if not r.title), None)
    ctx.mention(phrase.chain[0].start, place.end, place.entry.name, place.entry.country, sector, "role")
    return k + 1


def _leader_government(ctx: ArticleContext, phrase, roles) -> int | None:
    """'<Name> administration': that leader's government; its country is the leader's, else the country
    whose usage the word is (grammar.yaml)."""
    usage = ctx.words.leader_government
    if roles[0].text not in usage:
        return None
    start = phrase.chain[0].start
    bm = _CAPITALISED_BEFORE.search(ctx.text[max(0, start - 40):start])
    if not bm or bm.group(1) in ctx.words.not_name_words:
        return None
    key = ctx.people.key_for(bm.group(1))
    country = ctx.people[key].country if key else None
    ctx.mention(start - len(bm.group(0)), phrase.cursor, bm.group(1), country or usage[roles[0].text], GOVERNMENT,
                "organisation")
    return phrase.next


def _title_of_person_met(ctx: ArticleContext, phrase, roles, prev: str) -> bool:
    """'the Secretary', 'the President': the latest person whose role has that word."""
    if prev not in ctx.words.definite_article or not any(r.person for r in roles):
        return False
    last = phrase.chain[-1].text.split()[-1].lower()
    key = ctx.people.latest_with_role_word(last)
    if key is None:
        return False
    person = ctx.people[key]
    ctx.mention(phrase.chain[0].start, phrase.cursor, person.name, person.country, person.sector, "title", key)
    return True


def _opens_unparsed_segment(tok) -> bool:
    """The first word of a segment left unparsed: it carries the segment's ROOT label and no part of speech.
    A role word there has never been read as a body on the surface rule (as the other unparsed words are);
    reading it so would add 7 mentions in the first 1,000 allsides articles ("Migrants have no access ...",
    "Refugee resettlement is ...")."""
    return tok.dep_ == "ROOT" and not is_parsed(tok)


def _unnamed(ctx: ArticleContext, phrase, roles, prev: str) -> None:
    """A body or an unnamed official whose country the text does not give here: "police fired", "the
    government said", "the defence minister resigned" — but not a role word used as an adjective ("an
    official statement", "a military standoff"). A state body is left for `bodies.group_countries`."""
    end_tok = ctx.token(phrase.cursor - 1)
    nominal = end_tok is None or (not is_parsed(end_tok) and not _opens_unparsed_segment(end_tok)) or (
        end_tok.pos_ in ("NOUN", "PROPN") and end_tok.dep_ not in ("amod", "compound"))
    if not nominal:
        return
    last = phrase.chain[-1].text
    if last.lower() in ctx.words.many_states and not last.islower():
        return  # "the Alliance of Sahel States": a word of a name, not states
    role_text = " ".join(r.text for r in phrase.chain)
    group = _first(r.group for r in roles)
    person = _first(r.person for r in roles)
    if group in ctx.words.state_bodies:
        ctx.mention(phrase.chain[0].start, phrase.cursor, role_text, None, group, "group")
        ctx.need_group_country.append(ctx.mentions[-1])
    elif group in ctx.words.stateless_groups:
        ctx.mention(phrase.chain[0].start, phrase.cursor, role_text, None, group, "group")  # "rights groups"
    elif group and not person:
        owner = _owner_after(ctx, phrase.cursor)
        if owner is not None:  # "a mining company operated by China"
            ctx.mention(phrase.chain[0].start, phrase.cursor, role_text, owner, group, "group", by="pattern",
                        confidence=0.8)
    elif person and (prev in ctx.words.determiners or ctx.former_before(phrase.chain[0].start) is not None) and \
            not all(r.title for r in roles):
        former = ctx.former_before(phrase.chain[0].start) is not None  # "the former army chief"
        ctx.mention(phrase.chain[0].start, phrase.cursor, role_text, None, FORMER if former else person, "role")


def _owner_after(ctx: ArticleContext, end: int) -> str | None:
    """The country named right after "operated by", "owned by" (grammar.yaml owned_by) at `end`, or None."""
    om = ctx.words.owned_by.match(ctx.text, end)
    if om is None:
        return None
    owner = next((x for x in ctx.matches_in(om.end(), om.end() + 1) if x.entry is not None and
                  x.entry.kind in ("country", "capital", "demonym", "seat") and x.entry.country not in ctx.words.igo_codes),
                 None)
    return owner.entry.country if owner is not None else None


def bare_role(ctx: ArticleContext, phrase) -> int:
    """Role words with neither a name before nor a person's name after: try, in order, an official of a
    country's body, an official of a body of a country, a role of a place, a leader's government, a title
    standing for a person met before, and last an unnamed body or official."""
    roles = [r.role for r in phrase.chain]
    first = phrase.chain[0].start
    former_at = ctx.former_before(first)
    described = appositive_person(ctx, first if former_at is None else former_at) \
        if any(r.person for r in roles) else None
    added = len(ctx.mentions)
    k = None
    om = ctx.words.role_preposition.match(ctx.text, phrase.cursor)
    if om is not None and phrase.chain[-1].text.lower() not in ctx.words.many_states:  # "states of X" are not X's
        for rule in (_official_of_countrys_body, _official_of_body_of_country, _role_of_place):
            k = rule(ctx, phrase, roles, om)
            if k is not None:
                break
    if k is None:
        k = _leader_government(ctx, phrase, roles)
    if k is None:
        k = phrase.next
        prev = ctx.prev_word(first).lower()
        if described is None and not _title_of_person_met(ctx, phrase, roles, prev):
            _unnamed(ctx, phrase, roles, prev)
    if described is not None:
        role = ctx.mentions[-1] if len(ctx.mentions) > added else None
        _describe(ctx, described, roles, role, former_at is not None)
    return k


def _describe(ctx: ArticleContext, person_mention, roles, role, former: bool) -> None:
    """'Wynter Mmolotsi, minister of environment and tourism', 'Cyrus Vance, the former secretary of state',
    'Jane Doe, the president of Armenia': what the role phrase set off after a person's name says of them."""
    person = ctx.people[person_mention.entity]
    sector = role.sector if role is not None and role.sector else _first(r.person for r in roles)
    person.learn(role.country if role is not None else None, FORMER if former else sector, "pattern")
    person.titled = True
    person.former = person.former or former
    person.role = person.role or " ".join(r.text for r in roles)


def country_sides(ctx: ArticleContext) -> None:
    """'the Chinese side', 'the Pakistani state', 'my Chinese colleague': a nationality or a country followed by
    one of grammar.yaml's country_side_nouns, as the head of its phrase, is that country's government (a body,
    or for a person noun one of its officials)."""
    text = ctx.text
    for m in list(ctx.mentions):
        if m.kind not in ("demonym", "country") or not m.country or m.country in ctx.words.igo_codes:
            continue
        nm = ctx.words.country_side.match(text, m.end)
        if nm is None or ctx.overlapping(nm.start(1), nm.end(1)):
            continue
        tok = ctx.token(nm.start(1))
        if tok is None or not is_parsed(tok) or tok.pos_ != "NOUN" or tok.dep_ in ("compound", "amod"):
            continue  # "the Pakistani state media": the media
        role = ctx.lex.roles.get(tok.lemma_.lower())
        kind = "role" if role is not None and role.person else "organisation"
        ctx.remove(m)
        ctx.mention(m.start, nm.end(1), m.name, m.country, GOVERNMENT, kind, by="pattern", confidence=0.8)
