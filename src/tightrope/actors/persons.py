"""People: names after titles, names in apposition to roles, and what a person's mentions share.

A person is known by the role words before their name ("Peruvian Foreign Minister Elena Quispe"), by a role in
apposition ("Tomas Varga, Hungary's interior minister"; "China's commerce minister, Wang Wentao"), by the
people list, or by spaCy's PERSON entities (`entities.ner_people`). Every mention of a person shares the
registry entry (`people.PersonRegistry`), so what one mention says (a country, a sector) reaches the others.
"""

from __future__ import annotations

import re

from ..nlp import is_parsed
from .context import ArticleContext, recode
from .kinds import ORG_KINDS, PLACE_KINDS

_WORD = re.compile(r"\S+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_INITIAL = re.compile(r"[A-Z]\.")
_POSSESSIVE_GAP = re.compile(r"['’]s?\s+")
_COMMA_GAP = re.compile(r",\s*")
_CLAUSE_GOES_ON = re.compile(r"\s*(?:[,.;)]|$)")
_NAME_CONTEXT = 80  # characters searched for a name in apposition


def name_after_title(ctx: ArticleContext, cursor: int, k: int) -> tuple[str, int] | None:
    """The person's name right after a title ending at `cursor` ("President | Donald Trump"), as
    (name, end), or None. The name stops at a word that cannot be part of one (not_name_words), at a
    possessive ("Putin's spokesman"), at a role word or a known non-person name — except a place word after a
    first name that spaCy reads as part of a person ("Marta Kingston") — and, in a parsed sentence, at a word
    that is not a proper noun."""
    text, words_ = ctx.text, ctx.words
    nm = words_.name_after.match(text, cursor)
    if not nm or nm.start(1) - cursor > 2:
        return None
    words: list[str] = []
    pos = nm.start(1)
    for w in _WORD.finditer(nm.group(1)):
        wstart = nm.start(1) + w.start()
        word = w.group()
        if word in words_.not_name_words:
            break
        poss = _POSSESSIVE_END.search(word)
        if poss and len(word) > 2:  # "Putin's spokesman": the name ends here
            word = word[:poss.start()]
            words.append(word)
            pos = wstart + len(word)
            break
        hit = next((x for x in ctx.matches[k:k + 4] if x.start == wstart), None)
        if hit is not None and (hit.role is not None or hit.entry.kind != "person"):
            tk = ctx.token(wstart)
            if not (words and hit.entry is not None and hit.entry.kind in ("capital", "country", "place")
                    and (tk is None or tk.ent_type_ == "PERSON")):
                break
        tok = ctx.token(wstart)
        if tok is not None and is_parsed(tok) and tok.pos_ != "PROPN" and not _INITIAL.match(word):
            break
        words.append(word)
        pos = wstart + len(word)
    return (" ".join(words), pos) if words else None


def titled_name(ctx, phrase) -> int:
    """'<modifier> <roles> <Name>': a person ("Peruvian Foreign Minister Elena Quispe"), or a named body when
    no role word titles a person ("opposition newspaper La Prensa", "Russian energy giant Volgaprom").
    Country: the modifier's, a known person's, the name just before a possessive ("Putin's spokesman Dmitry
    Peskov"), or the one country the title exists in. Returns the index of the next match to read."""
    text, lex = ctx.text, ctx.lex
    chain, modifier, name = phrase.chain, phrase.modifier, phrase.name
    roles = [r.role for r in chain]
    if all(r.title for r in roles) and modifier is None:
        sector = None
    else:
        sector = next((r.person or r.group for r in roles if not r.title), None)
    if modifier is not None and modifier.entry.sector and modifier.entry.kind in ORG_KINDS and \
            chain[-1].role.text in ctx.words.generic_roles:
        sector = modifier.entry.sector  # "Hamas leader", "Pentagon spokesman"
    known = lex.entries.get(name)
    country = None
    if modifier is not None:
        country = phrase.modifier_country
    elif known is not None and known.kind == "person":
        country = known.country
        sector = sector or known.sector
    last = ctx.mentions[-1] if ctx.mentions else None
    if country is None and modifier is None and last is not None and last.country and \
            _POSSESSIVE_GAP.fullmatch(text, last.end, chain[0].start):
        country = last.country  # "Putin's spokesman Dmitry Peskov"
    if country is None:
        country = next((r.role.country for r in chain if r.role.country), None)
    start = modifier.start if modifier is not None else chain[0].start
    if not any(r.person or r.title for r in roles):
        ctx.mention(start, phrase.name_end, name, country, sector, "organisation")
        if country is None:
            ctx.need_body_country.append(ctx.last_position())
    else:
        key = ctx.people.register(name, country, sector, " ".join(r.text for r in chain))
        ctx.mention(start, phrase.name_end, name, country, sector, "person", key)
        if country is None:
            ctx.need_person_country.append(ctx.last_position())
    k = phrase.next
    while k < len(ctx.matches) and ctx.matches[k].start < phrase.name_end:  # every match inside the mention
        k += 1
    return k


def name_before_role(ctx: ArticleContext, phrase, country, sector) -> str | None:
    """'<Name>, [the] <country>'s <role>': the person the role describes. A person just mentioned takes the
    role's country and sector ("Mr. Lindqvist, the Swedish ambassador"); an unknown capitalised name before
    the comma becomes a person ("Tomas Varga, Hungary's interior minister"). Returns the person's key."""
    text, modifier = ctx.text, phrase.modifier
    role_text = " ".join(r.text for r in phrase.chain)
    last = ctx.mentions[-1] if ctx.mentions else None
    if last is not None and last.kind == "person" and last.entity and \
            ctx.words.apposition_gap.fullmatch(text, last.end, modifier.start):
        person = ctx.people[last.entity]
        person.country, person.sector = country, sector
        person.role = person.role or role_text
        last.country, last.sector = country, sector
        recode(last)
        ctx.no_longer_awaiting(ctx.need_person_country, last)
        return last.entity
    before = ctx.words.name_before.search(text, max(0, modifier.start - _NAME_CONTEXT), modifier.start)
    if before is None or any(m.start <= before.start(1) < m.end for m in ctx.mentions):
        return None
    name = before.group(1)
    if name.split()[0] in ctx.words.not_name_words or ctx.lex.entries.get(name) is not None:
        return None
    key = ctx.people.register(name, country, sector, role_text)
    ctx.mention(before.start(1), before.end(1), name, country, sector, "person", key)
    return key


def later_names(ctx: ArticleContext) -> None:
    """Every later mention of a person met by name or surname ("Quispe said"). A surname that is also a place
    ("Kingston said") is the person once they were introduced with a role."""
    if not ctx.people:
        return
    text, people = ctx.text, ctx.people
    forms = people.forms_longest_first()
    name_re = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    for m in name_re.finditer(text):
        s, e = m.start(), m.end()
        key = people.key_for(m.group())
        clash = [x for x in ctx.mentions if x.start < e and s < x.end]
        if clash:
            if len(clash) == 1 and clash[0].kind in PLACE_KINDS and clash[0].start == s and clash[0].end == e \
                    and people[key].role:
                ctx.mentions.remove(clash[0])
            else:
                continue
        person = people[key]
        ctx.mention(s, e, person.name, person.country, person.sector, "person", key)


def role_then_name(ctx: ArticleContext) -> None:
    """'<role>, <Name>': "China's commerce minister, Wang Wentao", "A government spokeswoman, Claire Dubois,".
    The name becomes a person (their country and sector come from `apposition_links`)."""
    text, lex = ctx.text, ctx.lex
    for a in list(ctx.mentions):
        if a.kind not in ("role", "group") or not a.sector:
            continue
        if a.kind == "group" and not lex.names_person(a.text):
            continue
        am = ctx.words.name_start.match(text[a.end:a.end + _NAME_CONTEXT])
        if am is None:
            continue
        s, e = a.end + am.start(1), a.end + am.end(1)
        name = am.group(1)
        if any(x.start < e and s < x.end for x in ctx.mentions) or name.split()[0] in ctx.words.not_name_words or \
                lex.lookup(name) is not None or lex.lookup(name.split()[0]) is not None:
            continue
        key = ctx.people.register(name, None, None, None)
        ctx.mention(s, e, name, None, None, "person", key)


def apposition_links(ctx: ArticleContext) -> None:
    """A person right after a role and a comma takes what the role says of them (country, sector, role):
    "Chile's mining minister, Rosa Pereira," — but "the army, Name" does not name the army."""
    text = ctx.text
    ordered = sorted(ctx.mentions, key=lambda a: (a.start, -a.end))
    for a, b in zip(ordered, ordered[1:]):
        if a.kind not in ("role", "group") or b.kind != "person" or b.entity not in ctx.people or not a.sector:
            continue
        if not _COMMA_GAP.fullmatch(text, a.end, b.start) or not _CLAUSE_GOES_ON.match(text[b.end:b.end + 2]):
            continue
        if a.kind == "group" and not ctx.lex.names_person(a.text):
            continue
        person = ctx.people[b.entity]
        if person.country is None and a.country:
            person.country = a.country
        if person.sector is None:
            person.sector = a.sector
        if not person.role:
            person.role = a.text
        ctx.no_longer_awaiting(ctx.need_person_country, b)


def person_countries_from_context(ctx: ArticleContext) -> None:
    """A titled person whose country the text does not say takes the country named nearest in the sentence
    ("President Laurent Gbagbo" in a sentence about Ivory Coast)."""
    for m in ctx.awaiting(ctx.need_person_country):
        if m.country is None:
            country = ctx.country_near(m.start, m.end)
            if country and m.entity in ctx.people and ctx.people[m.entity].country is None:
                ctx.people[m.entity].country = country


def complete_people(ctx: ArticleContext) -> None:
    """Every mention of a person (by name or title) takes what the article said of them anywhere."""
    for m in ctx.mentions:
        if m.kind in ("person", "title") and m.entity in ctx.people:
            person = ctx.people[m.entity]
            if m.country is None and person.country:
                m.country = person.country
            if m.sector is None and person.sector:
                m.sector = person.sector
            recode(m)

