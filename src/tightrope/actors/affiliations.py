"""Affiliations: a person takes the country of the body or place that the grammar of their sentence attaches
them to (data/affiliations.yaml), in the parse only:

* a noun in apposition and its preposition: "Jane Roe, a member of the upper house", "Jane Roe, head of the
  Spirits Council of the United States", "Jane Roe, a farmer in Yaounde"; or a nationality on that noun: "Jane
  Roe, a Kenyan farmer", "a Chinese national";
* a preposition on the name itself: "Jane Roe of the Elephant Protection Society";
* a relative clause or the verb the name is the subject of, for the verbs the data file lists with their
  prepositions: "who lives in Yaounde", "who heads the Democratic Alliance", "lectures at the University of
  Somalia", "is originally from Taiwan";
* "<place>-based" among the words that title the name: "Tokyo-based business owner Jane Roe".

What is attached must be a mention with a country (a body, or a place); a body gives its sector to a member
("a member of the upper house" LEG, "head of the council" its sector), a place gives the role word's sector, or
CVL to a private person. This is the text's own evidence (`pattern`), but it never replaces a country the
knowledge base or the text's other patterns gave the person (a minister "who lives in Geneva" stays her
country's minister). A country merely named near a person never counts: no attachment, no country.

The other way round (`led_bodies`): a domestic body without a country that a person of known country heads or
founded ("who heads the Freedom Front", "leader of the Unity Movement") takes the person's country.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..langdata import LanguageData, LanguageDataError
from ..nlp import is_parsed
from ..records import Actor
from .context import ArticleContext, recode
from .kinds import ORG_KINDS, PLACE_KINDS

PLACE_LIKE = PLACE_KINDS | {"us_state", "ethnic"}
_HOPS = 4  # how far up the parse a "<place>-based" modifier may be from the name


@dataclass(frozen=True)
class AffiliationWords:
    prepositions: frozenset[str]
    name_prepositions: frozenset[str]
    passing_prepositions: frozenset[str]
    copulas: frozenset[str]
    verb_prepositions: dict[str, frozenset[str]]
    object_verbs: frozenset[str]
    member_nouns: frozenset[str]
    private_sector: str
    based: str
    lead_verbs: frozenset[str] = frozenset()
    lead_nouns: frozenset[str] = frozenset()
    lead_noun_prepositions: frozenset[str] = frozenset()
    led_sectors: frozenset[str] = frozenset()

    @classmethod
    def load(cls, data: LanguageData) -> AffiliationWords:
        raw = data.yaml("affiliations.yaml")
        where = data.path("affiliations.yaml")
        try:
            verbs = raw["verbs"]
            def words(key: str) -> frozenset[str]:
                return frozenset(str(w).lower() for w in raw[key] or ())

            return cls(words("prepositions"), words("name_prepositions"), words("passing_prepositions"),
                       words("copulas"),
                       {str(v).lower(): frozenset(str(p).lower() for p in preps)
                        for v, preps in (verbs["preposition"] or {}).items()},
                       frozenset(str(v).lower() for v in verbs["object"] or ()),
                       frozenset(str(n).lower() for n in raw["member_nouns"]),
                       str(raw["private_sector"]), str(raw["based"]).lower(),
                       *(frozenset(str(w).lower() for w in (raw.get("leads") or {}).get(key) or ())
                         for key in ("verbs", "nouns", "noun_prepositions")),
                       frozenset(str(w) for w in (raw.get("leads") or {}).get("sectors") or ()))
        except (KeyError, TypeError, AttributeError) as exc:
            raise LanguageDataError(f"{where}: {exc!r} (see the file's comments for its keys)") from None


def affiliations(ctx: ArticleContext) -> None:
    """Each person the parse attaches to a body or place with a country takes it (module docstring)."""
    words = ctx.lex.affiliation_words
    if ctx.doc is None or words is None or not ctx.people:
        return
    done: set[str] = set()
    for m in sorted((m for m in ctx.mentions if m.kind == "person" and m.entity in ctx.people),
                    key=lambda m: (m.start, -m.end)):
        key = ctx.people.canonical(m.entity)
        person = ctx.people[key]
        if key in done or person.country and person.country_by in ("kb", "user"):
            continue
        head = _name_head(ctx, m)
        if head is None:
            continue
        found = _attachment(ctx, words, m, head)
        if found is None:
            continue
        target, noun = found
        done.add(key)
        # the head or a member of a body that is no organ of a state is what the body is, whatever their title
        # says ("X, president of Cameroon's poultry farmers' association" is NGO, not GOV)
        member_of_civil_body = target.kind not in PLACE_LIKE and target.sector and \
            target.sector not in ctx.words.state_of_a_country and (noun is None or noun.lower_ in words.member_nouns)
        # ... when that title is the noun attached ("president of"), not another role of theirs ("Presidential
        # Advisor X, a professor at Y University" stays an adviser)
        own_title = noun is not None and person.role is not None and noun.lower_ in person.role.lower().split()
        if person.country and person.country_by == "pattern":
            if member_of_civil_body and own_title and target.country == person.country:
                person.sector, person.sector_by = target.sector, "pattern"
            continue
        if target.kind == "person":  # someone's lawyer, aide or envoy: of their country, of the noun's sector
            owner = ctx.people[target.entity]
            role = ctx.lex.roles.get(noun.lower_) if noun is not None else None
            # as sure as the owner's country is: the text's or the knowledge base's, or only the context's
            by = "pattern" if owner.country_by in ("pattern", "kb", "user") else "context"
            person.learn(owner.country, role.person or role.group if role is not None else None, by)
            continue
        if target.kind in PLACE_LIKE:
            role = ctx.lex.roles.get(noun.lower_) if noun is not None else None
            sector = role.person or role.group if role is not None else None
            if sector is None and person.sector is None and not person.titled:
                sector = words.private_sector
        else:
            member = noun is None or noun.lower_ in words.member_nouns
            role = ctx.lex.roles.get(noun.lower_) if noun is not None else None
            sector = target.sector if member or role is None else (role.person or role.group or target.sector)
        # a body whose own country was only inferred from its context passes on no more than that
        person.learn(target.country, sector, "context" if target.resolved_by == "context" else "pattern")
        if member_of_civil_body and (own_title or person.sector_by in ("lexicon", "context", None)):
            person.sector, person.sector_by = target.sector, "pattern"


def led_bodies(ctx: ArticleContext) -> None:
    """'Jane Roe, who heads the Unity Alliance', 'Jane Roe, leader of the Unity Movement': a domestic body
    (affiliations.yaml `leads`) without a country takes the country the text or the knowledge base gives the
    person who heads or founded it."""
    words = ctx.lex.affiliation_words
    if ctx.doc is None or words is None or not ctx.people or not words.led_sectors:
        return
    for m in ctx.mentions:
        if m.kind != "person" or m.entity not in ctx.people:
            continue
        person = ctx.people[ctx.people.canonical(m.entity)]
        if not person.country or person.country_by not in ("pattern", "kb", "user") or \
                person.country in ctx.words.igo_codes:
            continue
        head = _name_head(ctx, m)
        if head is None:
            continue
        for tok in _led_tokens(words, head):
            body = next((x for x in ctx.overlapping(tok.idx, tok.idx + len(tok.text))
                         if x.kind == "organisation" and x.country is None and x.sector in words.led_sectors), None)
            if body is not None:
                body.country = person.country
                body.resolved_by, body.confidence = "pattern", 0.6
                recode(body)


def _led_tokens(words: AffiliationWords, head):
    """The tokens naming what the person heads: the object of a leading verb in a relative clause ("who heads
    X") and of the preposition after a leading noun in apposition ("leader of X")."""
    for c in head.children:
        if c.dep_ == "relcl" and c.lemma_.lower() in words.lead_verbs:
            yield from (o for o in c.children if o.dep_ == "dobj")
        if c.dep_ == "appos" and c.lower_ in words.lead_nouns:
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in words.lead_noun_prepositions:
                    yield from (o for o in p.children if o.dep_ == "pobj")


def _name_head(ctx: ArticleContext, m: Actor):
    """The token that heads the person's name in the parse (its last word, above any compound), or None."""
    tok = ctx.token(m.end - 1)
    if tok is None or tok.idx < m.start or not is_parsed(tok):
        return None
    while tok.dep_ in ("compound", "flat") and m.start <= tok.head.idx < m.end and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _target(ctx: ArticleContext, tok, m: Actor, follow: frozenset[str] = frozenset()) -> Actor | None:
    """The body or place mention (with a country) at token `tok`; a noun without one may pass to its own
    "of"/"in" object once ("a village in Kenya")."""
    near = [x for x in ctx.overlapping(tok.idx, tok.idx + len(tok.text))
            if x is not m and x.country and (x.kind in PLACE_LIKE or x.kind in ORG_KINDS or x.kind == "role")]
    if near:
        return max(near, key=lambda x: x.end - x.start)
    for c in tok.children:  # "the group Somali Public Agenda": the name in apposition to the noun
        if c.dep_ == "appos" and c.i > tok.i:
            return _target(ctx, c, m)
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in follow:
            obj = next((c for c in p.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _target(ctx, obj, m)
    return None


def _through_prepositions(ctx: ArticleContext, tok, allowed, m: Actor, follow: frozenset[str]) -> Actor | None:
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in allowed:
            obj = next((c for c in p.children if c.dep_ == "pobj"), None)
            if obj is not None:
                found = _target(ctx, obj, m, follow)
                if found is not None:
                    return found
    return None


def _possessor(ctx: ArticleContext, noun, m: Actor) -> Actor | None:
    """'Dodik's lawyer', 'Kenya's envoy': the country or the person (with a country) owning the noun."""
    for c in noun.children:
        if c.dep_ != "poss" or c.i > noun.i:
            continue
        for x in ctx.overlapping(c.idx, c.idx + len(c.text)):
            if x is m:
                continue
            if x.kind in ("country", "capital") and x.country:
                return x
            if x.kind == "person" and x.entity in ctx.people and ctx.people[x.entity].country:
                return x
    return None


def _noun_attachment(ctx: ArticleContext, words: AffiliationWords, noun, m: Actor) -> Actor | None:
    """What a noun describing the person attaches to: its preposition's object, its owner, or a nationality on
    it."""
    found = _through_prepositions(ctx, noun, words.prepositions, m, words.passing_prepositions)
    if found is not None:
        return found
    # "director at the coalition, the Elephant Council": the parser may hang the body's name on the noun, or
    # beside it on the person's name, rather than on the noun's object
    beside = [c for c in noun.head.children if c.dep_ == "appos" and c.i > noun.i] if noun.dep_ == "appos" else []
    for c in [*(c for c in noun.children if c.dep_ == "appos" and c.i > noun.i), *beside[:1]]:
        found = _target(ctx, c, m)
        if found is not None and found.kind not in PLACE_LIKE:
            return found
    found = _possessor(ctx, noun, m)
    if found is not None:
        return found
    for c in noun.children:
        if c.dep_ in ("amod", "compound") and c.i < noun.i:
            near = [x for x in ctx.overlapping(c.idx, c.idx + len(c.text))
                    if x.country and x.kind in ("demonym", "country")]
            if near and near[0].start >= c.idx:  # "a Kenyan farmer", not a mention reaching into the noun
                return near[0]
    return None


def _verb_attachment(ctx: ArticleContext, words: AffiliationWords, verb, m: Actor):
    lemma = verb.lemma_.lower()
    if lemma in words.verb_prepositions:
        allowed = words.verb_prepositions[lemma]
        found = _through_prepositions(ctx, verb, allowed, m, words.passing_prepositions)
        # "lectures on politics at the University": the parser may hang the second phrase on the first's object
        for p in (c for c in verb.children if c.dep_ == "prep") if found is None else ():
            for obj in (c for c in p.children if c.dep_ == "pobj"):
                found = found or _through_prepositions(ctx, obj, allowed, m, words.passing_prepositions)
        if found is not None:
            return found, None
    if lemma in words.object_verbs:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            found = _target(ctx, obj, m)
            if found is not None and found.kind not in PLACE_LIKE:
                return found, None
    if lemma in words.copulas:  # "who is a member of ..."
        attr = next((c for c in verb.children if c.dep_ == "attr"), None)
        if attr is not None:
            found = _noun_attachment(ctx, words, attr, m)
            if found is not None:
                return found, attr
    return None


def _attachment(ctx: ArticleContext, words: AffiliationWords, m: Actor, head):
    """(mention, describing noun or None) the person is attached to, or None (module docstring)."""
    doc = ctx.doc
    # "Tokyo-based aromatherapy business owner Jane Roe"
    for t in doc[max(head.sent.start, head.i - 12):head.i]:
        if t.lower_ == words.based and t.i >= 2 and doc[t.i - 1].text == "-":
            up, hops = t, 0
            while up.i != head.i and up.head.i != up.i and hops < _HOPS:
                up, hops = up.head, hops + 1
            place = _target(ctx, doc[t.i - 2], m)
            if up.i == head.i and place is not None and place.kind in PLACE_LIKE:
                return place, None
    for c in head.children:
        if c.dep_ == "appos":
            found = _noun_attachment(ctx, words, c, m)
            if found is not None:
                return found, c
    if head.dep_ == "appos":  # "Dodik's lawyer, Anto Nobilo": the noun the name is set beside
        before = [c for c in head.head.children if c.dep_ == "appos" and c.i < head.i]
        nouns = [head.head] if head.head.pos_ == "NOUN" else []
        first = ctx.token(m.start)
        if before and first is not None and all(t.is_punct for t in head.doc[before[-1].i + 1:first.i]):
            nouns.append(before[-1])  # the parser hung both on a third noun
        for noun in nouns:
            found = _noun_attachment(ctx, words, noun, m)
            if found is not None:
                return found, noun
    found = _through_prepositions(ctx, head, words.name_prepositions, m, words.passing_prepositions)
    if found is not None:
        return found, None
    for c in head.children:
        if c.dep_ == "relcl":
            found = _verb_attachment(ctx, words, c, m)
            if found is not None:
                return found
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
        return _verb_attachment(ctx, words, head.head, m)
    return None
