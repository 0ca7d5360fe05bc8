"""A name standing alone: a country, capital, seat of power, demonym, organisation or known person.

Metonymy decides the sector: a country or capital that acts is its government ("Tokyo protested" → JPNGOV);
after a place preposition it is only where something happens ("floods in Brazil", "speaking to reporters in
Nairobi") and has no sector. A demonym names people: "ethnic Hungarians in Slovakia" and "Kenyans living in
Tanzania" are people of the place they live in. A name with a second reading (data/ambiguous_names.tsv: the US
state of Georgia, the bird) takes it when the text says so, and a place word inside a person's name ("Michael
Jordan") is no mention at all.
"""

from __future__ import annotations

import re

from ..nlp import is_parsed
from .candidates import Match
from .context import ArticleContext
from .kinds import CIVILIANS, GOVERNMENT
from .words import AmbiguousName

_CLAUSE_END_BEFORE = re.compile(r"[.;:!?]\s")
_CLAUSE_END_AFTER = re.compile(r"[.;:!?](?:\s|$)")
_TOWN_COMMA = re.compile(r"[A-Z][a-z]+,\s+$")  # "Atlanta, Georgia": a US state after its town
_CONTEXT_BEFORE = 30  # characters before a name searched for the words that decide its reading
_PLACE_EVENT_CONTEXT = 60


def is_person_name_part(ctx: ArticleContext, match: Match) -> bool:
    """Jordan in "Michael Jordan", Chad in "Chad Smith", Washington in "George Washington": spaCy reads a
    longer PERSON entity around the place word, none of whose other words is a place."""
    tok = ctx.token(match.start)
    if tok is None or tok.ent_type_ != "PERSON" or not is_parsed(tok):
        return False
    ent = ctx.ent_at(tok.i)
    if ent is None or len(ent) < 2 or (ent.start_char >= match.start and ent.end_char <= match.end):
        return False
    others = [t for t in ent if not (match.start <= t.idx < match.end)]
    return all(ctx.lex.entries.get(t.text) is None or ctx.lex.entries[t.text].kind == "person" for t in others)


_SENTENCE_OPENS = re.compile(r"(?:[.!?:;\n]|[\"“‘(])\s*$")
_NAME_BEFORE = re.compile(r"([A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.) $")


def _part_of_another_name(ctx: ArticleContext, match: Match) -> bool:
    """A known person's surname with another given name before it ("Cyrus Vance", "Melania Trump"): a
    capitalised word right before that is not a role, a title or another name the dictionaries know; or, in a
    parsed sentence, a longer PERSON entity around it that is none of the person's own forms."""
    tok = ctx.token(match.start)
    if tok is not None and is_parsed(tok) and tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I":
        first = tok
        while first.i > 0 and first.ent_iob_ == "I":
            first = first.doc[first.i - 1]
        before = ctx.text[first.idx:match.start].split()
        if before and ctx.lex.entries.get(" ".join(before + [match.text])) is not match.entry and \
                not any(ctx.lex.lookup(w) is not None for w in before):
            return True
    bm = _NAME_BEFORE.search(ctx.text, max(0, match.start - 30), match.start)
    if bm is None or _SENTENCE_OPENS.search(ctx.text, max(0, bm.start(1) - 3), bm.start(1)) or bm.start(1) == 0:
        return False  # "But Trump said": a capitalised word opening a sentence
    word = bm.group(1)
    prev_tok = ctx.token(bm.start(1))
    if prev_tok is not None and is_parsed(prev_tok) and prev_tok.pos_ != "PROPN":
        return False
    return word not in ctx.words.not_name_words and ctx.lex.lookup(word) is None and \
        ctx.lex.lookup(word.rstrip(".")) is None


def _clause(ctx: ArticleContext, match: Match) -> tuple[int, int]:
    """The clause around a match: its sentence cut at the nearest . ; : ! ? on either side."""
    text = ctx.text
    s0, s1 = ctx.sentence_of(match.start)
    cut = [m.end() for m in _CLAUSE_END_BEFORE.finditer(text[s0:match.start])]
    s0 = s0 + cut[-1] if cut else s0
    after = _CLAUSE_END_AFTER.search(text[match.end:s1])
    s1 = match.end + after.start() if after else s1
    return s0, s1


def _cued(name: AmbiguousName, text: str, start: int = 0, end: int | None = None) -> bool:
    end = len(text) if end is None else end
    return bool(name.cues.search(text, start, end)) and not (name.against and name.against.search(text, start, end))


def second_reading(ctx: ArticleContext, name: AmbiguousName, match: Match) -> bool:
    """Whether a bare mention of an ambiguous name takes its second reading: decided by the words right
    around it, then its clause, then the whole article (see data/ambiguous_names.tsv)."""
    text = ctx.text
    if name.not_after is not None and name.not_after.match(text, match.end):
        return False
    before = text[max(0, match.start - _CONTEXT_BEFORE):match.start]
    if name.before is not None and name.before.search(before):
        return True
    if name.kind == "us_state" and _TOWN_COMMA.search(before):
        return True
    if name.after is not None and name.after.match(text, match.end):
        return True
    if name.cues is None:
        return False
    if _cued(name, text, *_clause(ctx, match)):
        return True
    return ctx.article_cued(name.form, lambda: _cued(name, text))


def _demonym_residence(ctx: ArticleContext, match: Match, i: int, country: str | None) -> str | None:
    """'Albanians of southern Serbia', 'Turks living in Germany': the country of the place they live in."""
    lm = ctx.words.residence.match(ctx.text, match.end)
    nxt = ctx.matches[i + 1] if i + 1 < len(ctx.matches) else None
    if lm and nxt is not None and nxt.start == lm.end() and nxt.entry is not None and \
            nxt.entry.kind in ("country", "place", "capital") and nxt.entry.country != country:
        return nxt.entry.country
    return None


def _preposition_before(ctx: ArticleContext, start: int) -> str:
    """The word before a name, lower-cased, looking past a direction ("in southern Lebanon" → "in")."""
    prev = ctx.prev_word(start).lower()
    if prev in ctx.words.directions:
        prev = ctx.prev_word(start - len(prev) - 1).lower()
    return prev


def _names_a_thing(ctx: ArticleContext, match: Match) -> bool:
    """A place name before an agreement, a meeting or a process named after it ("the Paris agreement", "the
    Paris climate accord", "the Minsk agreements"): data/named_after_places.txt, right after the name or, in a
    parsed sentence, as the noun the name modifies."""
    if ctx.words.named_after_place.match(ctx.text, match.end):
        return True
    tok = ctx.token(match.end - 1)  # the name's last word: "States" in "the United States"
    if tok is None or not is_parsed(tok) or tok.dep_ not in ("compound", "amod", "nmod") or tok.head.i <= tok.i:
        return False
    head = tok.head
    while head.dep_ in ("compound", "amod") and head.head.i > head.i:
        head = head.head
    return head.lower_ in ctx.words.named_after_place_words


def bare_name(ctx: ArticleContext, phrase, i: int) -> int:
    """A name with no role words after it. Returns the index of the next match to read."""
    it = phrase.first
    e = it.entry
    if e.kind in ("country", "capital", "place") and is_person_name_part(ctx, it):
        return i + 1
    if e.kind == "person":
        if _part_of_another_name(ctx, it):
            return i + 1  # "Cyrus Vance" is not JD Vance: the entity pass reads the whole name
        key = ctx.people.register(e.name, None, None, e.role)
        person = ctx.people[key]
        person.learn(e.country, e.sector, "user" if e.user else "lexicon")
        ctx.mention(it.start, it.end, person.name, person.country, person.sector, "person", key)
        return i + 1
    text, words = ctx.text, ctx.words
    country, sector, kind, name = e.country, e.sector_on(ctx.day), e.kind, e.name
    prev = _preposition_before(ctx, it.start)
    ambiguous = words.ambiguous.get(it.text)
    if ambiguous is not None and second_reading(ctx, ambiguous, it):
        if ambiguous.kind is None:
            return i + 1  # "Turkey sandwich": no actor
        country, sector, kind, name = ambiguous.country, None, ambiguous.kind, ambiguous.name
    named_after = _names_a_thing(ctx, it)
    if kind in ("capital", "place") and named_after:
        return i + 1  # "the Paris agreement", "the Astana talks": named after the place, no actor
    if kind == "country":
        tok = ctx.token(it.end - 1)  # the name's last word: "States" in "the United States"
        if named_after:
            sector = None  # "the Iran deal": what it is about
        elif prev in words.not_acting_after:
            sector = None
        elif tok is not None and is_parsed(tok) and tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i:
            sector = None  # "the Brazil office": a modifier, not the actor
        else:
            sector = GOVERNMENT
    elif kind == "capital":
        # "speaking in Kuala Lumpur" is a place; "concerns in New Delhi" is the government
        sector = GOVERNMENT
        if prev in words.place_prepositions and \
                words.place_event.search(text[max(0, it.start - _PLACE_EVENT_CONTEXT):it.start]):
            sector = None
    elif kind == "demonym" and prev in words.ethnic_words:
        country, sector, name, kind = phrase.modifier_country, CIVILIANS, it.text, "ethnic"
    elif kind == "demonym" and it.text.endswith("s"):
        lives_in = _demonym_residence(ctx, it, i, country)
        if lives_in is not None:
            country, sector, name, kind = lives_in, CIVILIANS, it.text, "ethnic"
        else:
            sector = CIVILIANS  # "Palestinians", "Nigerians": people of a country, not its state
    elif kind == "demonym":
        sector = CIVILIANS  # "a Palestinian prisoner", "Algerian landowners": people or things of a country
    ctx.mention(it.start, it.end, name, country, sector, kind)
    return i + 1
