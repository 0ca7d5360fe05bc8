"""Phrases: the lexicon matches that stand together — a name, the role words after it, a person's name after
those — read left to right from one match (`read_phrase`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp import is_parsed
from .candidates import Match
from .context import ArticleContext
from .kinds import MODIFIER_KINDS, PLACE_KINDS, NAME_KINDS_BEFORE_GAP
from .persons import name_after_title

POSSESSIVE = re.compile(r"['’]s?(?=\s)")


@dataclass
class Phrase:
    """Matches read together: an optional `modifier` (a name: country, demonym, organisation, person, ...),
    an optional `chain` of role words after it, and the person's `name` after the chain, if any."""

    first: Match
    modifier: Match | None
    chain: list[Match]
    cursor: int  # where the modifier and chain end
    next: int  # index of the first match after the chain
    modifier_country: str | None = None  # the country the modifier stands for here
    name: str | None = None
    name_end: int = 0


def extend_chain(ctx: ArticleContext, k: int, cursor: int, chain: list[Match], hyphen: bool = False) -> tuple[int, int]:
    """Append to `chain` the role words that follow `cursor` with only spaces (or a hyphen) between;
    returns (index after them, where they end)."""
    items, text = ctx.matches, ctx.text
    gaps = ("", "-") if hyphen else ("",)
    while k < len(items) and items[k].role is not None and text[cursor:items[k].start].strip() in gaps and \
            items[k].start - cursor <= 2 and "\n" not in text[cursor:items[k].start]:  # not across a paragraph
        chain.append(items[k])
        cursor = items[k].end
        k += 1
    return k, cursor


def _nominal_gap(ctx: ArticleContext, start: int, end: int) -> bool:
    """Words between a country adjective and a group noun must be adjectives/nouns of a parsed sentence."""
    tok = ctx.token(start + 1)
    if tok is None:
        return False
    doc = ctx.doc
    i = tok.i if tok.idx >= start else tok.i + 1
    while i < len(doc) and doc[i].idx < end:
        t = doc[i]
        if not is_parsed(t) or t.pos_ not in ("ADJ", "NOUN", "PROPN"):
            return False
        i += 1
    return True


def _led_or_gap(ctx: ArticleContext, modifier: Match, k: int, cursor: int, chain: list[Match]) -> tuple[int, int]:
    """The group noun a country word leads ("Saudi-led forces") or that follows after up to two plain words
    ("Tamil civilian refugees", "Romania's new government")."""
    items, text, words = ctx.matches, ctx.text, ctx.words
    led = words.led.match(text, cursor, cursor + 8)
    if led is not None:
        if k < len(items) and items[k].start == led.end() and items[k].role is not None:
            chain.append(items[k])
            return k + 1, items[k].end
        return k, cursor
    if modifier.entry.kind not in NAME_KINDS_BEFORE_GAP:
        return k, cursor
    gaps = words.gap_words + (words.gap_words_capitalised if cursor > modifier.end else ())
    for gap_re in gaps:
        gap = gap_re.match(text, cursor)
        if gap and k < len(items) and items[k].start == gap.end() and items[k].role is not None and \
                not items[k].role.title and _nominal_gap(ctx, cursor, gap.end()):
            chain.append(items[k])
            return extend_chain(ctx, k + 1, items[k].end, chain)
    return k, cursor


def _ethnic_country(ctx: ArticleContext, modifier: Match) -> str | None:
    """'ethnic Albanians in Serbia': people of a place, not of the state their name comes from — the other
    place named in the sentence."""
    s0, s1 = ctx.sentence_of(modifier.start)
    return next((x.entry.country for x in ctx.matches_in(s0, s1) if x.entry is not None
                 and x.entry.kind in PLACE_KINDS and x.entry.country != modifier.entry.country), None)


def read_phrase(ctx: ArticleContext, i: int) -> Phrase | None:
    """The phrase that starts at match `i`, or None when none does (a role word inside a name, an attitude
    such as "pro-Iranian")."""
    items, text = ctx.matches, ctx.text
    it = items[i]
    modifier = it if it.entry is not None and it.entry.kind in MODIFIER_KINDS else None
    start_next = i + 1 if modifier else i
    cursor = it.end if modifier else it.start
    if modifier:
        pm = POSSESSIVE.match(text, cursor)
        if pm:
            cursor = pm.end()
    chain: list[Match] = []
    k, cursor = extend_chain(ctx, start_next, cursor, chain, hyphen=True)
    if modifier is not None and not chain:
        k, cursor = _led_or_gap(ctx, modifier, k, cursor, chain)
    if modifier is not None and modifier.entry.kind == "person" and chain and (
            not any(r.role.group for r in chain) or chain[-1].text.lower() in ctx.words.many_states):
        chain, k = [], start_next  # "Trump President", "Trump allies" (people) are not constructions; "Trump
        # administration" is
    window = ctx.words.attitude_window
    if modifier is not None and ctx.words.attitude_before.search(text, max(0, it.start - window), it.start):
        return None  # "pro-Iranian militia", "anti-Syria journalist": an attitude, not the actor
    if modifier is None and not chain:
        return None
    phrase = Phrase(it, modifier, chain, cursor, k, modifier.entry.country if modifier else None)
    if modifier is not None and modifier.entry.kind == "demonym" and \
            ctx.prev_word(modifier.start).lower() in ctx.words.ethnic_words:
        phrase.modifier_country = _ethnic_country(ctx, modifier)
    phrase.name_end = cursor
    if chain:
        found = name_after_title(ctx, cursor, k)
        if found is None and chain[-1].role.person and not chain[-1].role.title:
            found = _name_after_portfolio(ctx, phrase, cursor)
        if found is not None:
            phrase.name, phrase.name_end = found
    return phrase


def _name_after_portfolio(ctx: ArticleContext, phrase: Phrase, cursor: int) -> tuple[str, int] | None:
    """'Minister of Justice Naser Abdel', 'Secretary of Homeland Security Kristi Doe': the portfolio belongs to
    the title, the name follows it (data/portfolios.txt)."""
    pm = ctx.words.portfolio.match(ctx.text, cursor)
    if pm is None:
        return None
    k = phrase.next
    while k < len(ctx.matches) and ctx.matches[k].start < pm.end():
        k += 1
    found = name_after_title(ctx, pm.end(), k)
    if found is not None:
        phrase.next = k
    return found
