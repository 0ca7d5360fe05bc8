"""Who each speaker is: the person behind "he said", and the country a speaker stands for.

The attribution passes give every quote the actor its source phrase stands for (`phrases.speaker_actor`):
a mention of the actors stage, widened to the phrase, or a bare phrase of kind "source". This pass, run on
the quotes of an article in text order, completes them with what only the sequence of quotes shows:

* **he / she**: the person most recently *in the reporter's focus* before the pronoun — the last speaker of
  a quote, or a person named in the reporter's own words (never a name inside someone's quoted or reported
  words, nor inside another speaker's source phrase: "Gabuev said Putin wants ... “...,” he said" is
  Gabuev's). A person known by
  another pronoun ("she" in their chain) is passed over. Where nothing is in focus within `REACH`
  characters, the actors stage's own resolution of the pronoun stands.
* **who / that**: the noun the relative clause hangs on ("Lamou, who said ...").
* **they / it**: the last speaker before it that is not a person (a group, a body, a country).
* **the minister / the railway official**: the person quoted last, when the description shares a word with a
  phrase that introduced them ("Imran Hayat, the divisional railway superintendent ..."); else unresolved.
* **the country a speaker stands for**, when the actors stage gave none: the country of the speaker's
  entity elsewhere in the article (every mention of a chain is one person), else the one country named in
  the speaker's own source phrase ("a lecturer at a university in Ankara", "an Italian Sinologist",
  "the Berlin-based centre's director"), else the country found so for another quote of the same entity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..actors.context import actor_code
from ..actors.kinds import PERSON_KINDS
from ..nlp import token_at
from ..records import Actor, Quote
from .context import QuoteContext
from .phrases import source_phrase

# how far back (characters) a pronoun speaker looks for the person in focus
REACH = 2000


def resolve_speakers(ctx: QuoteContext, quotes: Sequence[Quote]) -> None:
    """Complete the speakers of `quotes` (in text order) in place: pronouns to their person, and countries."""
    if not quotes:
        return
    gender = _known_genders(ctx)
    focus = _reporter_focus(ctx, quotes)  # (position, person mention) in the reporter's words
    spoken: list[tuple[int, Actor]] = []  # (position, resolved speaker) of the quotes so far
    phrases: dict[str, set[str]] = {}  # speaker key -> content words of the phrases that named them
    said: list[tuple[int, Actor]] = []  # (position, speaker) of the quotes so far whose speaker is no person
    for q in quotes:
        sp = q.speaker
        if sp is None:
            continue
        pronoun = sp.text.lower()
        person = _is_person(sp)
        if pronoun in ctx.rules.relative_pronouns:
            found = _relative_antecedent(ctx, sp)
            if found is not None:
                q.speaker = sp = _as_pronoun(sp, found)
                person = _is_person(found)
        elif pronoun in ctx.rules.male_pronouns or pronoun in ctx.rules.female_pronouns:
            found = _in_focus(sp.start, pronoun, spoken, focus, gender, ctx)
            if found is not None:
                q.speaker = sp = _as_pronoun(sp, found)
                person = True
            if sp.entity:
                gender.setdefault(sp.entity, _gender_of(pronoun, ctx))
        elif pronoun in ctx.rules.group_pronouns and not sp.entity:
            found = _last_body(sp.start, said)
            if found is not None:
                q.speaker = sp = _as_pronoun(sp, found)
        elif not sp.entity and _description(ctx, sp.text):
            found = _described(ctx, sp, spoken, phrases)
            if found is not None:
                q.speaker = sp = _as_pronoun(sp, found)
                person = True
        if not person and sp.text.lower() not in ctx.rules.group_pronouns:
            said.append((sp.start, sp))
        if person:
            spoken.append((sp.start, sp))
            phrases.setdefault(_key(sp), set()).update(_content_words(ctx, q.speaker.text))
    _complete_countries(ctx, quotes)


def _last_body(pos: int, said: list[tuple[int, Actor]]) -> Actor | None:
    """The speaker a "they" or "it" stands for: the last speaker before it, within REACH, that is not a
    person (a group, a body, a country)."""
    before = [(p, a) for p, a in said if pos - REACH <= p < pos]
    return max(before, key=lambda pa: pa[0])[1] if before else None


def _key(a: Actor) -> str:
    return a.entity or a.name or a.text


def _content_words(ctx: QuoteContext, phrase: str) -> set[str]:
    return {w for w in _WORDS.findall(phrase.lower()) if w not in ctx.rules.stopwords
            and w not in ctx.rules.definite_determiners}


def _description(ctx: QuoteContext, phrase: str) -> bool:
    """A definite description of one person: "the minister", "the railway official" (a determiner and up to
    four lower-case words, not headed by a plural or by a noun for a body: "the group", "the officials")."""
    words = phrase.split()
    return (2 <= len(words) <= 5 and words[0].lower() in ctx.rules.definite_determiners
            and all(w[:1].islower() for w in words[1:]) and words[-1].lower() not in ctx.rules.collective_nouns
            and not words[-1].lower().endswith("s"))


def _described(ctx: QuoteContext, sp: Actor, spoken: list[tuple[int, Actor]],
               phrases: dict[str, set[str]]) -> Actor | None:
    """The last person quoted before a definite description, within REACH, when the description shares a word
    with how that person was introduced ("Imran Hayat, the divisional railway superintendent ..." ... "the
    railway official said"); nobody else (the description may bring in someone new)."""
    before = [(p, a) for p, a in spoken if sp.start - REACH <= p < sp.start]
    if not before:
        return None
    last = max(before, key=lambda pa: pa[0])[1]
    return last if _content_words(ctx, sp.text) & phrases.get(_key(last), set()) else None


def _is_person(a: Actor) -> bool:
    """A speaker that can be "he" or "she": a person mention, or a bare source phrase headed by a name."""
    if a.kind in PERSON_KINDS or (a.entity or "").startswith("person:"):
        return True
    return a.kind == "source" and a.text[:1].isupper() and a.name is None and _named(a.text)


def _named(phrase: str) -> bool:
    """A phrase that opens with two capitalised words ("Siyoka Simasiku, director ..."): a person's name."""
    words = phrase.split(",")[0].split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words[:2])


def _gender_of(pronoun: str, ctx: QuoteContext) -> str:
    return "m" if pronoun in ctx.rules.male_pronouns else "f"


def _known_genders(ctx: QuoteContext) -> dict[str, str]:
    """entity -> "m"/"f" from the pronouns the actors stage put in its chain (the first one found)."""
    out: dict[str, str] = {}
    for a in ctx.actors:
        if a.entity and a.kind == "pronoun":
            w = a.text.lower()
            if w in ctx.rules.male_pronouns or w in ctx.rules.female_pronouns:
                out.setdefault(a.entity, _gender_of(w, ctx))
    return out


def _reporter_focus(ctx: QuoteContext, quotes: Sequence[Quote]) -> list[tuple[int, Actor]]:
    """Person mentions in the reporter's own words, in text order: outside every quotation mark, every quote's
    content and every other speaker's source phrase ("Nenad Stevandic, a close ally of Dodik, said")."""
    contents = [(q.start, q.end) for q in quotes]
    phrases = [(q.speaker.start, q.speaker.end, q.speaker.entity) for q in quotes if q.speaker is not None]
    out = []
    for a in ctx.actors:
        if a.kind not in PERSON_KINDS or a.kind == "pronoun" or not a.entity:
            continue
        if ctx.in_quote(a.start) or any(s <= a.start < e for s, e in contents):
            continue
        if any(s <= a.start < e and entity != a.entity for s, e, entity in phrases):
            continue
        out.append((a.start, a))
    return out


def _in_focus(pos: int, pronoun: str, spoken: list[tuple[int, Actor]], focus: list[tuple[int, Actor]],
              gender: dict[str, str], ctx: QuoteContext) -> Actor | None:
    """The person in focus before `pos`: the latest earlier speaker or reporter's-sentence subject within
    REACH whose known gender does not contradict the pronoun."""
    want = _gender_of(pronoun, ctx)
    cands = [(p, a) for p, a in spoken + focus if pos - REACH <= p < pos]
    for _, a in sorted(cands, key=lambda pa: -pa[0]):
        if a.text.lower() in ctx.rules.male_pronouns | ctx.rules.female_pronouns and not a.entity:
            continue
        if gender.get(a.entity or "", want) != want:
            continue
        return a
    return None


def _relative_antecedent(ctx: QuoteContext, sp: Actor) -> Actor | None:
    """The speaker a relative pronoun stands for: "Lamou, who said ..." is Lamou (the source phrase of the
    noun the relative clause hangs on)."""
    tok = token_at(ctx.doc, sp.start)
    if tok is None or tok.idx != sp.start or tok.head.dep_ != "relcl" or tok.head.head is tok.head:
        return None
    return ctx.speaker(source_phrase(tok.head.head, ctx.rules))


def _as_pronoun(pron: Actor, who: Actor) -> Actor:
    """The pronoun's span standing for `who`: the name, country, sector, code and entity of `who`."""
    return replace(who, text=pron.text, start=pron.start, end=pron.end, kind="pronoun",
                   name=who.name if who.name is not None else who.text.split(",")[0])


def _complete_countries(ctx: QuoteContext, quotes: Sequence[Quote]) -> None:
    """Give speakers without a country the country of their entity, or of their source phrase."""
    by_entity: dict[str, Actor] = {}
    for a in ctx.actors:
        if a.entity and a.country and a.entity not in by_entity:
            by_entity[a.entity] = a
    for q in quotes:
        sp = q.speaker
        if sp is None or sp.country or not sp.entity:
            continue
        known = by_entity.get(sp.entity)
        if known is not None:
            q.speaker = replace(sp, country=known.country, sector=sp.sector or known.sector,
                                code=actor_code(known.country, sp.sector or known.sector))
    for q in quotes:
        sp = q.speaker
        if sp is None or sp.country or not _is_person(sp):
            continue
        country = _phrase_country(ctx, sp)
        if country is not None:
            q.speaker = sp = replace(sp, country=country, code=actor_code(country, sp.sector))
            if sp.entity:
                by_entity.setdefault(sp.entity, sp)
    for q in quotes:
        sp = q.speaker
        if sp is not None and not sp.country and sp.entity and sp.entity in by_entity:
            known = by_entity[sp.entity]
            q.speaker = replace(sp, country=known.country, code=actor_code(known.country, sp.sector))


def _phrase_country(ctx: QuoteContext, sp: Actor) -> str | None:
    """The one country a speaker's source phrase ties the speaker to ("a lecturer at a university in Ankara",
    "an Italian Sinologist", "Cameroon's farmers' association", "the Berlin-based centre"); None when it
    names none or more than one. Only the phrase up to its second comma or first relative clause is read
    (what a company of the speaker's does is not where the speaker is from), and a place is an affiliation
    only after an affiliation preposition, before a possessive or "-based", or as a demonym before a title:
    not a place inside a longer name ("a Vietnam War veteran") nor a topic ("an expert on Russian ties")."""
    text = ctx.text
    end = _affiliation_end(ctx, sp)
    countries = set()
    for a in ctx.actors:
        if not (sp.start <= a.start and a.end <= end) or not a.country or a.kind in PERSON_KINDS:
            continue
        if a.entity and a.entity == sp.entity:
            continue
        after = text[a.end:a.end + 7]
        if _POSSESSIVE_OR_BASED.match(after):
            countries.add(a.country)
            continue
        next_word = _NEXT_WORD.match(text, a.end)
        continues_name = next_word is not None and next_word.group(1)[:1].isupper()
        if text[a.start - 1:a.start] == "-":
            continue  # part of a compound ("Western-Russian ties")
        before = _WORDS.findall(text[sp.start:a.start])
        if any(w.lower() in ctx.rules.subject_prepositions for w in before[-4:]):
            continue  # what the speaker knows about, not where they are from ("an expert on Russian ties")
        while before and before[-1].lower() in ctx.rules.holder_determiners:
            before.pop()
        if before and before[-1].lower() in ctx.rules.affiliation_prepositions and not continues_name:
            countries.add(a.country)
        elif a.kind == "demonym" and (next_word is None or a.end + len(next_word.group(0)) >= end
                                      or not continues_name):
            countries.add(a.country)
    return countries.pop() if len(countries) == 1 else None


_POSSESSIVE_OR_BASED = re.compile(r"(?:['’]s\b|-based\b)")
_NEXT_WORD = re.compile(r"[ \t]+([\w’'.-]+)")
_WORDS = re.compile(r"[\w’'-]+")


def _affiliation_end(ctx: QuoteContext, sp: Actor) -> int:
    """Where the part of a source phrase that may say where the speaker is from ends: before its second
    comma or its first relative pronoun."""
    text = ctx.text
    end = sp.end
    first = text.find(",", sp.start, end)
    if first != -1:
        second = text.find(",", first + 1, end)
        if second != -1:
            end = second
    for m in _WORDS.finditer(text, sp.start, end):
        if m.group(0).lower() in ctx.rules.relative_pronouns:
            return m.start()
    return end
