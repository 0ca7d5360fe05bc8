"""Event candidates: every (sentence, actor, actor-or-none) an event could be about, with its sparse features.

A candidate is an ordered pair of arguments in one parsed sentence: a source (an actor of the actors stage whose
head token is in the sentence, or a side of a rule event there) and a target (another such argument, or none).
The learned event model (events/proposals.py) reads each candidate's features and says whether the sentence
reports an event from the source's country to the target's, and of which type; the rule events on the same pair
are features too, so the model also learns how far to trust each rule.

A source without target is a candidate only where a rule event has no target: elsewhere, on real news, such a
pair was an event once in 250. Features are strings (the model's vocabulary maps them to weights); they describe
* the two arguments: kind, sector, how the actors stage resolved them, whether they have a country, the same one;
* the syntax between them: the dependency path from the source's head to the target's (through their lowest
  common ancestor), the ancestor's lemma, the words on the path, the frame "source role : ancestor : target
  role", a preposition that introduces the target; for a source without target, the verb that governs it;
* triggers: the trigger lexicon's and the CAMEO verb dictionary's types for the words on the path and for the
  ancestor (events/data/triggers.tsv, cameo_verbs.tsv);
* the clause: negation, auxiliaries, a saying verb above it (reported speech) and whether the source is its
  speaker, quotation marks, a year in the sentence more than a year before publication;
* the sentence: its place in the article, its length, how many arguments and countries it names;
* the rule events: on this very pair (type, rule, modality), on the reversed pair, on the same countries through
  other mentions, the types found anywhere in the sentence.
`type_features` adds the content lemmas of the pair's clause, for the type model.

Speed: the parse is read once per article as arrays (heads, labels, lemmas; `DocView`), so a candidate costs a
few dictionary lookups and no spaCy Token objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, LOWER, POS
from spacy.tokens import Doc, Span, Token

from ..nlp import is_parsed
from ..records import Actor, Event
from .phrases import acts_on_itself, head_token
from .rules import EventRules

MAX_PATH = 7  # the longest dependency path (in arcs) spelled out as one feature
MAX_ARGS = 10  # the most arguments of a sentence paired with each other (a list of 30 names is no dyad)
_QUOTES = frozenset('"“”')
_CONTENT_POS = frozenset(("VERB", "NOUN", "ADJ"))
_VERBS = frozenset(("VERB", "AUX"))
_PLAIN_AUX = frozenset(("be", "is", "was", "were", "are", "been", "has", "have", "had", "did", "do", "does"))
_SUBJECTS = frozenset(("nsubj", "nsubjpass"))


class DocView:
    """The parse of one Doc as plain lists (head index, label, lemma, POS, lower form per token), read once."""

    def __init__(self, doc: Doc, rules: EventRules):
        arr = doc.to_array([HEAD, DEP, LEMMA, POS, LOWER, IS_SPACE])  # uint64: hashes; HEAD is a signed offset
        strings = doc.vocab.strings
        n = len(doc)
        self.doc = doc
        self.head = [i + h for i, h in enumerate(arr[:, 0].astype("int64").tolist())] if n else []
        self.dep = [strings[int(x)] for x in arr[:, 1].tolist()] if n else []
        self.lemma = [strings[int(x)].lower() for x in arr[:, 2].tolist()] if n else []
        self.pos = [strings[int(x)] for x in arr[:, 3].tolist()] if n else []
        self.lower = [strings[int(x)] for x in arr[:, 4].tolist()] if n else []
        self.space = [bool(x) for x in arr[:, 5].tolist()] if n else []
        self.lexicon = dict(rules.lexicon)
        self.cameo_verbs = dict(rules.cameo_verbs)
        self.cameo_particles = dict(rules.cameo_particles)
        self.children: dict[int, list[int]] = {}

    def kids(self, i: int, sent: Span) -> list[int]:
        """The children of token i (a token of `sent`), in order."""
        got = self.children.get(i)
        if got is None:
            for j in range(sent.start, sent.end):
                self.children[j] = []
            head = self.head
            for j in range(sent.start, sent.end):
                if head[j] != j and head[j] in self.children:
                    self.children[head[j]].append(j)
            got = self.children[i]
        return got

    def chain(self, i: int) -> list[int]:
        out = [i]
        head = self.head
        while head[out[-1]] != out[-1] and len(out) < 40:
            out.append(head[out[-1]])
        return out

    def trigger_types(self, i: int, sent: Span) -> tuple[str | None, str | None]:
        """(lexicon type, CAMEO verb type) of token i, as `EventRules.entry` / `cameo_entry` read them."""
        lemma, lower = self.lemma[i], self.lower[i]
        lex = self.lexicon.get(lemma) or self.lexicon.get(lower)
        cam = None
        if self.pos[i] == "VERB":
            for c in self.kids(i, sent):
                if c > i and self.dep[c] in ("prt", "prep"):
                    cam = self.cameo_particles.get((lemma, self.lower[c]))
                    if cam is not None:
                        break
            if cam is None:
                cam = self.cameo_verbs.get(lemma)
        return (lex[0] if lex else None), cam


@dataclass(slots=True)
class Candidate:
    """One (sentence, source, target-or-none) with its features; `events` are the indices of the rule events on
    exactly this pair (in the list passed to `candidates`); `start` is the sentence's first character (as events
    give it: leading white space left out); `lca_i` the token index of the pair's lowest common ancestor (for a
    source without target, the verb that governs it), or -1."""

    sent: Span
    start: int
    source: Actor
    target: Actor | None
    source_i: int
    target_i: int  # -1: no target
    lca_i: int
    clause: tuple[int, int]  # the token range whose content lemmas `type_features` adds
    view: DocView
    events: list[int] = field(default_factory=list)
    features: list[str] = field(default_factory=list)

    @property
    def lca(self) -> Token | None:
        return self.view.doc[self.lca_i] if self.lca_i >= 0 else None

    @property
    def source_tok(self) -> Token:
        return self.view.doc[self.source_i]

    @property
    def target_tok(self) -> Token | None:
        return self.view.doc[self.target_i] if self.target_i >= 0 else None


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def _side(actor: Actor, tag: str) -> list[str]:
    out = [f"{tag}k:{actor.kind or 'none'}", f"{tag}s:{actor.sector or 'none'}",
           f"{tag}c:{'y' if actor.country else 'n'}"]
    if actor.resolved_by:
        out.append(f"{tag}r:{actor.resolved_by}")
    if actor.confidence is not None:
        out.append(f"{tag}q:{'hi' if actor.confidence >= 0.8 else 'mid' if actor.confidence >= 0.5 else 'lo'}")
    return out


class SentenceView:
    """What every candidate of one sentence shares: its features, where quotation marks open, cached chains."""

    def __init__(self, view: DocView, sent: Span, index: int, n_args: int, n_countries: int, old_year: bool):
        self.view = view
        self.sent = sent
        feats = [f"spos:{_bucket(index, (0, 1, 3, 8, 20))}", f"slen:{_bucket(len(sent), (10, 20, 35, 60))}",
                 f"nact:{_bucket(n_args, (1, 2, 3, 5))}", f"ncty:{_bucket(n_countries, (0, 1, 2, 3))}"]
        if old_year:
            feats.append("oldyear")
        first = next((i for i in range(sent.start, sent.end) if not view.space[i]), sent.start)
        if view.lower[first][:1] in _QUOTES:
            feats.append("squote")
        self.features = feats
        inside, quoted = False, {}
        for i in range(sent.start, sent.end):
            quoted[i] = inside
            if view.lower[i] in _QUOTES:
                inside = not inside
        self.quoted = quoted  # token index -> inside quotation marks of the sentence
        self._chains: dict[int, list[int]] = {}

    def chain(self, i: int) -> list[int]:
        got = self._chains.get(i)
        if got is None:
            got = self._chains[i] = self.view.chain(i)
        return got


def pair_features(sv: SentenceView, src: Actor, tgt: Actor | None, hs: int, ht: int,
                  rules: EventRules) -> tuple[list[str], int]:
    """The syntactic, trigger and argument features of one pair (`ht` -1: no target), and the token index of
    the pair's lowest common ancestor (for a pair without target: the source's governing verb; -1: none)."""
    v = sv.view
    dep, lemma = v.dep, v.lemma
    f = list(sv.features)
    f += _side(src, "a")
    f.append(f"adep:{dep[hs]}")
    if sv.quoted.get(hs):
        f.append("aquote")
    up = sv.chain(hs)
    lca = -1
    if ht < 0:
        f.append("b:none")
        gov = next((t for t in up[1:] if v.pos[t] in _VERBS or v.lexicon.get(lemma[t]) or v.lexicon.get(v.lower[t])),
                   -1)
        lca = gov
        if gov >= 0:
            f += [f"gov:{lemma[gov]}", f"nframe:{dep[hs]}:{lemma[gov]}"]
            lt, ct = v.trigger_types(gov, sv.sent)
            if lt:
                f.append(f"govlex:{lt}")
            if ct:
                f.append(f"govcam:{ct}")
    else:
        assert tgt is not None
        f += _side(tgt, "b")
        f.append(f"bdep:{dep[ht]}")
        if src.country and src.country == tgt.country:
            f.append("samec")
        f.append("order:st" if hs < ht else "order:ts")
        f.append(f"dist:{_bucket(abs(ht - hs), (2, 5, 10, 20))}")
        down = sv.chain(ht)
        on_down = {t: k for k, t in enumerate(down)}
        k_up = next((k for k, t in enumerate(up) if t in on_down), None)
        if k_up is None:  # two roots: no path (a misparse across a sentence join)
            f.append("nopath")
        else:
            lca = up[k_up]
            ups, downs = up[:k_up], down[:on_down[lca]]
            lem = lemma[lca]
            f.append(f"lca:{lem}")
            f.append(f"lcapos:{v.pos[lca]}")
            sdep = dep[ups[-1]] if ups else "self"
            tdep = dep[downs[-1]] if downs else "self"
            f.append(f"frame:{sdep}:{lem}:{tdep}")
            f.append(f"rframe:{sdep}:{tdep}")
            n = len(ups) + len(downs)
            f.append(f"plen:{_bucket(n, (1, 2, 3, 4, 6))}")
            if n <= MAX_PATH:
                f.append("path:" + ">".join(dep[t] for t in ups) + "|" + "<".join(dep[t] for t in downs))
            for t in (*ups[1:], *downs[1:]):
                f.append(f"pw:{lemma[t]}")
                lt, ct = v.trigger_types(t, sv.sent)
                if lt:
                    f.append(f"plex:{lt}")
                if ct:
                    f.append(f"pcam:{ct}")
            lt, ct = v.trigger_types(lca, sv.sent)
            if lt:
                f.append(f"lcalex:{lt}")
                f.append(f"lexframe:{sdep}:{lt}:{tdep}")
            if ct:
                f.append(f"lcacam:{ct}")
            if dep[ht] == "pobj":
                prep = v.head[ht]
                f.append(f"bprep:{v.lower[prep]}")
                f.append(f"bprepw:{v.lower[prep]}:{lemma[v.head[prep]]}")
        if sv.quoted.get(ht):
            f.append("bquote")
    if lca >= 0:
        f += _clause_features(sv, lca, hs, rules)
    return f, lca


def _clause_features(sv: SentenceView, lca: int, hs: int, rules: EventRules) -> list[str]:
    """Negation, auxiliaries, a saying verb above the clause (and whether the source is its speaker)."""
    v = sv.view
    out = []
    for c in v.kids(lca, sv.sent):
        if v.dep[c] == "neg":
            out.append("neg")
        elif v.dep[c] in ("aux", "auxpass") and v.lower[c] not in _PLAIN_AUX:
            out.append(f"aux:{v.lower[c]}")
    for depth, t in enumerate(sv.chain(lca)[1:4], start=1):
        lem = v.lemma[t]
        if lem in rules.say_verbs:
            out.append(f"say{depth}")
            if any(c == hs or (v.dep[c] in _SUBJECTS and c in sv.chain(hs)) for c in v.kids(t, sv.sent)):
                out.append("aspeaker")
            break
        if lem in rules.plan_heads:
            out.append("planhead")
    out.append(f"lcadep:{v.dep[lca]}")
    return out


def _old_year(view: DocView, sent: Span, year: int | None) -> bool:
    if year is None:
        return False
    for i in range(sent.start, sent.end):
        w = view.lower[i]
        if len(w) == 4 and w.isdigit() and 1900 <= int(w) < year - 1:
            return True
    return False


def _published_year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


def actor_heads(doc: Doc, actors: list[Actor]) -> dict[int, Actor]:
    """Token index -> the actor whose head it is (the first actor wins a shared head), as the rules find them."""
    heads: dict[int, Actor] = {}
    for act in actors:
        tok = head_token(doc, act)
        if tok is not None and tok.i not in heads:
            heads[tok.i] = act
    return heads


def _clause_range(view: DocView, sent: Span, top: int) -> tuple[int, int]:
    """The token range of the subtree of `top` within its sentence (the sentence when `top` is -1)."""
    if top < 0:
        return sent.start, sent.end
    lo = hi = top
    stack = [top]
    while stack:
        i = stack.pop()
        lo, hi = min(lo, i), max(hi, i)
        stack.extend(view.kids(i, sent))
    return max(lo, sent.start), min(hi + 1, sent.end)


def candidates(doc: Doc, actors: list[Actor], published: str | None, events: list[Event],
               rules: EventRules) -> list[Candidate]:
    """Every candidate of an article in text order: ordered pairs of the actors (and rule-event sides) of each
    parsed sentence that holds an actor. `events` are the rule events; a source without target, and a pair with
    no country on either side, is a candidate only where a rule event is on it."""
    heads = actor_heads(doc, actors)
    if not heads and not events:
        return []
    view = DocView(doc, rules)
    year = _published_year(published)
    by_start: dict[int, list[int]] = {}
    for k, ev in enumerate(events):
        by_start.setdefault(ev.start, []).append(k)
    out: list[Candidate] = []
    for index, sent in enumerate(doc.sents):
        args = [(heads[i], i) for i in range(sent.start, sent.end) if i in heads][:MAX_ARGS]
        first = next((i for i in range(sent.start, sent.end) if not view.space[i]), None)
        if first is None:
            continue
        start = doc[first].idx
        mine = by_start.get(start, [])
        if not args and not mine:
            continue
        if not is_parsed(sent.root) or rules.boilerplate.match(sent.text):
            continue
        seen = {(a.start, a.end) for a, _ in args}
        for k in mine:  # a rule event's own sides (phrases no actor covers) are arguments too
            for side in (events[k].source, events[k].target):
                if side is not None and (side.start, side.end) not in seen:
                    tok = head_token(doc, side)
                    if tok is not None and sent.start <= tok.i < sent.end:
                        seen.add((side.start, side.end))
                        args.append((side, tok.i))
        if not args:
            continue
        pair_events: dict[tuple, list[int]] = {}
        for k in mine:
            ev = events[k]
            if ev.source is not None:
                key = (ev.source.start, ev.source.end,
                       *((ev.target.start, ev.target.end) if ev.target else (None, None)))
                pair_events.setdefault(key, []).append(k)
        countries = {a.country for a, _ in args if a.country}
        sv = SentenceView(view, sent, index, len(args), len(countries), _old_year(view, sent, year))
        sent_cands: list[Candidate] = []
        for a, ta in args:
            for b, tb in [*args, (None, -1)]:
                if b is a or (b is not None and (tb == ta or acts_on_itself(a, b))):
                    continue
                key = (a.start, a.end, *((b.start, b.end) if b is not None else (None, None)))
                if key not in pair_events and (b is None or not (a.country or b.country)):
                    continue  # no target, or no country on either side, and no rule event: seldom an event
                feats, lca = pair_features(sv, a, b, ta, tb, rules)
                sent_cands.append(Candidate(sent, start, a, b, ta, tb, lca, (-1, -1), view,
                                            pair_events.get(key, []), feats))
        _rule_features(sent_cands, events, mine)
        out.extend(sent_cands)
    return out


def _rule_features(cands: list[Candidate], events: list[Event], mine: list[int]) -> None:
    """What the rule events of the sentence say about each candidate: on this pair (type and how it was typed),
    on the reversed pair, on the same countries through other mentions, the types anywhere in the sentence."""
    if not mine:
        for c in cands:
            c.features.append("r:none")
        return
    dyads: dict[tuple, set[str]] = {}
    by_pair: set[tuple] = set()
    for k in mine:
        ev = events[k]
        cs, ct = (ev.source.country if ev.source else None), (ev.target.country if ev.target else None)
        dyads.setdefault((cs, ct), set()).add(ev.type)
        if ev.source is not None:
            by_pair.add((ev.source.start, ev.target.start if ev.target else None))
    sentence_types = [f"rs:{t}" for t in sorted({events[k].type for k in mine})]
    sources = {p[0] for p in by_pair}
    for c in cands:
        f = c.features
        f.append("r:some")
        f += sentence_types
        for k in c.events:
            ev = events[k]
            f += [f"rt:{ev.type}", f"rk:{(ev.rule or 'model').split(':')[0]}", f"rm:{ev.modality}"]
            if ev.reciprocal:
                f.append("rrecip")
        if not c.events:
            f.append("rt:none")
        cs, ct = c.source.country, (c.target.country if c.target else None)
        f += [f"rd:{t}" for t in sorted(dyads.get((cs, ct), ()))]
        if c.target is not None and (c.target.start, c.source.start) in by_pair:
            f.append("rswap")
        if c.source.start in sources:
            f.append("rsrc")


def type_features(cand: Candidate) -> list[str]:
    """The candidate's features and the content lemmas of its clause (the subtree of the pair's ancestor, else
    the sentence), for the type model."""
    v = cand.view
    if cand.clause[0] < 0:
        cand.clause = _clause_range(v, cand.sent, cand.lca_i)
    lo, hi = cand.clause
    words = sorted({f"w:{v.lemma[i]}" for i in range(lo, hi) if v.pos[i] in _CONTENT_POS})
    return cand.features + words
