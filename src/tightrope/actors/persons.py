"""People: names after titles, names in apposition to roles, and what a person's mentions share.

A person is known by the role words before their name ("Peruvian Foreign Minister Elena Quispe"), by a role in
apposition ("Tomas Varga, Hungary's interior minister"; "China's commerce minister, Wang Wentao"), by the
people list, or by spaCy's PERSON entities (`entities.ner_people`). Every mention of a person shares the
registry entry (`people.PersonRegistry`), so what one mention says (a country, a sector) reaches the others.
"""

from __future__ import annotations

import re

from ..nlp import is_parsed
from .bodies import home_country
from .context import ArticleContext, recode
from .kinds import FORMER, ORG_KINDS, PLACE_KINDS
from .people import surname_forms

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
        sector = modifier.entry.sector_on(ctx.day)  # "Hamas leader", "Pentagon spokesman"
    known = lex.entries.get(name)
    country, country_by, sector_by = None, "pattern", "pattern"
    if modifier is not None:
        country = phrase.modifier_country
    elif known is not None and known.kind == "person":
        country = known.country
        country_by = "user" if known.user else "lexicon"
        if sector is None:
            sector, sector_by = known.sector, country_by
    last = ctx.mentions[-1] if ctx.mentions else None
    if country is None and modifier is None and last is not None and last.country and \
            _POSSESSIVE_GAP.fullmatch(text, last.end, chain[0].start):
        country, country_by = last.country, "pattern"  # "Putin's spokesman Dmitry Peskov"
    if country is None:
        country, country_by = next((r.role.country for r in chain if r.role.country), None), "pattern"
    start = modifier.start if modifier is not None else chain[0].start
    if not any(r.person or r.title for r in roles):
        if all(r.text[:1].isupper() for r in chain):
            # "Somali Public Agenda": capitalised group nouns are words of the body's name, not its kind
            name = text[start:phrase.name_end]
            sector = next((sec for rx, sec in ctx.words.organisation_heads if rx.search(name)), None)
        elif modifier is None or modifier.entry.kind not in ORG_KINDS or chain[-1].role.text not in ctx.words.generic_roles:
            # "opposition newspaper La Prensa": the last noun before the name says what the body is
            sector = chain[-1].role.group or sector
        ctx.mention(start, phrase.name_end, name, country, sector, "organisation", by="pattern" if country else None,
                    confidence=0.8 if country else None)
        if country is None:
            ctx.need_body_country.append(ctx.mentions[-1])
    else:
        titled = any(r.person for r in roles)
        former = titled and ctx.former_before(start) is not None
        key = ctx.people.register(name, None, None, " ".join(r.text for r in chain), titled=titled, former=former)
        person = ctx.people[key]
        person.learn(country, None, country_by)
        person.learn(None, FORMER if former else sector, sector_by)
        ctx.mention(start, phrase.name_end, name, person.country, person.sector, "person", key)
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
    start = ctx.former_before(modifier.start)
    former = start is not None
    start = modifier.start if start is None else start
    if former:
        sector = FORMER
    last = appositive_person(ctx, start)
    if last is not None:
        person = ctx.people[last.entity]
        person.learn(country, sector, "pattern")
        person.titled = True
        person.former = person.former or former
        person.role = person.role or role_text
        last.country, last.sector = person.country, person.sector
        recode(last)
        return last.entity
    before = ctx.words.name_before.search(text, max(0, start - _NAME_CONTEXT), start)
    if before is None or ctx.overlapping(before.start(1), before.start(1) + 1):
        return None
    name = before.group(1)
    if name.split()[0] in ctx.words.not_name_words or ctx.lex.entries.get(name) is not None:
        return None
    key = ctx.people.register(name, country, sector, role_text, titled=True, former=former)
    ctx.mention(before.start(1), before.end(1), name, country, sector, "person", key)
    return key


def appositive_person(ctx: ArticleContext, start: int):
    """The person mention right before a role that starts at `start`, set off by a comma ("Mr. Lindqvist, the
    Swedish ambassador"; "Cyrus Vance, the former secretary of state"), or None."""
    last = next((m for m in reversed(ctx.mentions) if m.end <= start), None)
    if last is not None and last.kind == "person" and last.entity and last.entity in ctx.people and \
            ctx.words.apposition_gap.fullmatch(ctx.text, last.end, start):
        return last
    return None


_LEADING_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


def name_occurrences(text: str, forms) -> list[tuple[int, int, str]]:
    """Where any of `forms` (names, as written) stands in `text` as a whole word sequence, left to right, not
    overlapping, the longest form at each place first. Each candidate place is a word start; only the forms
    whose leading word is that word are tried there, so the cost grows with the text, not with text × forms
    (an alternation of every name in one regex tries each name at each place)."""
    by_word: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):
        lead = _LEADING_WORD.match(form)
        if lead is not None and lead.start() == 0:
            by_word.setdefault(lead.group(), []).append(form)
    if not by_word:
        return []
    firsts = "".join(sorted({re.escape(w[0]) for w in by_word}))
    out = []
    pos = 0
    for w in re.finditer(r"(?<![\w.])[" + firsts + r"]\w*", text):
        if w.start() < pos:
            continue
        for form in by_word.get(w.group(), ()):
            end = w.start() + len(form)
            if text.startswith(form, w.start()) and not _WORD_CHAR.match(text, end):
                out.append((w.start(), end, form))
                pos = end
                break
    return out


def later_names(ctx: ArticleContext) -> None:
    """Every later mention of a person met by name or surname ("Quispe said"). A surname that is also a place
    ("Kingston said") is the person once they were introduced with a role."""
    if not ctx.people:
        return
    text, people = ctx.text, ctx.people
    for s, e, form in name_occurrences(text, people.forms_longest_first()):
        key = people.key_for(form)
        clash = ctx.overlapping(s, e)
        if clash:
            if len(clash) == 1 and clash[0].kind in PLACE_KINDS and clash[0].start == s and clash[0].end == e \
                    and people[key].role:
                ctx.remove(clash[0])
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
        if ctx.overlapping(s, e) or name.split()[0] in ctx.words.not_name_words or \
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
        former = ctx.former_before(a.start) is not None
        person.learn(a.country, FORMER if former else a.sector, "pattern")
        person.titled = person.titled or ctx.lex.names_person(a.text)
        person.former = person.former or former
        if not person.role:
            person.role = a.text


def countrys_person(ctx: ArticleContext) -> None:
    """'Uganda's Bobi Wine', 'Russia's Lavrov': a person named right after a country's possessive is of that
    country."""
    ordered = sorted(ctx.mentions, key=lambda a: (a.start, -a.end))
    for a, b in zip(ordered, ordered[1:]):
        if a.kind in ("country", "capital") and b.kind == "person" and b.entity in ctx.people and \
                _POSSESSIVE_GAP.fullmatch(ctx.text, a.end, b.start):
            ctx.people[b.entity].learn(a.country, None, "pattern")


def roles_after_names(ctx: ArticleContext) -> None:
    """'Wynter Mmolotsi, minister of environment and tourism, said', 'Cyrus Vance, the former secretary of
    state': a person (found by any pass) followed by a comma and role words is what those words say, with the
    country of the role phrase's mention if it has one ("..., the president of Armenia")."""
    text, words = ctx.text, ctx.words
    roles_at = {x.start: x for x in ctx.matches if x.role is not None}
    for m in list(ctx.mentions):
        if m.kind != "person" or m.entity not in ctx.people:
            continue
        gap = words.apposition_gap.match(text, m.end)
        if gap is None:
            continue
        at = gap.end()
        former = words.former_word.match(text, at)
        if former is not None:
            at = former.end()
        role = roles_at.get(at)
        if role is None or role.role.person is None or role.role.title:
            continue
        phrase = next((x for x in ctx.starting_in(gap.end(), at + 1) if x.start in (gap.end(), at) and x is not m),
                      None)
        person = ctx.people[m.entity]
        sector = FORMER if former else (phrase.sector if phrase is not None and phrase.sector else role.role.person)
        person.learn(phrase.country if phrase is not None and phrase.kind == "role" else None, sector, "pattern")
        person.titled = True
        person.former = person.former or former is not None
        person.role = person.role or role.text


def person_countries_from_context(ctx: ArticleContext) -> None:
    """A person with a political title ("President Laurent Gbagbo", "Minister of Justice X", "opposition leader
    X"; sectors.yaml political_sectors) whose country neither the text nor the knowledge base gives takes the
    country named nearest in the sentence (not a person's), else the one the article is about. A person known
    only by name, or by a courtesy title ("Mr Kushner"), takes none: a country named near a name says nothing
    about whose citizen or official that person is."""
    home = None
    first: dict[str, object] = {}
    for m in ctx.mentions:
        if m.kind == "person" and m.entity in ctx.people:
            first.setdefault(ctx.people.canonical(m.entity), m)
    for key, m in first.items():
        person = ctx.people[key]
        if person.country is not None or not person.titled or person.sector not in ctx.words.political_sectors:
            continue
        country = ctx.country_near(m.start, m.end)
        if country and country not in ctx.words.igo_codes:
            person.learn(country, None, "context")
            continue
        home = home or home_country(ctx)
        s0, s1 = ctx.sentence_of(m.start)
        if home is not None and not any(x.country == home for x in ctx.starting_in(s0, s1)):
            # "Minister of Justice X" in a story about one country; not when the sentence names that country
            # for another party ("between commissioner X and Peru's minister")
            person.learn(home, None, "context", 0.5)


def merge_people(ctx: ArticleContext) -> None:
    """A person first met by surname alone ("Mr Kushner", "Kushner said") and later by full name ("Jared
    Kushner") is one person, when exactly one full name in the article ends with that surname; so is a
    person whose name is another's without a middle initial or a title word."""
    people = ctx.people
    if not people:
        return
    full: dict[str, set[str]] = {}
    for key, person in people.items():
        words = person.name.split()
        if len(words) > 1:
            for surname in {_surname(words[-1]), *surname_forms(_surname(words[-1]))}:
                full.setdefault(surname, set()).add(key)
    for key, person in list(people.items()):
        words = person.name.split()
        if len(words) != 1:
            continue
        into = full.get(_surname(words[0]), set()) - {key}
        if len(into) == 1:
            people.merge(key, into.pop())
    # "Vance said" matched the people list's JD Vance, but the article names Cyrus Vance and never JD Vance:
    # the bare surname is the person the article names
    bare = [m for m in ctx.mentions if m.kind == "person" and m.entity in people and len(m.text.split()) == 1
            and people[m.entity].country_by in ("lexicon", None)]
    if not bare:
        return
    named = {form for _, _, form in name_occurrences(ctx.text, {people[m.entity].name for m in bare})}
    for m in bare:
        if people[m.entity].name in named:
            continue
        into = full.get(_surname(m.text), set()) - {people.canonical(m.entity)}
        if len(into) == 1:
            m.entity = into.pop()


def _surname(word: str) -> str:
    return _POSSESSIVE_END.sub("", word)


def complete_people(ctx: ArticleContext) -> None:
    """Every mention of a person (by name or title) is what the article and the knowledge base said of them
    anywhere: one entity key, country and sector for the whole chain, and where they came from."""
    people = ctx.people
    for m in ctx.mentions:
        if m.kind in ("person", "title") and m.entity in people:
            m.entity = people.canonical(m.entity)
            person = people[m.entity]
            m.name = person.name
            m.country, m.sector = person.country, person.sector
            recode(m)
            by = person.country_by if person.country else person.sector_by if person.sector else None
            if by is None:
                m.resolved_by, m.confidence = None, None
            elif m.kind == "title":
                m.resolved_by, m.confidence = "coreference", round((person.confidence or 0.8) * 0.9, 3)
            else:
                m.resolved_by = "lexicon" if by == "user" else by
                m.confidence = person.confidence if person.country else 0.6

