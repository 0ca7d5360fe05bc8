"""Anaphors of states and bodies: descriptions that refer back to an actor named before.

"the country" → the country named last, "the North African country", "this Balkan nation" → the last one of
that region (data/regions.tsv); "the 27-nation bloc", "the regional body" → the international body named last;
"the terror group", "the banned militant outfit" → the armed group named last; "the company", "the website" →
the company or outlet named last; "his government", "her office" → the country (and, for a state body, its
sector) of the person "his"/"her" refers to; "the latter", "the former" → the second or first of two actors
named together ("Canada and Australia").
The words are in data/anaphors.yaml. Each becomes a mention of kind "anaphor" with its antecedent's name,
country and sector (resolved_by "coreference"); a description that already is a mention without a country
("the terror group", a group noun) takes the antecedent's country. "its northern neighbor" is the neighbour in
that direction (data/neighbours.tsv) of the country named last, where it has only one there.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import LOWER

from ..langdata import LanguageData, LanguageDataError
from ..nlp import is_parsed
from ..records import Actor
from .context import ArticleContext, MentionIndex, make_actor, recode
from .kinds import GOVERNMENT, PERSON_KINDS
from .words import alternation

_POSSESSIVE = re.compile(r"['’]s?\s+")
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:and|or|&)\s+|\s*,\s*")
_CONFIDENCE = 0.8  # an antecedent's confidence is multiplied by this for its anaphor
_DESCRIPTION_BACK = 120  # characters before a description's noun where its determiner and modifiers may start
_LATTER_BACK = 30


@dataclass(frozen=True)
class DescriptionClass:
    name: str
    nouns: frozenset[str]
    kinds: frozenset[str]
    sectors: frozenset[str]
    sector: str | None  # the sector the anaphor takes (None: the antecedent's)
    same_head: bool  # the antecedent's name has the description's noun ("the committee")


@dataclass(frozen=True)
class AnaphorWords:
    classes: tuple[DescriptionClass, ...]
    description: re.Pattern
    definite: frozenset[str]
    latter: re.Pattern
    latter_words: frozenset[str]
    possessive: re.Pattern
    person_bodies: frozenset[str]
    reach: int
    not_modifiers: frozenset[str]
    name_after: re.Pattern
    nouns: frozenset[str]  # every description's head noun, lower case
    possessive_words: frozenset[str]  # "his", "her"
    latter_or_former: frozenset[str]
    neighbour: re.Pattern | None = None  # "its northern neighbor", "Mexico's southern neighbour"
    directions: dict[str, str] | None = None  # "northern" → "north"
    neighbours: dict[tuple[str, str], str] | None = None  # (country, direction) → its neighbour there

    @classmethod
    def load(cls, data: LanguageData) -> AnaphorWords:
        raw = data.yaml("anaphors.yaml")
        where = data.path("anaphors.yaml")
        try:
            classes = tuple(
                DescriptionClass(name, frozenset(c["nouns"]), frozenset(c.get("kinds") or ()),
                                 frozenset(c.get("sectors") or ()), c.get("sector"), bool(c.get("same_head")))
                for name, c in (raw["descriptions"] or {}).items())
            definite, indefinite = raw["definite"], raw["indefinite"]
            latter, former = raw["latter"], raw["former"]
            possessives, bodies, reach = raw["person_possessives"], raw["person_bodies"], int(raw["reach"])
            not_modifiers = frozenset(str(w).lower() for w in raw["not_modifiers"])
            name_after = re.compile(r"\s+" + alternation(raw["name_prepositions"]) + r"\s+[A-Z]")
            directions = {str(k).lower(): str(v).lower() for k, v in (raw.get("directions") or {}).items()}
            neighbour = re.compile(
                r"(?:\b(?P<its>" + alternation(raw.get("neighbour_possessives") or ()) + r")|(?P<owner>['’]s))\s+"
                r"(?P<dir>" + alternation(directions) + r")\s+(?P<noun>" + alternation(raw.get("neighbour_nouns") or ())
                + r")\b(?!s)", re.IGNORECASE) if directions else None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LanguageDataError(f"{where}: {exc!r} (see the file's comments for its keys)") from None
        neighbours = {}
        if neighbour is not None:
            for number, row in enumerate(data.table("neighbours.tsv"), start=2):
                key = (row.get("country") or "", (row.get("direction") or "").lower())
                if not row.get("neighbour") or key[1] not in directions.values():
                    raise LanguageDataError(f"{data.path('neighbours.tsv')}: row {number} needs a country, one of "
                                            f"the directions {sorted(set(directions.values()))} and a neighbour")
                neighbours[key] = row["neighbour"]
        nouns = sorted({n for c in classes for n in c.nouns}, key=len, reverse=True)
        determiners = alternation([*definite, *indefinite])
        description = re.compile(
            r"\b(?P<det>" + determiners + r")\s+(?P<mods>(?:[\w’'\-]+\s+){0,3}?)(?P<noun>" + alternation(nouns)
            + r")\b(?!-\w)", re.IGNORECASE)
        return cls(classes, description, frozenset(w.lower() for w in definite),
                   re.compile(r"\b[Tt]he\s+(?P<which>" + alternation([*latter, *former]) + r")\b(?!\s+[a-z]+\s+[A-Z])"),
                   frozenset(latter),
                   re.compile(r"\b(?P<pron>" + alternation(possessives) + r")\s+(?:own\s+)?(?P<noun>"
                              + alternation(sorted(bodies, key=len, reverse=True)) + r")\b", re.IGNORECASE),
                   frozenset(bodies), reach, not_modifiers, name_after, frozenset(n.lower() for n in nouns),
                   frozenset(str(p).lower() for p in possessives), frozenset(str(w).lower() for w in [*latter, *former]),
                   neighbour, directions, neighbours)


class _Before:
    """The mentions of the article in text order, to look back from a position."""

    def __init__(self, mentions: list[Actor]):
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]

    def before(self, pos: int, reach: int):
        """Mentions ending before `pos`, nearest first, no further back than `reach` characters."""
        i = bisect_left(self.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if pos - m.end > reach:
                return
            if m.end <= pos:
                yield m
            i -= 1


def _candidates(ctx: ArticleContext, pattern: re.Pattern, heads: frozenset[str], group: str, back: int):
    """The matches of `pattern` whose group `group` is one of the Doc's tokens in `heads` (lower case), left to
    right and not overlapping, as `pattern.finditer` over the whole text would give them: the tokens are found
    in one array test and the pattern is tried only in a window ending at each (`back` characters before it).
    Without a Doc, `finditer` itself."""
    text, doc = ctx.text, ctx.doc
    if doc is None:
        yield from pattern.finditer(text)
        return
    last_end = 0
    for i in ctx.tokens_among(LOWER, heads):
        tok = doc[i]
        if tok.idx < last_end:
            continue
        end = tok.idx + len(tok.text)
        for m in pattern.finditer(text, max(last_end, tok.idx - back), min(len(text), end + 3)):
            if m.start(group) == tok.idx and m.end(group) == end:
                last_end = m.end()
                yield m
                break


def anaphors(ctx: ArticleContext) -> None:
    """Mentions for the descriptions, possessives and "the latter" that refer back to an actor (module
    docstring). Keeps text order."""
    words = ctx.lex.anaphor_words
    if words is None:
        return
    before = _Before(ctx.mentions)
    found: list[Actor] = []
    covered = _Covered(ctx)  # the mentions before this pass and the anaphors found so far
    _descriptions(ctx, words, before, covered, found)
    _person_possessives(ctx, words, before, covered, found)
    _latter(ctx, words, before, covered, found)
    _neighbours(ctx, words, before, covered, found)
    if found:
        ctx.extend(found)
        ctx.sort_mentions()


class _Covered:
    """The article's mentions and the anaphors this pass found so far (not yet mentions)."""

    def __init__(self, ctx: ArticleContext) -> None:
        self.ctx, self.found = ctx, MentionIndex()

    def add(self, a: Actor) -> None:
        self.found.add(a)

    def overlapping(self, start: int, end: int) -> list[Actor]:
        return self.ctx.overlapping(start, end) + self.found.overlapping(start, end)


def _overlapping(covered: _Covered, start: int, end: int) -> list[Actor]:
    return covered.overlapping(start, end)


def _add(ctx: ArticleContext, found: list[Actor], covered: _Covered, start: int, end: int, ante: Actor,
         sector: str | None) -> Actor:
    sector = sector or ante.sector
    a = make_actor(ctx.text, start, end, ante.name, ante.country, sector, "anaphor", ante.entity, "coreference",
                   round((ante.confidence or _CONFIDENCE) * _CONFIDENCE, 3))
    found.append(a)
    covered.add(a)
    return a


def _fits(m: Actor, cls: DescriptionClass, noun: str) -> bool:
    if not m.country or m.kind in PERSON_KINDS or m.kind == "anaphor":
        return False
    if cls.same_head:
        return m.kind not in ("country", "capital", "demonym", "place") and \
            noun in f"{m.text} {m.name or ''}".lower().split()
    if cls.kinds and m.kind in cls.kinds:
        return True
    if cls.sector == GOVERNMENT and m.sector == GOVERNMENT and m.kind in ("seat", "organisation"):
        return True  # "the Kremlin ... the country"
    return bool(cls.sectors) and m.sector in cls.sectors


def _region(ctx: ArticleContext, mods: str) -> frozenset[str] | None:
    """'the North African country': the countries of the region (data/regions.tsv) the modifiers name, the
    longest name first; None when they name none."""
    said = " " + " ".join(mods.lower().replace("-", " ").split()) + " "
    if said.isspace():
        return None
    named = [r for r in ctx.words.regions if f" {r.replace('-', ' ')} " in said]
    return ctx.words.regions[max(named, key=len)] if named else None


def _is_description(ctx: ArticleContext, m: re.Match) -> bool:
    """A noun phrase with a lower-case head noun of its own ("the country", not "the Islamic State", "the
    country music", "the state of Texas", "the country's" is one)."""
    noun = m.group("noun")
    if not noun.islower():
        return False
    words = ctx.lex.anaphor_words
    if words.name_after.match(ctx.text[m.end():m.end() + 12]):
        return False
    mods = m.group("mods").split()
    if any(w.lower() in words.not_modifiers for w in mods):
        return False
    tok = ctx.token(m.start("noun"))
    if tok is not None and is_parsed(tok):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
            return False
        for w in ctx.doc[tok.i - len(mods):tok.i] if len(mods) <= tok.i else ():
            if w.pos_ in ("AUX", "ADP") or w.pos_ == "VERB" and w.dep_ != "amod":
                return False  # a participle modifying the noun ("the banned outfit") is a modifier
    return True


def _descriptions(ctx, words: AnaphorWords, before: _Before, covered, found) -> None:
    text = ctx.text
    for m in _candidates(ctx, words.description, words.nouns, "noun", _DESCRIPTION_BACK):
        if not _is_description(ctx, m):
            continue
        start, end = m.start(), m.end()
        noun = m.group("noun").lower()
        definite = m.group("det").lower() in words.definite
        inside = _overlapping(covered, start, end)
        if any(x.country for x in inside) or any(x.kind in PERSON_KINDS for x in inside):
            continue  # "the Kenyan government", "the European Union": named, not a description
        for cls in words.classes:
            if noun not in cls.nouns:
                continue
            region = _region(ctx, m.group("mods"))
            ante = next((x for x in before.before(start, words.reach)
                         if _fits(x, cls, noun) and (region is None or x.country in region)), None)
            if ante is None:
                continue
            if not definite and not _COORDINATION.fullmatch(text, ante.end, start) and \
                    not re.fullmatch(r"\s*,\s*", text[ante.end:start]):
                break  # "an island nation" refers back only in apposition
            same = [x for x in inside if x.start >= start and x.end <= end and x.country is None]
            if same:  # "the terror group" is a group mention already: it takes the antecedent's country
                for x in same:
                    x.country = ante.country
                    x.resolved_by, x.confidence = "coreference", round((ante.confidence or _CONFIDENCE) * _CONFIDENCE, 3)
                    recode(x)
                break
            a = _add(ctx, found, covered, start, end, ante, cls.sector)
            _possessed_body(ctx, a)
            break


def _possessed_body(ctx: ArticleContext, a: Actor) -> None:
    """'the country's intelligence service': the body right after the description's possessive is that
    country's."""
    pm = _POSSESSIVE.match(ctx.text, a.end)
    if pm is None:
        return
    body = next((x for x in ctx.starting_at(pm.end()) if x.country is None and x.sector), None)
    if body is not None:
        body.country = a.country
        body.resolved_by, body.confidence = "coreference", a.confidence
        recode(body)


def _person_possessives(ctx, words: AnaphorWords, before: _Before, covered, found) -> None:
    """'his government' → the country of the person 'his' refers to: the nearest person before (a subject
    preferred within the sentence before), with a country."""
    text = ctx.text
    for m in _possessive_matches(ctx, words):
        start, end = m.start(), m.end()
        inside = _overlapping(covered, start, end)
        if any(x.country for x in inside):
            continue
        people = [x for x in before.before(start, words.reach) if x.kind in PERSON_KINDS and x.country]
        if not people:
            continue
        ante = next((x for x in people[:4] if _is_subject(ctx, x)), people[0])
        noun = m.group("noun").lower()
        role = ctx.lex.roles.get(noun)
        sector = role.group if role is not None and role.group in ctx.words.state_of_a_country else ante.sector
        a = _add(ctx, found, covered, start, end, ante, sector)
        a.entity = None if sector != ante.sector or role is not None and role.group else ante.entity
        for x in inside:  # the body noun's own mention ("government" without a country) is this one
            if x.country is None and ctx.present(x):
                ctx.remove(x)


def _possessive_matches(ctx: ArticleContext, words: AnaphorWords):
    """'his government', 'her office' (words.possessive) where the Doc has "his"/"her" tokens."""
    if ctx.doc is None:
        yield from words.possessive.finditer(ctx.text)
        return
    for i in ctx.tokens_among(LOWER, words.possessive_words):
        m = words.possessive.match(ctx.text, ctx.doc[i].idx)
        if m is not None:
            yield m


def _is_subject(ctx: ArticleContext, m: Actor) -> bool:
    tok = ctx.token(m.end - 1)
    return tok is not None and tok.dep_ in ("nsubj", "nsubjpass")


def _latter(ctx, words: AnaphorWords, before: _Before, covered, found) -> None:
    """'the latter' / 'the former': the second / first of the last two actors named together."""
    text = ctx.text
    for m in _candidates(ctx, words.latter, words.latter_or_former, "which", _LATTER_BACK):
        start, end = m.start(), m.end()
        nxt = re.match(r"\s+([A-Za-z]+)", text[end:end + 30])
        if nxt and (ctx.lex.lookup(nxt.group(1)) is not None or nxt.group(1)[0].isupper()):
            continue  # "the former president", "the former Soviet Union": not an anaphor
        if _overlapping(covered, start, end):
            continue
        pair = None
        prior = [x for x in before.before(start, words.reach) if x.country and x.kind != "anaphor"]
        for b, a in zip(prior, prior[1:]):
            if _COORDINATION.fullmatch(text, a.end, b.start) and a.country != b.country:
                pair = (a, b)
                break
        if pair is None:
            continue
        ante = pair[1] if m.group("which").lower() in words.latter_words else pair[0]
        _add(ctx, found, covered, start, end, ante, None)


_COUNTRY_KINDS = frozenset({"country", "capital", "demonym"})


def _neighbours(ctx, words: AnaphorWords, before: _Before, covered, found) -> None:
    """'its northern neighbor' → the neighbour in that direction (data/neighbours.tsv) of a country named before
    "its" in its sentence, when only one of them has one there; "Mexico's southern neighbour" → Mexico's.
    Nothing when none has a single neighbour there, or two countries named give two readings."""
    if words.neighbour is None or "neighbo" not in ctx.text.lower():
        return
    for m in words.neighbour.finditer(ctx.text):
        start, end = m.start("dir") if m.group("owner") else m.start(), m.end()
        if _overlapping(covered, start, end):
            continue
        direction = words.directions[m.group("dir").lower()]
        if m.group("owner"):
            owners = [x for x in before.before(m.start("owner") + 1, 1) if x.end == m.start("owner")]
        else:  # "its": any country named before it in its sentence, so all of them must agree
            s0 = ctx.sentence_of(start)[0]
            owners = list(before.before(start, start - s0))
        answers = [(words.neighbours.get((x.country, direction)), x) for x in owners
                   if x.kind in _COUNTRY_KINDS and x.country]
        countries = {c for c, _ in answers if c is not None}
        if len(countries) != 1:
            continue  # none there, or two readings ("Ottawa curbed Mexican steel ... its southern neighbor")
        country = countries.pop()
        owner = next(x for c, x in answers if c == country)
        start = m.start() if not m.group("owner") else start
        a = make_actor(ctx.text, start, end, country, country, GOVERNMENT, "anaphor", None, "coreference",
                       round((owner.confidence or _CONFIDENCE) * _CONFIDENCE, 3))
        found.append(a)
        covered.add(a)

