"""Dependency-based event detection: predicates, their actor arguments, modality, type, date, place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..records import Actor, Article, Event
from .dates import resolve_date
from .typer import classify_event, split_yield, trigger_lexicon

DATA = Path(__file__).parent / "data"

# prepositions that introduce a place or a time, not the one acted upon
LOCATIVE = {"in", "at", "near", "inside", "within", "across", "throughout", "outside", "around", "during", "since",
            "after", "before", "amid", "amidst", "over", "about", "between", "among", "despite", "like", "than",
            "into", "via", "under", "beyond", "alongside", "including", "as", "per", "until"}
SPEECH = {"say", "tell", "add", "note", "state", "remark", "explain", "report", "write", "comment", "emphasize",
          "emphasise", "underscore", "stress", "reiterate", "insist", "claim", "allege", "assert", "contend",
          "argue", "believe", "think", "know", "see", "view", "be", "have", "do", "describe", "quote", "recall",
          "acknowledge", "suggest", "indicate", "reply", "respond", "answer", "speak_to", "become", "remain",
          "seem", "appear", "come", "go", "get", "make", "take", "include", "continue", "follow", "keep", "want",
          "need", "try", "begin", "start", "mark", "show", "find", "use", "face", "reflect", "focus", "hail",
          "accompany", "lead", "spearhead", "walk", "balance", "enjoy", "retain", "pursue", "raise", "hold"}
SAY_VERBS = {"say", "tell", "state", "insist", "stress", "argue", "add", "reiterate", "emphasize", "emphasise"}
OBLIGE_AUX = {"must", "should"}
CLAIM_VERBS = {"claim", "allege", "assert", "contend", "insist", "purport"}
CLAIM_NOUNS = {"claim", "allegation", "assertion", "contention"}
DENY_VERBS = {"deny", "refute", "dismiss", "reject"}
PLAN_HEADS = {"schedule", "plan", "set", "expect", "due", "intend", "prepare", "aim", "hope", "going", "poise",
              "slate", "likely", "want", "seek", "propose"}
HYPO_AUX = {"could", "may", "might", "should", "can", "must", "ought"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
RECIPROCAL = {"meet", "talk", "discuss", "negotiate", "agree", "sign", "clash", "fight", "speak", "hold", "exchange",
              "cooperate", "trade", "consult", "confer", "reconcile", "meeting", "talks", "summit", "call", "chat",
              "finalize", "finalise", "conclude", "reach", "agreement", "deal", "pact", "accord", "treaty"}
# "A met B", "A held talks with B", "A signed a deal with B": both sides act, so the event is reciprocal
MUTUAL_OBJ = {"meet", "telephone", "phone", "ring", "call"}  # the direct object is the other party
# ("agreed with B that ..." shares B's view: not a deal between the two)
MUTUAL_WITH = (RECIPROCAL - {"agree"}) | {"discussion", "negotiation", "consultation", "conversation", "dialogue", "cooperation",
                            "meet", "consult", "telephone", "phone", "partner", "ally", "align", "spar", "hold"}
# a noun that stands for an earlier event or statement: "denounced the move", "a claim X refuted"
ANAPHORIC = {"move", "decision", "step", "statement", "claim", "assertion", "remark", "remarks", "comment",
             "comments", "nomination", "measure", "action", "announcement", "allegation", "accusation", "suggestion",
             "proposal", "offer", "gesture", "assurance", "invitation", "report"}
SAYING_NOUNS = {"statement", "claim", "assertion", "remark", "remarks", "comment", "comments", "allegation",
                "accusation", "suggestion", "report", "assurance"}
# a statement against someone: answering it ("rejected the accusations") acts on its author
ACCUSING_NOUNS = {"accusation", "allegation", "charge", "criticism"}
INQUIRY = {"investigate", "investigation", "probe", "inquiry", "enquiry"}
# nouns that only carry the event named by their 'of' object: "the imposition of tariffs on X"
LIGHT_NOUNS = {"imposition", "signing", "lifting", "easing", "launch", "resumption", "extension", "expansion",
               "announcement", "conclusion", "holding"}
PLAN_MODS = {"upcoming", "planned", "proposed", "scheduled", "forthcoming", "expected", "prospective", "future"}
# verbs that move something to someone (the 'to' object is the one acted upon, not the thing sent) and away from
# somewhere (the 'from' object is)
TRANSFER = {"give", "provide", "send", "return", "donate", "deliver", "hand", "supply", "ship", "transfer", "grant",
            "offer", "extend", "pledge", "contribute", "dispatch", "airlift", "sell"}
AWAY = {"withdraw", "pull", "evacuate", "remove", "expel", "recall", "retreat"}
GROUP_SUBJ = {"side", "minister", "leader", "country", "nation", "neighbour", "neighbor", "government", "president",
              "delegation", "official", "counterpart", "army", "force", "rival", "party"}
AMBIGUOUS = {"hit", "free", "call", "strike", "back", "charge", "send", "provide", "hold", "cut", "fire", "release", "lift", "pull",
             "share", "mass", "march", "help", "ask", "seek", "deploy", "supply", "ban", "suspend", "demand", "accept"}
SOURCE_ONLY = {"REJECT", "ACCUSE", "PROTEST", "MOBILIZE", "THREATEN", "AGREE", "SANCTION"}
MIN_MODEL_CONF = 0.5
MIN_CLAUSE_CONF = 0.35  # the clause fallback: both ends are resolved actors, so a less sure model may code it
PLACE_TARGET = {"ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "SANCTION", "AID"}
PLACE_NOUNS = {"sideline", "sidelines", "margin", "margins", "side", "border", "outskirts", "capital", "city",
               "region", "heart", "edge", "streets", "street", "centre", "center"}
WH = {"which", "who", "that", "whom"}
CLAUSE_TARGET = {"REQUEST", "ACCUSE"}
SUBJ_PRONOUNS = {"it", "they", "he", "she", "we"}
_NP_DEPS = {"compound", "appos", "amod", "nmod", "det", "nummod", "flat", "npadvmod", "quantmod"}
_SRC_DEPS = {"nsubj", "csubj", "agent", "expl"}
_TGT_DEPS = {"dobj", "nsubjpass", "dative", "oprd", "attr", "pobj", "obj", "iobj", "prep"}
_SHOULD_FOLD = {"dobj", "attr", "nsubjpass", "oprd"}


@lru_cache(maxsize=1)
def plover_table() -> dict[str, tuple[str, float, int]]:
    """PLOVER type -> (CAMEO root code, default intensity, quad class), from events/data/plover.tsv."""
    out = {}
    for line in (DATA / "plover.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        t, cameo, intensity, quad = line.split("\t")[:4]
        out[t] = (cameo, float(intensity), int(quad))
    return out


def _lex(tok: Token) -> tuple[str, str | None] | None:
    lex = trigger_lexicon()
    return lex.get(tok.lemma_.lower()) or lex.get(tok.lower_)


def _is_pred(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        return True
    if tok.pos_ in ("NOUN", "PROPN") and _lex(tok) is not None:
        return True
    return False


class _Args:
    __slots__ = ("sources", "targets", "recip")

    def __init__(self) -> None:
        self.sources: list[Actor] = []
        self.targets: list[Actor] = []
        self.recip: bool = False


def _head_token(doc: Doc, actor: Actor) -> Token | None:
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _attach(tok: Token, actor_heads: dict[int, Actor], self_i: int,
            absorbed: set[int] | None = None) -> tuple[Token, str, str | None] | None:
    """Climb from an actor's head token to the predicate it is an argument of: (pred, dep, preposition)."""
    t = tok
    prep: str | None = None
    only_coord = True
    path: list[str] = []
    for _ in range(8):
        h = t.head
        if h.i == t.i:
            return None
        dep = t.dep_
        if dep == "unparsed":
            return None
        if t.i != self_i and t.i in actor_heads and not only_coord:
            if prep is None and absorbed is not None and all(d in ("conj", "cc", "appos", "compound", "flat")
                                                            for d in path):
                absorbed.add(t.i)  # "Russian energy giants Rosneft and Lukoil": the names stand for the group
            else:
                return None  # nested inside another actor's phrase ("the leader of Pakistan")
        path.append(dep)
        if dep not in ("conj", "cc"):
            only_coord = False
        if dep == "prep" or dep == "agent":
            if _is_pred(h):
                return h, ("agent" if dep == "agent" else "prep"), prep
            if h.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and h.i not in actor_heads and (
                    prep in LOCATIVE or h.lemma_.lower() in PLACE_NOUNS):
                return None  # "the tensions in X": a place, not an argument
            t = h
            continue
        if dep == "pobj":
            if prep is not None and prep != "of":
                return None  # two prepositional hops ("in retaliation for Delhi's imports"): too far
            prep = t.head.lower_
            if t.head.dep_ == "agent":
                prep = "by"
            t = h
            continue
        if dep == "compound" and h.pos_ != "VERB" and _is_pred(h) and t.i == self_i and any(
                c.i != t.i and c.i in actor_heads and c.dep_ in ("compound", "nmod") and c.i < h.i for c in h.children):
            return h, dep, prep  # "the Jaishankar-Rubio meeting": two named parties of one event noun
        if _is_pred(h) and dep not in ("conj", "appos", "compound") or (_is_pred(h) and h.pos_ == "VERB"):
            if dep == "conj" and h.pos_ == "VERB":
                return None
            return h, dep, prep
        if dep in _NP_DEPS or dep == "conj" or dep == "cc":
            t = h
            continue
        if dep == "poss" and _is_pred(h):
            return h, "poss", None
        if dep == "poss":  # "arrested Morocco's ambassador": the owner stands in for the phrase
            t = h
            continue
        return None
    return None


def _role(pred: Token, dep: str, prep: str | None) -> str | None:
    if dep in ("nsubj", "csubj"):
        return "source"
    if dep == "agent" or (dep == "prep" and prep == "by" and pred.tag_ == "VBN"):
        return "source"
    if pred.pos_ != "VERB" and dep in ("poss", "compound", "amod", "nmod"):
        return "source"
    if dep == "prep" or dep == "pobj":
        if prep == "into" and (pred.lemma_.lower() in INQUIRY or any(
                c.dep_ == "dobj" and c.lemma_.lower() in INQUIRY for c in pred.children)):
            return "target"  # "an investigation into X", "probing into X": X is the one investigated
        if prep in ("in", "inside", "into") and pred.pos_ == "VERB":
            return "place"
        if prep in LOCATIVE or prep is None:
            return None
        if prep == "by" and pred.pos_ != "VERB":
            return "source"
        if prep in ("of",) and pred.pos_ == "VERB":
            return None
        return "target"
    if dep in ("dobj", "nsubjpass", "dative", "oprd", "attr", "obj", "iobj"):
        return "target"
    return None


def _subject_actors(verb: Token, args: dict[int, _Args], actor_heads: dict[int, Actor]) -> list[Actor]:
    """Sources a verb inherits: xcomp/conj/advcl from its head, relative clauses from their antecedent."""
    seen = 0
    v = verb
    while seen < 4:
        seen += 1
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj and v is not verb:
            a = args.get(v.i)
            if a and a.sources:
                return list(a.sources)
            if v.dep_ != "xcomp" and not any(c.dep_ == "xcomp" for c in [verb]):
                # passive raising ("X is scheduled to meet") keeps the passive subject as the doer
                pass
            for s in subj:
                act = actor_heads.get(s.i)
                if act:
                    return [act]
            ante = _reporter(v, subj[0], actor_heads)
            return [ante] if ante else []
        if subj and v is verb:
            s = subj[0]
            if s.lower_ in WH and v.dep_ == "relcl":
                act = actor_heads.get(v.head.i)
                return [act] if act else []
            ante = _reporter(v, s, actor_heads)
            return [ante] if ante else []
        if v.dep_ == "acomp" and v.head.i != v.i:  # "says it is willing to withdraw"
            v = v.head
            continue
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp") and v.head.i != v.i:
            if v.dep_ == "ccomp" and v.head.lemma_ not in PLAN_HEADS:
                return []
            if v.dep_ == "advcl" and v.tag_ != "VBG" and not (v.tag_ == "VB" and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in v.children)):
                return []  # a purpose clause ("X sent aid to help Y") shares the subject; other adverbials do not
            v = v.head
            continue
        if v.dep_ == "acl" and v.tag_ == "VBG":
            act = actor_heads.get(v.head.i)
            if act is None and v.head.dep_ == "dobj" and v.head.head.pos_ == "VERB":
                v = v.head.head  # "X issued a statement urging Y to ...": the statement's author
                continue
            return [act] if act else []
        return []
    return []


def _clause_subject(pred: Token, actor_heads: dict[int, Actor]) -> list[Actor]:
    """The subject of a demanded clause is the one asked: "X demanded that Y cancel", "demands that Y grant"."""
    for c in pred.children:
        if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX"):
            for g in c.children:
                if g.dep_ in ("nsubj", "nsubjpass") and g.i in actor_heads:
                    return [actor_heads[g.i]]
    return []


def _reporter(clause: Token, subj: Token, actor_heads: dict[int, Actor]) -> Actor | None:
    """A pronoun subject of a reported clause stands for the reporter: "Nigeria announced that it will withdraw"."""
    if subj.lower_ not in SUBJ_PRONOUNS or clause.dep_ != "ccomp" or clause.head.i == clause.i:
        return None
    head = clause.head
    if head.pos_ != "VERB":
        return None
    for c in head.children:
        if c.dep_ == "nsubj":
            if c.i in actor_heads:
                return actor_heads[c.i]
            inside = [actor_heads[i] for i in range(c.left_edge.i, c.right_edge.i + 1) if i in actor_heads]
            return inside[0] if len(inside) == 1 else None
    return None


def _modality(pred: Token, actor_heads: dict[int, Actor], sent: Span,
              trigger: Token | None = None) -> tuple[str, Actor | None]:
    negated = hypothetical = planned = False
    claimed_by: Actor | None = None
    claimed = False
    t = pred
    noun = trigger if trigger is not None and trigger.pos_ != "VERB" else pred
    if noun.pos_ != "VERB" and (any(c.dep_ == "amod" and c.lower_ in PLAN_MODS for c in noun.children)
                                or (noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_ in PLAN_HEADS)
                                or (noun.dep_ == "pobj" and (noun.head.lower_ == "before" or (
                                    noun.head.lower_ == "of" and noun.head.head.lower_ == "ahead")))):
        planned = True  # "the upcoming meeting", "talks are expected to ...", "ahead of his meeting with X"
    for depth in range(6):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and depth == 0):
                if depth == 0 or t.lemma_ not in DENY_VERBS:
                    negated = True if depth == 0 else negated
            if c.dep_ == "aux":
                w = c.lower_
                if w in HYPO_AUX:
                    hypothetical = True if depth <= 1 else hypothetical
                elif w in FUTURE_AUX and depth <= 1:
                    planned = True
                elif w == "would" and depth <= 1:
                    planned = True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                hypothetical = True
        if depth > 0:
            if t.lemma_ in CLAIM_VERBS or (t.pos_ == "NOUN" and t.lemma_ in CLAIM_NOUNS):
                claimed = True
                claimed_by = _claimer(t, actor_heads)
            elif t.lemma_ in PLAN_HEADS and depth <= 2:
                planned = True
            elif t.lemma_ in DENY_VERBS and t.pos_ == "VERB" and depth == 1 and pred.dep_ == "ccomp":
                negated = True
        if t.dep_ in ("ccomp", "xcomp", "conj", "acl", "advcl", "relcl", "pcomp", "pobj", "prep", "dobj", "attr") \
                and t.head.i != t.i and (t.dep_ not in ("pobj", "prep", "dobj", "attr") or depth > 0):
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
                hypothetical = True
            t = t.head
            continue
        break
    if negated:
        return "negated", None
    if claimed:
        return "claimed", claimed_by
    if hypothetical:
        return "hypothetical", None
    if planned:
        return "planned", None
    return "asserted", None


def _claimer(cue: Token, actor_heads: dict[int, Actor]) -> Actor | None:
    for c in cue.children:
        if c.dep_ in ("nsubj", "poss", "agent"):
            tok = c
            if c.dep_ == "agent":
                tok = next((g for g in c.children if g.dep_ == "pobj"), c)
            if tok.i in actor_heads:
                return actor_heads[tok.i]
            for a_i, act in actor_heads.items():
                if tok.left_edge.i <= a_i <= tok.right_edge.i:
                    return act
            sub = tok.doc[tok.left_edge.i: tok.right_edge.i + 1]
            return Actor(text=sub.text, start=sub.start_char, end=sub.end_char, kind="claimer")
    return None


def _location(pred: Token, sent: Span, exclude: set[int]) -> str | None:
    near = [g for c in pred.children if c.dep_ in ("dobj", "xcomp") for g in c.children]
    for c in list(pred.children) + near:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near"):
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC", "FAC"):
                    ent = next((e for e in sent.ents if e.start <= g.i < e.end), None)
                    return ent.text if ent is not None else g.text
    return None


def _group_subject(verb: Token) -> bool:
    for c in verb.children:
        if c.dep_ in ("nsubj",) and c.lemma_.lower() in GROUP_SUBJ and c.tag_ in ("NNS", "NNPS"):
            if any(g.lower_ in ("two", "both") for g in c.children) or c.lemma_ == "side":
                return True
        if c.dep_ == "nsubj" and c.lower_ in ("both", "they", "we") and verb.lemma_ in RECIPROCAL:
            return c.lower_ == "both"
    return False


def _coordinated(targets: list[Actor], doc: Doc) -> list[Actor]:
    """The first target and those coordinated with it ("on Rosneft and Lukoil"); other stray actors go."""
    if len(targets) < 2:
        return targets
    targets = sorted(targets, key=lambda x: x.start)
    first = _head_token(doc, targets[0])
    keep = [targets[0]]
    for x in targets[1:]:
        t = _head_token(doc, x)
        hops = 0
        while t is not None and first is not None and t.dep_ == "conj" and t.i != first.i and hops < 6:
            t, hops = t.head, hops + 1
        if t is not None and first is not None and t.i == first.i:
            keep.append(x)
    return keep


def _conjunct(actor: Actor, doc: Doc, heads: dict[int, Actor]) -> Actor | None:
    """The noun phrase coordinated with an actor when it is no actor itself ("X and the regional bloc", "the
    regional bloc and X"), as an unresolved Actor; None when there is none or it is an actor or too long."""
    head = _head_token(doc, actor)
    if head is None:
        return None
    for m in head.children:  # "British and EU negotiators": the first of two coordinated modifiers
        if m.dep_ in ("amod", "nmod", "compound") and m.i < head.i and any(
                c.dep_ == "cc" and c.lower_ == "and" for c in m.children):
            if m.i in heads and heads[m.i] is not actor:
                return heads[m.i]
            cc = min(c.i for c in m.children if c.dep_ == "cc")
            span = doc[m.left_edge.i: cc]
            if 0 < len(span) <= 4 and not any(i in heads for i in range(span.start, span.end)):
                return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved")
            return None
    conj = next((c for c in head.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")), None)
    if conj is not None and conj.i not in heads and any(c.dep_ == "cc" and c.lower_ == "and" for c in head.children):
        left, right = conj.left_edge, conj.right_edge
        if right.i - left.i <= 9 and not any(t.dep_ == "unparsed" for t in (left, right)):
            span = doc[left.i: right.i + 1]
            return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved")
        return None
    elif head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "cc" and c.lower_ == "and" and c.i < head.i for c in head.head.children):
        first = head.head
        left = first.left_edge
        cc = min(c.i for c in first.children if c.dep_ in ("cc", "conj", "punct") and c.i > first.i)
        right = doc[cc - 1]
    else:
        return None
    if right.i < left.i or right.i - left.i > 9 or any(i in heads for i in range(left.i, right.i + 1)) \
            or any(t.dep_ == "unparsed" for t in (left, right)):
        return None
    span = doc[left.i: right.i + 1]
    return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved")


def _subject_phrase(verb: Token, heads: dict[int, Actor]) -> Actor | None:
    """The verb's own nominal subject as an unresolved Actor, when it is a short noun phrase (not a pronoun);
    placed in the country of an actor inside the whole subject ("a car bomb in X")."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
    if subj is None or subj.lower_ in WH:
        return None
    left = subj.left_edge
    right = max((c for c in subj.children if c.i > subj.i and c.dep_ in ("compound", "appos", "flat")),
                key=lambda c: c.right_edge.i, default=subj)
    end = right.right_edge if right is not subj else subj
    if end.i - left.i > 7 or any(t.dep_ == "unparsed" for t in (left, end)):
        return None
    span = verb.doc[left.i: end.i + 1]
    inner = next((heads[i] for i in range(subj.left_edge.i, subj.right_edge.i + 1) if i in heads
                  and heads[i].country), None)
    country = inner.country if inner is not None else None
    return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved", country=country,
                 code=country)


def _object_phrase(verb: Token) -> Actor | None:
    """The direct object of a trigger verb as an unresolved Actor (no country), when it is a short noun phrase."""
    if verb.pos_ != "VERB":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    if obj is not None and _lex(obj) is not None:
        # "launched an appeal", "carried out strikes against X": the event noun is no target; its object is
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "with", "to")), None)
        obj = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None) \
            if prep is not None else None
    if obj is None:
        return None
    if obj.lemma_.lower() in ACCUSING_NOUNS:
        # "rejected accusations by a rival party": the one answered is the accuser, not the accusation; with no
        # accuser named ("denied the allegation") there is no target
        obj = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                    for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
        if obj is None:
            return None
    left = obj.left_edge
    right = max((c for c in obj.children if c.i > obj.i and c.dep_ in ("compound", "appos", "flat")),
                key=lambda c: c.right_edge.i, default=obj)
    end = right.right_edge if right is not obj else obj
    if end.i - left.i > 7 or any(t.dep_ == "unparsed" for t in (left, end)):
        return None
    span = verb.doc[left.i: end.i + 1]
    return Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved")


def _mutual(target: Actor, tok: Token, trigger_tok: Token, heads: dict[int, Actor],
            found_by: dict[int, tuple[Token, str, str | None]], doc: Doc) -> bool:
    """Whether a source -> target pair is one of two parties acting together: the target is the direct object of
    'meet'/'telephone' or the 'with' object of a meeting, talks or agreement word ("held talks with B")."""
    head = _head_token(doc, target)
    found = found_by.get(head.i) if head is not None else None
    if found is None or heads.get(head.i) is not target:
        return False
    pred, dep, prep = found
    lemmas = {tok.lemma_.lower(), trigger_tok.lemma_.lower(), pred.lemma_.lower()}
    if dep == "prep" and prep == "with":
        return bool(lemmas & MUTUAL_WITH)
    if dep == "dobj" and pred.i == tok.i:
        return tok.lemma_.lower() in MUTUAL_OBJ and (tok.lemma_.lower() != "call" or not any(
            c.dep_ in ("xcomp", "prep", "oprd") for c in tok.children))  # "called X to ...", "called on X"
    return False


def _inherited_sources(tok: Token, target: Actor, args: dict[int, "_Args"], made: dict, found_by: dict,
                       heads: dict[int, Actor], doc: Doc) -> list[Actor]:
    """Sources for an event noun that has only a target. "the imposition of tariffs on X" takes the owner of the
    light noun; "(the two sides) finalized agreements, including talks with X" takes the other party of the clause
    it sits in, when the noun is a meeting/talks word and X its 'with' object."""
    head = _head_token(doc, target)
    found = found_by.get(head.i) if head is not None else None
    lex = _lex(tok)
    with_obj = found is not None and found[0].i == tok.i and found[1] == "prep" and found[2] == "with" \
        and tok.lemma_.lower() in MUTUAL_WITH and lex is not None and lex[0] == "CONSULT"
    t = tok
    for hop in range(8):
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in LIGHT_NOUNS and hop == 0:
            light = t.head.head
            srcs = [heads[c.i] for c in light.children if c.dep_ in ("poss", "compound", "nmod") and c.i in heads]
            srcs = srcs or (args[light.i].sources if light.i in args else [])
            return [x for x in srcs if not _same(x, target)][:1]
        if not with_obj or t.head.i == t.i or t.dep_ in ("nsubj", "nsubjpass", "ccomp", "relcl", "advcl", "ROOT"):
            return []
        t = t.head
        if t.pos_ == "VERB" and t.lemma_ in SPEECH - {"hold", "include"}:
            return []
        parties: list[Actor] = []
        for src, tgt, recip in made.get(t.i, []):
            parties += [x for x in ((src, tgt) if recip else (src,)) if x is not None]
        if not parties and t.pos_ == "VERB" and args.get(t.i):
            parties = list(args[t.i].sources)
        if parties:
            other = [x for x in parties if not _same(x, target) and (not x.country or x.country != target.country)]
            return other[:1]
    return []


def _referent(tok: Token, source: Actor, events: list[Event], sent: Span, doc: Doc) -> Actor | None:
    """The author of what an anaphoric noun points back to: "Y denounced the move" (X's earlier act), "a move
    that Y dismissed", "a statement Y refuted" (X's claim): the source (or claimer) of the latest earlier event
    in this or the previous sentence that Y did not make."""
    noun = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None) if tok.pos_ == "VERB" else None
    if (noun is None or noun.lemma_.lower() not in ANAPHORIC) and tok.dep_ == "relcl":
        noun = tok.head
    if noun is None or noun.lemma_.lower() not in ANAPHORIC or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") for c in noun.children):
        return None  # "rejected X's offer", "the move by X": the phrase names its author itself
    prev_start = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
    saying = noun.lemma_.lower() in SAYING_NOUNS
    for e in reversed(events):
        if e.start < prev_start or e.trigger_start is None or e.trigger_start >= noun.idx:
            continue
        author = e.source
        if saying and e.modality == "claimed":  # "a statement Y refuted": the claim's author, if we know them
            author = e.claimed_by if e.claimed_by is not None and e.claimed_by.kind != "claimer" else None
        if author is None or author.kind == "unresolved" or _same(author, source):
            continue
        return author
    return None


def _owner(verb: Token, heads: dict[int, Actor]) -> Actor | None:
    """The author of the object: "rejected X's request", "welcomed the offer by X", "an appeal lodged by X"."""
    if verb.pos_ != "VERB":
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    if obj is None or obj.i in heads:
        return None
    for c in obj.children:
        if c.dep_ == "poss" and c.i in heads:
            return heads[c.i]
        by = c if c.dep_ == "prep" and c.lower_ == "by" else next(
            (g for g in c.children if g.dep_ == "agent"), None) if c.dep_ == "acl" and c.tag_ == "VBN" else None
        if by is not None:
            pobj = next((g for g in by.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in heads:
                return heads[pobj.i]
    return None


def _recipient(verb: Token, targets: list[Actor], found_by: dict, heads: dict[int, Actor], doc: Doc) -> list[Actor]:
    """'sent aid to X' / 'returned the paintings to X': X; 'withdrew troops from X': X. An actor if one is there,
    else the phrase itself ("to its owners"), placed in the country of an actor inside it ("a museum in Spain")."""
    want = "from" if verb.lemma_ in AWAY else "to"
    picked = []
    for x in targets:
        head = _head_token(doc, x)
        f = found_by.get(head.i) if head is not None else None
        if f is not None and f[0].i == verb.i and f[1] == "prep" and f[2] == want:
            picked.append(x)
    if picked:
        return picked
    prep = next((c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == want), None)
    pobj = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None) \
        if prep is not None else None
    if pobj is None or any(t.dep_ == "unparsed" for t in (pobj.left_edge, pobj.right_edge)):
        return []
    left, right = pobj.left_edge, pobj.right_edge
    if right.i - left.i > 9:
        right = pobj
    span = doc[left.i: right.i + 1]
    inner = next((heads[i] for i in range(left.i, right.i + 1) if i in heads and heads[i].country), None)
    country = inner.country if inner is not None else None
    return [Actor(text=span.text, start=span.start_char, end=span.end_char, kind="unresolved", country=country,
                  code=country)]


def _purpose(verb: Token) -> bool:
    """A purpose clause without its own subject ("X sent aid to help Y"): it borrows X, so only a named target
    makes it an event of its own ("to discuss issues" does not)."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _controller(verb: Token, heads: dict[int, Actor]) -> Actor | None:
    """The object that controls an infinitive: "urged X to ...", "called on X to ..."."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.i in heads:
            return heads[c.i]
        if c.dep_ == "prep" and c.lower_ in ("on", "upon"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in heads:
                return heads[pobj.i]
    return None


def _obliged(verb: Token, heads: dict[int, Actor]) -> Actor | None:
    """The actor a reported clause puts under an obligation: "X said Y must withdraw", "X says Y should stop"."""
    for c in verb.children:
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        if not any(g.dep_ == "aux" and g.lower_ in OBLIGE_AUX for g in c.children):
            continue
        subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.i in heads:
            return heads[subj.i]
    return None


def _called_on(verb: Token, heads: dict[int, Actor]) -> Actor | None:
    """"called on X to ..." and "called for X to ...": X, the one asked."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp", "ccomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None and subj.i in heads and any(g.dep_ == "mark" and g.lower_ == "for"
                                                            for g in c.children):
                return heads[subj.i]
            if c.dep_ == "xcomp":
                return _controller(verb, heads) if not any(g.dep_ == "dobj" for g in verb.children) else None
    return None


def _same(a: Actor, b: Actor) -> bool:
    if a is b or (a.start == b.start and a.end == b.end):
        return True
    if a.entity and a.entity == b.entity:
        return True
    return bool(a.name) and a.name == b.name and a.code == b.code


def detect(doc: Doc, actors: list[Actor], article: Article) -> list[Event]:
    table = plover_table()
    heads: dict[int, Actor] = {}
    for act in actors:
        tok = _head_token(doc, act)
        if tok is not None and tok.i not in heads:
            heads[tok.i] = act
    events: list[Event] = []
    recent: list[Actor] = []
    for sent in doc.sents:
        if sent.root.dep_ == "unparsed" or all(t.dep_ == "unparsed" for t in sent[:3]):
            continue
        sent_actors = [heads[t.i] for t in sent if t.i in heads]
        args: dict[int, _Args] = {}
        fold: dict[int, Token] = {}
        absorbed: set[int] = set()
        places: dict[int, list[Actor]] = {}
        found_by: dict[int, tuple[Token, str, str | None]] = {}
        made: dict[int, list[tuple[Actor | None, Actor | None, bool]]] = {}
        by_pred: list[tuple[Event, Token]] = []
        for t in sent:
            if t.i in heads:
                f = _attach(t, heads, t.i, absorbed)
                if f:
                    found_by[t.i] = f
        for t in sent:
            if t.i not in heads:
                continue
            found = found_by.get(t.i)
            if not found or t.i in absorbed:
                continue
            pred, dep, prep = found
            role = _role(pred, dep, prep)
            if role is None:
                continue
            a = args.setdefault(pred.i, _Args())
            if role == "place":
                places.setdefault(pred.i, []).append(heads[t.i])
                continue
            (a.sources if role == "source" else a.targets).append(heads[t.i])
        # verbs inherit subjects; event nouns folded into their light verb ("imposed sanctions on X")
        preds = sorted({t.i for t in sent if _is_pred(t)})
        for i in preds:
            tok = doc[i]
            a = args.setdefault(i, _Args())
            if tok.pos_ == "VERB" and not a.sources:
                a.sources = _subject_actors(tok, args, heads)
        for i in preds:
            tok = doc[i]
            if tok.pos_ != "VERB" and tok.dep_ in _SHOULD_FOLD and tok.head.pos_ == "VERB":
                va = args.setdefault(tok.head.i, _Args())
                na = args[i]
                if na.targets or not _lex(tok.head):
                    va.targets.extend(x for x in na.targets if x not in va.targets)
                    if not va.sources:
                        va.sources = list(na.sources)
                    args[i] = _Args()
                    fold[tok.head.i] = tok
        for i in preds:
            tok = doc[i]
            a = args.get(i)
            if a is None:
                continue
            trig = fold.get(i)
            trigger_tok = tok
            lex = _lex(tok)
            if trig is not None and (lex is None or tok.lemma_ in SPEECH or _lex(trig) is not None):
                trigger_tok, lex = trig, _lex(trig)
            obliged = _obliged(tok, heads) if tok.lemma_ in SAY_VERBS and trig is None else None
            if tok.lemma_ in SPEECH and trig is None and obliged is None:
                continue
            sources = [s for s in a.sources if s is not None]
            if obliged is not None:
                if not sources or any(_same(obliged, s) for s in sources):
                    continue
                # "X said Y must withdraw": X demands it of Y
                lex, trigger_tok, a.targets = ("REQUEST", None), tok, [obliged]
            targets = _coordinated([x for x in a.targets if not any(_same(x, s) for s in sources)], doc)
            if tok.pos_ == "VERB" and tok.lemma_ == "call" and lex is not None:
                asked = _called_on(tok, heads)
                if asked is not None:  # "called on X to ...", "called for X to ...": a request, not a phone call
                    lex, targets = ("REQUEST", None), [asked]
            if tok.pos_ == "VERB" and (tok.lemma_ in TRANSFER or tok.lemma_ in AWAY):
                targets = _recipient(tok, targets, found_by, heads, doc) or targets
            if not sources and targets and tok.pos_ != "VERB" and lex is not None:
                sources = _inherited_sources(tok, targets[0], args, made, found_by, heads, doc)
            if not sources and targets and tok.pos_ == "VERB" and lex is not None:
                subj = _subject_phrase(tok, heads)
                if subj is not None:  # "a local militia attacked X": a doer we cannot resolve is still the source
                    sources = [subj]
            if sources and not targets and lex is not None:
                pron = next((c for c in tok.children if c.dep_ in ("dobj", "dative") and c.lower_ in ("him", "her")),
                            None)
                if pron is not None:  # "X claimed that Y assured him": the one assured is the claimer
                    _, by = _modality(tok, heads, sent)
                    if by is not None and not _same(by, sources[0]):
                        targets = [by]
            if sources and lex is not None and (not targets or all(x.kind == "unresolved" for x in targets)):
                ref = _referent(tok, sources[0], events, sent, doc) or _owner(tok, heads)
                if ref is not None and not _same(ref, sources[0]):
                    targets = [ref]
            if not targets and lex is not None and lex[0] in PLACE_TARGET:
                # "bombed targets in Morocco", "arrested activists in Iran": the place is the one acted upon
                node = trigger_tok if trigger_tok.i in places else tok
                targets = [x for x in places.get(node.i, []) + places.get(tok.i, [])
                           if not any(_same(x, s) for s in sources)][:1]
                obj = _object_phrase(tok) if targets and sources else None
                if obj is not None:
                    # "attacked an army camp in Kabul": the camp is the one acted upon, placed by the city
                    obj.country, obj.code = targets[0].country, targets[0].country
                    targets = [obj]
            if sources and not targets and lex is not None and lex[0] in CLAUSE_TARGET:
                targets = _clause_subject(trigger_tok, heads) or _clause_subject(tok, heads)
                targets = [x for x in targets if not any(_same(x, s) for s in sources)]
            own_force = False
            if lex is not None and lex[0] == "MOBILIZE" and sources and len(targets) == 1 \
                    and _own_force(targets[0], sources[0], doc):
                own_force = True
                # "mobilized its troops for a war against X": the troops are the doer's own; X is the one faced
                far = _against(tok, heads, sources)
                targets = [far] if far is not None else []
            pairs: list[tuple[Actor | None, Actor | None, bool]] = []
            if sources and targets:
                pairs = [(s, x, _mutual(x, tok, trigger_tok, heads, found_by, doc)) for s in sources[:2] for x in targets]
            elif len(sources) >= 2 and (tok.lemma_ in RECIPROCAL or trigger_tok.lemma_ in RECIPROCAL):
                pairs = [(sources[0], sources[1], True)]
            elif len(sources) == 1 and not targets and (tok.lemma_ in RECIPROCAL or trigger_tok.lemma_ in RECIPROCAL) \
                    and not any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) \
                    and (other := _conjunct(sources[0], doc, heads)) is not None:
                # "India and the bloc agreed": the unnamed partner coordinated with the one actor is the other party
                pairs = [(sources[0], other, True) if sources[0].start < other.start else (other, sources[0], True)]
            elif not sources and len(targets) >= 2 and tok.pos_ != "VERB" and trigger_tok.lemma_ in RECIPROCAL:
                pairs = [(targets[0], targets[1], True)]
            elif not sources and not targets and _group_subject(tok) and (tok.lemma_ in RECIPROCAL
                                                                           or trigger_tok.lemma_ in RECIPROCAL):
                pool: list[Actor] = []
                for act in reversed(recent + sent_actors):
                    if act.start < tok.idx and not any(_same(act, p) for p in pool) and act.country \
                            and (act.sector in ("GOV", "MIL", None) or act.kind == "person"):
                        pool.append(act)
                    if len(pool) == 2:
                        break
                if len(pool) == 2:
                    pairs = [(pool[1], pool[0], True)]
            elif lex is not None and sources and not targets and not _purpose(tok) and not own_force \
                    and (obj := _object_phrase(tok)) is not None:
                # "police detained 18 people", "Russia vetoed the resolution": an unresolved target phrase
                pairs = [(sources[0], obj, False)]
                if lex[0] == "MOBILIZE" and _own_force(obj, sources[0], doc):
                    pairs = [(sources[0], _against(tok, heads, sources), False)]
            elif lex is not None and (sources or targets):
                if sources and not targets and lex[0] in SOURCE_ONLY:
                    pairs = [(s, None, False) for s in sources[:1]]
                elif targets and not sources and tok.pos_ == "VERB" and tok.tag_ == "VBN":
                    pairs = [(None, x, False) for x in targets]
            made[i] = [(src, tgt, recip) for src, tgt, recip in pairs]
            for src, tgt, recip in pairs:
                if src is not None and tgt is not None and _same(src, tgt):
                    continue
                ev = _make_event(doc, sent, tok, trigger_tok, lex, src, tgt, recip, heads, article, table)
                if ev.rule == "model" and (ev.confidence or 0) < MIN_MODEL_CONF:
                    continue  # no trigger word we know and an unsure model: most likely not an event
                events.append(ev)
                by_pred.append((ev, tok))
        _drop_adjunct_events(events, by_pred)
        _drop_subordinate_events(events, by_pred)
        if sent_actors:
            mine = [e for e in events if e.start >= sent.start_char and e.end <= sent.end_char]
            for ev in _clause_fallback(doc, sent, heads, article, table):
                if not any(e.trigger_start == ev.trigger_start or (e.source is ev.source or e.target is ev.target)
                           for e in mine):
                    events.append(ev)
        recent = (recent + sent_actors)[-8:]
    return _dedupe(events)


# temporal and causal clauses set the scene; contrastive ones ("though X denies ...") assert an event of their own
SUBORDINATORS = {"after", "before", "as", "when", "since", "because", "until", "once"}


def _subordinate(tok: Token) -> bool:
    """Whether a predicate sits in a relative clause or a temporal/causal adverbial clause of its sentence."""
    t = tok
    for _ in range(10):
        if t.dep_ in ("relcl", "acl"):
            # "a move that Y dismissed", "a statement Y refuted": a reaction to what the noun points back to
            return t.head.lemma_.lower() not in ANAPHORIC
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _drop_subordinate_events(events: list[Event], by_pred: list[tuple[Event, Token]]) -> None:
    """The main event of a sentence wins over those in its relative or adverbial clauses ("X attacked Y after
    Z had shelled W"): the clauses' events go when a main-clause event has both a source and a target."""
    live = {id(e) for e in events}
    mine = [(e, t) for e, t in by_pred if id(e) in live]
    if not any(e.source is not None and e.target is not None and not _subordinate(t) for e, t in mine):
        return
    drop = {id(e) for e, t in mine if _subordinate(t)}
    if drop:
        events[:] = [e for e in events if id(e) not in drop]


FORCE_NOUNS = {"troop", "army", "force", "soldier", "police", "policeman", "reservist", "unit", "battalion",
               "brigade", "division", "contingent", "personnel", "warship", "fleet", "militia", "guard"}


def _own_force(target: Actor, source: Actor, doc: Doc) -> bool:
    """Whether a target is armed forces of the source's own side (or of no known side): "mobilized its army"."""
    head = _head_token(doc, target)
    if head is None or head.lemma_.lower() not in FORCE_NOUNS:
        return False
    return not target.country or not source.country or target.country == source.country


def _against(verb: Token, heads: dict[int, Actor], sources: list[Actor]) -> Actor | None:
    """An actor the verb's action is aimed at, up to three phrases down: "against X", "for a war against X",
    "to the border with X"."""
    frontier = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
    for _ in range(3):
        nxt = []
        for node in frontier:
            for c in node.children:
                if c.dep_ != "prep":
                    continue
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    act = heads.get(g.i)
                    if act is not None and c.lower_ in ("against", "on", "toward", "towards") and act.country \
                            and not any(_same(act, x) for x in sources):
                        return act
                    nxt.append(g)
        frontier = nxt
    return None


def _drop_adjunct_events(events: list[Event], by_pred: list[tuple[Event, Token]]) -> None:
    """"X stormed the base, killing five guards": the participle adds detail to the main event of its clause; when
    that main event has the same source and a target, the adjunct's event goes (one event per clause)."""
    drop: set[int] = set()
    for ev, tok in by_pred:
        if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "acl") or ev.source is None \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        if any(t.i == tok.head.i and e is not ev and e.target is not None and _same(e.source, ev.source)
               for e, t in by_pred if e.source is not None):
            drop.add(id(ev))
    if drop:
        events[:] = [e for e in events if id(e) not in drop]


def _actor_in(tok: Token, heads: dict[int, Actor]) -> Actor | None:
    """The actor a phrase stands for: its head, else the first actor inside it ("a top diplomat in the UAE")."""
    if tok.i in heads:
        return heads[tok.i]
    for i in range(tok.left_edge.i, tok.right_edge.i + 1):
        if i in heads:
            return heads[i]
    return None


def _clause_fallback(doc: Doc, sent: Span, heads: dict[int, Actor], article: Article, table) -> list[Event]:
    """A sentence where no predicate took actors directly: the main clause's subject and object phrases, each
    holding an actor, with a trigger we know (or a sure model) make one event."""
    verb = sent.root
    for _ in range(2):
        if verb.pos_ != "VERB" or verb.dep_ == "unparsed":
            return []
        if verb.lemma_ in SPEECH:
            nxt = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
            if nxt is None:
                return []
            verb = nxt
            continue
        break
    if verb.lemma_ in SPEECH and verb.lemma_ not in ("hold", "raise", "take", "make"):
        return []
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return []
    src = _actor_in(subj, heads)
    if src is None:
        return []
    trigger_tok, lex = verb, _lex(verb)
    tgt = None
    for c in verb.children:
        if c.dep_ in ("dobj", "dative") and tgt is None:
            tgt = _actor_in(c, heads)
            if _lex(c) is not None and (lex is None or verb.lemma_ in SPEECH):
                trigger_tok, lex = c, _lex(c)
            if tgt is None:  # "held talks with X": the object noun's own preposition
                for g in c.children:
                    if g.dep_ == "prep" and g.lower_ not in LOCATIVE:
                        pobj = next((x for x in g.children if x.dep_ == "pobj"), None)
                        if pobj is not None:
                            tgt = _actor_in(pobj, heads)
                            break
        elif c.dep_ == "prep" and c.lower_ not in LOCATIVE and c.lower_ != "of" and tgt is None:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None:
                tgt = _actor_in(pobj, heads)
    if tgt is None and lex is not None:
        tgt = _object_phrase(verb)  # "rebels freed prisoners": an unresolved target phrase
    if tgt is None or _same(src, tgt):
        return []
    if lex is None and verb.lemma_ in SPEECH:
        return []
    ev = _make_event(doc, sent, verb, trigger_tok, lex, src, tgt, False, heads, article, table)
    if ev.rule == "model" and (ev.confidence or 0) < MIN_CLAUSE_CONF:
        return []
    ev.rule = f"{ev.rule} (clause)"
    return [ev]



def _sentence_bounds(sent: Span) -> tuple[str, int, int]:
    """The sentence text without surrounding whitespace/blank lines, and its offsets (text[start:end] == it)."""
    raw = sent.text
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    start = sent.start_char + lead
    return text, start, start + len(text)


def _text_in_sentence(doc, sent, actor) -> str | None:
    """The actor's text when it starts in this sentence. Sliced from the sentence: `doc.text` rebuilds the
    whole article's text on every call, which made event coding quadratic in article length."""
    if actor is None or not sent.start_char <= actor.start < sent.end_char:
        return None
    if actor.end <= sent.end_char:
        return sent.text[actor.start - sent.start_char:actor.end - sent.start_char]
    return doc.text[actor.start:actor.end]


def _make_event(doc, sent, pred, trigger_tok, lex, src, tgt, recip, heads, article, table) -> Event:
    text, s_start, s_end = _sentence_bounds(sent)
    stext, ttext = _text_in_sentence(doc, sent, src), _text_in_sentence(doc, sent, tgt)
    roots = (_head_token(doc, src) if stext else None, _head_token(doc, tgt) if ttext else None)
    mtype, conf = classify_event(text, stext, ttext, roots)
    rule = "model"
    if lex is not None and (stext is None or recip or ttext is None or conf < 0.55
                            or (mtype != lex[0] and trigger_tok.lemma_.lower() not in AMBIGUOUS)):
        mtype, conf, rule = lex[0], max(conf, 0.55), f"lexicon:{trigger_tok.lemma_.lower()}"
    if mtype in ("CONCEDE", "RETREAT", "YIELD"):
        mtype = split_yield("YIELD", text)
    cameo, intensity, quad = table.get(mtype, (None, None, None))
    modality, claimed_by = _modality(pred, heads, sent, trigger_tok)
    exclude = {tgt.start} if tgt is not None else set()
    date = resolve_date(_local_text(pred, sent), article.published, future=modality == "planned")
    mode = lex[1] if lex is not None and lex[0] == mtype else None
    return Event(source=src, target=tgt, type=mtype, sentence=text, start=s_start, end=s_end,
                 trigger=trigger_tok.text, mode=mode, cameo=cameo, intensity=intensity, quad=quad,
                 modality=modality, claimed_by=claimed_by, date=date, location=_location(pred, sent, exclude),
                 reciprocal=recip, trigger_start=trigger_tok.idx, trigger_end=trigger_tok.idx + len(trigger_tok),
                 rule=rule, confidence=round(conf, 3))


def _local_text(pred: Token, sent: Span) -> str:
    """The predicate's own clause (so a date in another clause does not leak in), else the sentence."""
    sub = pred.doc[pred.left_edge.i: pred.right_edge.i + 1]
    return sub.text if len(sub) > 2 else sent.text


def _dedupe(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    seen: dict[tuple, int] = {}
    for e in events:
        key = (e.start, e.source and (e.source.start, e.source.end), e.target and (e.target.start, e.target.end), e.type)
        if key in seen:
            k = seen[key]
            if (e.confidence or 0) > (out[k].confidence or 0):
                out[k] = e
            continue
        seen[key] = len(out)
        out.append(e)
    out.sort(key=lambda e: (e.start, e.trigger_start or 0))
    return out
