"""Event candidates: every (sentence, actor, actor-or-none) an event could be about, with its sparse features.

A candidate is an ordered pair of arguments in one parsed sentence: a source (an actor of the actors stage whose
head token is in the sentence, or the source of a rule event there) and a target (another such actor, a rule
event's target, or none). The learned event model (events/proposals.py) reads each candidate's features and
says whether the sentence reports an event from the source's country to the target's, and of which type; the rule
events on the same pair are features too, so the model also learns how far to trust each rule.

Features are strings (the model's vocabulary maps them to weights); they describe
* the two arguments: kind, sector, how the actors stage resolved them, whether they have a country, the same one;
* the syntax between them: the dependency path from the source's head to the target's (through their lowest
  common ancestor), the ancestor's lemma, the words on the path, the frame "source role : ancestor : target
  role", a preposition that introduces the target;
* triggers: the trigger lexicon's and the CAMEO verb dictionary's types for the words on the path and for the
  ancestor (events/data/triggers.tsv, cameo_verbs.tsv);
* the clause: negation, modal and future auxiliaries, a saying verb above it (reported speech) and whether the
  source is its speaker, quotation marks, an old year in the sentence;
* the sentence: its place in the article, its length, how many actors and countries it names;
* the rule events: on this very pair (their type and rule), on the reversed pair, on the same countries through
  other mentions.
Type features (`type_features`) add the sentence's content lemmas to these.
Everything is read off the parse the pipeline already made, in a few microseconds per candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..nlp import is_parsed
from ..records import Actor, Event
from .phrases import acts_on_itself, head_token
from .rules import EventRules

MAX_PATH = 7  # the longest dependency path (in arcs) spelled out as one feature
MAX_ACTORS = 10  # the most sentence actors paired with each other (a list of 30 names is no dyad)
_QUOTES = frozenset('"“”')
_CONTENT_POS = ("VERB", "NOUN", "ADJ")


@dataclass(slots=True)
class Candidate:
    """One (sentence, source, target-or-none) with its features; `events` are the indices of the rule events on
    exactly this pair (in the list passed to `candidates`)."""

    sent: Span
    sent_index: int
    source: Actor
    target: Actor | None
    source_tok: Token
    target_tok: Token | None
    lca: Token | None
    events: list[int] = field(default_factory=list)
    features: list[str] = field(default_factory=list)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def _side(actor: Actor, tag: str) -> list[str]:
    kind = actor.kind or "none"
    out = [f"{tag}k:{kind}", f"{tag}s:{actor.sector or 'none'}", f"{tag}c:{'y' if actor.country else 'n'}"]
    if actor.resolved_by:
        out.append(f"{tag}r:{actor.resolved_by}")
    if actor.confidence is not None:
        out.append(f"{tag}q:{'hi' if actor.confidence >= 0.8 else 'mid' if actor.confidence >= 0.5 else 'lo'}")
    return out


def _chain(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def _trigger_types(tok: Token, rules: EventRules) -> tuple[str | None, str | None]:
    lex = rules.entry(tok)
    cam = rules.cameo_entry(tok)
    return (lex[0] if lex else None), (cam[0] if cam else None)


def _in_quotes(sent: Span, tok: Token) -> bool:
    """Whether a token stands inside quotation marks of its sentence (an odd number of marks before it)."""
    return sum(1 for t in sent[: tok.i - sent.start] if t.text in _QUOTES) % 2 == 1


class SentenceView:
    """What every candidate of one sentence shares: its features and its tokens' chains, computed once."""

    def __init__(self, sent: Span, index: int, n_sents: int, n_actors: int, n_countries: int, old_year: bool):
        self.sent = sent
        self.index = index
        feats = [f"spos:{_bucket(index, (0, 1, 3, 8, 20))}", f"slen:{_bucket(len(sent), (10, 20, 35, 60))}",
                 f"nact:{_bucket(n_actors, (1, 2, 3, 5))}", f"ncty:{_bucket(n_countries, (0, 1, 2, 3))}"]
        if old_year:
            feats.append("oldyear")
        if sent.text.lstrip()[:1] in _QUOTES:
            feats.append("squote")
        self.features = feats
        self._chains: dict[int, list[Token]] = {}

    def chain(self, tok: Token) -> list[Token]:
        got = self._chains.get(tok.i)
        if got is None:
            got = self._chains[tok.i] = _chain(tok)
        return got


def pair_features(view: SentenceView, src: Actor, tgt: Actor | None, hs: Token, ht: Token | None,
                  rules: EventRules) -> tuple[list[str], Token | None]:
    """The syntactic, trigger and argument features of one pair, and the pair's lowest common ancestor (for a
    pair without target: the source's governing verb)."""
    f = list(view.features)
    f += _side(src, "a")
    f.append(f"adep:{hs.dep_}")
    if _in_quotes(view.sent, hs):
        f.append("aquote")
    up = view.chain(hs)
    if ht is None:
        f.append("b:none")
        gov = next((t for t in up[1:] if t.pos_ in ("VERB", "AUX") or rules.entry(t) is not None), None)
        lca = gov
        if gov is not None:
            lem = gov.lemma_.lower()
            f += [f"gov:{lem}", f"nframe:{hs.dep_}:{lem}"]
            lt, ct = _trigger_types(gov, rules)
            if lt:
                f.append(f"govlex:{lt}")
            if ct:
                f.append(f"govcam:{ct}")
    else:
        assert tgt is not None
        f += _side(tgt, "b")
        f.append(f"bdep:{ht.dep_}")
        if src.country and src.country == tgt.country:
            f.append("samec")
        f.append("order:st" if hs.i < ht.i else "order:ts")
        f.append(f"dist:{_bucket(abs(ht.i - hs.i), (2, 5, 10, 20))}")
        down = view.chain(ht)
        on_down = {t.i: k for k, t in enumerate(down)}
        k_up = next((k for k, t in enumerate(up) if t.i in on_down), None)
        if k_up is None:  # two roots: no path (a misparse across a sentence join)
            f.append("nopath")
            lca = None
        else:
            lca = up[k_up]
            k_down = on_down[lca.i]
            ups, downs = up[:k_up], down[:k_down]
            lem = lca.lemma_.lower()
            f.append(f"lca:{lem}")
            f.append(f"lcapos:{lca.pos_}")
            sdep = ups[-1].dep_ if ups else "self"
            tdep = downs[-1].dep_ if downs else "self"
            f.append(f"frame:{sdep}:{lem}:{tdep}")
            f.append(f"rframe:{sdep}:{tdep}")
            n = len(ups) + len(downs)
            f.append(f"plen:{_bucket(n, (1, 2, 3, 4, 6))}")
            if n <= MAX_PATH:
                f.append("path:" + ">".join(t.dep_ for t in ups) + "|" + "<".join(t.dep_ for t in downs))
            for t in (*ups[1:], *downs[1:]):
                f.append(f"pw:{t.lemma_.lower()}")
                lt, ct = _trigger_types(t, rules)
                if lt:
                    f.append(f"plex:{lt}")
                if ct:
                    f.append(f"pcam:{ct}")
            lt, ct = _trigger_types(lca, rules)
            if lt:
                f.append(f"lcalex:{lt}")
                f.append(f"lexframe:{sdep}:{lt}:{tdep}")
            if ct:
                f.append(f"lcacam:{ct}")
            if ht.dep_ == "pobj":
                f.append(f"bprep:{ht.head.lower_}")
                f.append(f"bprepw:{ht.head.lower_}:{ht.head.head.lemma_.lower()}")
        if _in_quotes(view.sent, ht):
            f.append("bquote")
    if lca is not None:
        f += _clause_features(lca, hs, view, rules)
    return f, lca


def _clause_features(lca: Token, hs: Token, view: SentenceView, rules: EventRules) -> list[str]:
    """Negation, auxiliaries, a saying verb above the clause (and whether the source is its speaker)."""
    out = []
    for c in lca.children:
        if c.dep_ == "neg":
            out.append("neg")
        elif c.dep_ in ("aux", "auxpass") and c.lower_ not in ("be", "is", "was", "were", "are", "been", "has",
                                                                 "have", "had", "did", "do", "does"):
            out.append(f"aux:{c.lower_}")
    chain = view.chain(lca)
    for depth, t in enumerate(chain[1:4], start=1):
        lem = t.lemma_.lower()
        if lem in rules.say_verbs:
            out.append(f"say{depth}")
            if any(c.i == hs.i or (c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i <= hs.i <= c.right_edge.i)
                   for c in t.children):
                out.append("aspeaker")
            break
        if lem in rules.plan_heads:
            out.append("planhead")
    out.append(f"lcadep:{lca.dep_}")
    return out


def _old_year(sent: Span, year: int | None) -> bool:
    if year is None:
        return False
    for t in sent:
        w = t.text
        if len(w) == 4 and w.isdigit() and 1900 <= int(w) < year - 1:
            return True
    return False


def _published_year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


def _sentence_actors(sent: Span, heads: dict[int, Actor], doc: Doc) -> list[tuple[Actor, Token]]:
    out = [(heads[t.i], t) for t in sent if t.i in heads]
    return out[:MAX_ACTORS]


def actor_heads(doc: Doc, actors: list[Actor]) -> dict[int, Actor]:
    """Token index -> the actor whose head it is (the first actor wins a shared head), as the rules find them."""
    heads: dict[int, Actor] = {}
    for act in actors:
        tok = head_token(doc, act)
        if tok is not None and tok.i not in heads:
            heads[tok.i] = act
    return heads


def candidates(doc: Doc, actors: list[Actor], published: str | None, events: list[Event],
               rules: EventRules) -> list[Candidate]:
    """Every candidate of an article in text order: ordered pairs of the actors (and rule-event sides) of each
    parsed sentence that holds an actor, and each source with no target. `events` are the rule events."""
    heads = actor_heads(doc, actors)
    year = _published_year(published)
    by_start: dict[int, list[int]] = {}
    for k, ev in enumerate(events):
        by_start.setdefault(ev.start, []).append(k)
    out: list[Candidate] = []
    sents = list(doc.sents)
    for index, sent in enumerate(sents):
        if not is_parsed(sent.root) or rules.boilerplate.match(sent.text):
            continue
        lead = len(sent.text) - len(sent.text.lstrip())
        mine = by_start.get(sent.start_char + lead, [])
        args = _sentence_actors(sent, heads, doc)
        seen = {(a.start, a.end) for a, _ in args}
        for k in mine:  # a rule event's own sides (phrases no actor covers) are arguments too
            for side in (events[k].source, events[k].target):
                if side is not None and (side.start, side.end) not in seen:
                    tok = head_token(doc, side)
                    if tok is not None and sent.start <= tok.i < sent.end:
                        seen.add((side.start, side.end))
                        args.append((side, tok))
        if not args:
            continue
        countries = {a.country for a, _ in args if a.country}
        view = SentenceView(sent, index, len(sents), len(args), len(countries), _old_year(sent, year))
        pair_events: dict[tuple, list[int]] = {}
        for k in mine:
            ev = events[k]
            if ev.source is None:
                continue
            key = (ev.source.start, ev.source.end, *((ev.target.start, ev.target.end) if ev.target else (None, None)))
            pair_events.setdefault(key, []).append(k)
        sent_cands: list[Candidate] = []
        for a, ta in args:
            for b, tb in [*args, (None, None)]:
                if b is a or (b is not None and (tb.i == ta.i or acts_on_itself(a, b))):
                    continue
                key = (a.start, a.end, *((b.start, b.end) if b is not None else (None, None)))
                if not a.country and (b is None or not b.country) and key not in pair_events:
                    continue  # no country on either side and no rule event: no dyad to code
                feats, lca = pair_features(view, a, b, ta, tb, rules)
                cand = Candidate(sent, index, a, b, ta, tb, lca, pair_events.get(key, []), feats)
                sent_cands.append(cand)
        _rule_features(sent_cands, events, mine)
        out.extend(sent_cands)
    return out


def _rule_features(cands: list[Candidate], events: list[Event], mine: list[int]) -> None:
    """What the rule events of the sentence say about each candidate: on this pair (type and how it was typed),
    on the reversed pair, on the same countries through other mentions, anywhere in the sentence."""
    if not mine:
        for c in cands:
            c.features.append("r:none")
        return
    dyads: dict[tuple, set[str]] = {}
    by_pair: dict[tuple, set[str]] = {}
    for k in mine:
        ev = events[k]
        cs, ct = (ev.source.country if ev.source else None), (ev.target.country if ev.target else None)
        dyads.setdefault((cs, ct), set()).add(ev.type)
        if ev.source is not None:
            by_pair.setdefault((ev.source.start, ev.target.start if ev.target else None), set()).add(ev.type)
    for c in cands:
        f = c.features
        f.append("r:some")
        for k in c.events:
            ev = events[k]
            rule = (ev.rule or "model").split(":")[0]
            f += [f"rt:{ev.type}", f"rk:{rule}", f"rm:{ev.modality}"]
            if ev.reciprocal:
                f.append("rrecip")
        if not c.events:
            f.append("rt:none")
        cs, ct = c.source.country, (c.target.country if c.target else None)
        for t in sorted(dyads.get((cs, ct), ())):
            f.append(f"rd:{t}")
        if c.target is not None and (c.target.start, c.source.start) in by_pair:
            f.append("rswap")
        if any(k[0] == c.source.start for k in by_pair):
            f.append("rsrc")


def type_features(cand: Candidate) -> list[str]:
    """The candidate's features and the content lemmas of its clause (the subtree of the pair's ancestor, else
    the sentence), for the type model."""
    out = list(cand.features)
    top = cand.lca if cand.lca is not None else cand.sent.root
    span = cand.sent.doc[max(top.left_edge.i, cand.sent.start): min(top.right_edge.i + 1, cand.sent.end)]
    out += sorted({f"w:{t.lemma_.lower()}" for t in span if t.pos_ in _CONTENT_POS})
    return out
