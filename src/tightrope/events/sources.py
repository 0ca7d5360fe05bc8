"""Sources a predicate does not name itself: inherited subjects, reporters, owners of light nouns, the parties
of an enclosing clause, and doers no actor covers.

* `subject_actors`: a verb without a subject of its own inherits one: an open complement, a conjunct or a purpose
  clause from the verb it depends on ("X agreed to meet Y", "X was close to realigning with Y"), a relative
  clause from its antecedent, a participle from the noun it modifies ("X issued a statement urging Y ..."), an
  infinitive from the owner of the noun it modifies ("X's efforts to improve ties with Y"). A reported clause inherits nothing (its
  subject is its own), except from a planning word ("X plans that it ..."). A past-tense verb misparsed as a
  participle of a verbless sentence's subject takes that subject back (`misparsed_subjects`).
* `reporter`: a pronoun subject of a reported clause stands for the reporter ("X announced that it will ...").
* `inherited_sources`: an event noun with only a target takes the owner of the light noun that carries it ("X's
  imposition of tariffs on Y"), the subject of the verb whose phrase it is in ("X broadcast prayers in support of
  Y") or, for talks with Y, the other party of the clause it sits in.
* `subject_phrase`: a verb's own subject phrase that holds no actor ("a local militia attacked X") is still the
  source, as an unresolved actor.
* `group_subject`: "the two ministers met", "both agreed": a subject that stands for the two parties named before.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Token

from ..actors import same_actor
from ..records import Actor
from .phrases import ArticleContext, country_inside, head_token, names_party, short_phrase, unresolved
from .rules import EventRules

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_CHAIN_DEPS = ("xcomp", "conj", "advcl", "ccomp")  # a verb that may share the subject of the verb above it


def _owned_up(tok: Token, rules: EventRules) -> Token | None:
    """The verb through whose object (credit_nouns.txt) its subject owns up to the act at `tok` ("claimed
    responsibility for the attack", "took credit for attacking"), or None."""
    prep = tok.head
    if tok.dep_ not in ("pobj", "pcomp") or prep.dep_ != "prep":
        return None
    verb = prep.head.head if prep.head.dep_ == "dobj" else prep.head  # "for" under the noun or under the verb
    if verb.pos_ == "VERB" and verb.lemma_.lower() in rules.owning_verbs and any(
            c.dep_ == "dobj" and c.lemma_.lower() in rules.credit_nouns for c in verb.children):
        return verb
    return None


def _joined(gov: Token, args: Mapping[int, object], heads: dict[int, Actor]) -> list[Actor]:
    """The subject's actors and the object's of a joining verb ("X joined Y", "X led a group of Y")."""
    found = args.get(gov.i)
    subj = list(found.sources) if found is not None and found.sources else [
        heads[c.i] for c in gov.children if c.dep_ in _SUBJECT_DEPS and c.i in heads]
    objs = list(found.targets) if found is not None else []
    out: list[Actor] = []
    for a in subj + objs:
        if not any(a is b for b in out):
            out.append(a)
    return out


def subject_actors(verb: Token, args: Mapping[int, object], heads: dict[int, Actor], rules: EventRules) -> list[Actor]:
    """Sources a verb inherits: xcomp/conj/advcl from its head, relative clauses from their antecedent. `args`
    maps a predicate's index to its arguments (with `.sources`) as found so far."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in _SUBJECT_DEPS]
        if subj and v is not verb:
            found = args.get(v.i)
            if found is not None and found.sources:
                return list(found.sources)
            for s in subj:
                if s.i in heads:
                    return [heads[s.i]]
            ante = reporter(v, subj[0], heads, rules)
            return [ante] if ante else []
        if subj:
            s = subj[0]
            if s.lower_ in rules.wh_words and v.dep_ == "relcl":
                act = heads.get(v.head.i)
                return [act] if act else []
            ante = reporter(v, s, heads, rules)
            return [ante] if ante else []
        if v.dep_ == "acomp" and v.head.i != v.i:  # "says it is willing to withdraw"
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":  # "X was close to realigning with Y", "X insisted on
            gov = v.head.head                             # meeting Y": the governor's subject, if it has no object
            if gov.dep_ == "acomp" and gov.head.i != gov.i:
                gov = gov.head
            owner = _owned_up(v, rules)
            if owner is not None:  # "X took credit for attacking Y": X's subject attacked
                v = owner
                continue
            if gov.pos_ == "VERB" and gov.lemma_.lower() in rules.joining_verbs and gov.i != verb.i:
                return _joined(gov, args, heads)  # "X joined Y in condemning Z": X and Y condemn Z
            if gov.pos_ in ("VERB", "AUX") and not any(c.dep_ == "dobj" for c in gov.children):
                v = gov
                continue
            return []
        if v.dep_ == "acl" and v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in rules.infinitive_markers
                                                      for c in v.children):
            owner = next((c for c in v.head.children if c.dep_ == "poss" and c.i in heads), None)
            return [heads[owner.i]] if owner is not None else []  # "X's efforts to improve ties with Y"
        if v.dep_ in _CHAIN_DEPS and v.head.i != v.i:
            if v.dep_ == "ccomp" and v.head.lemma_ not in rules.plan_heads:
                return []
            if v.dep_ == "advcl" and v.tag_ != "VBG" and not (v.tag_ == "VB" and any(
                    c.dep_ == "aux" and c.lower_ in rules.infinitive_markers for c in v.children)):
                return []  # a purpose clause ("X sent aid to help Y") shares the subject; other adverbials do not
            v = v.head
            continue
        if v.dep_ == "acl" and v.tag_ == "VBN" and v is verb:
            return misparsed_subjects(v, heads)
        if v.dep_ == "acl" and v.tag_ == "VBG":
            act = heads.get(v.head.i)
            if act is None and v.head.dep_ == "dobj" and v.head.head.pos_ == "VERB":
                v = v.head.head  # "X issued a statement urging Y to ...": the statement's author
                continue
            return [act] if act else []
        return []
    return []


def misparsed_subjects(verb: Token, heads: dict[int, Actor]) -> list[Actor]:
    """The subjects of a past-tense verb the parser took for a participle of the sentence's last subject noun:
    "X, Y and 18 members called on Z to act" parsed as a sentence with no verb, "called" modifying "members".
    Only when the sentence's root is that noun phrase (it has no main verb), the verb is active (no auxiliary)
    and takes an argument of its own: then every actor of the phrase's coordination is a subject."""
    root = verb.sent.root
    if root.pos_ not in ("NOUN", "PROPN") or any(c.dep_ in ("auxpass", "aux") for c in verb.children) \
            or not any(c.dep_ in ("prep", "dobj", "xcomp", "ccomp") for c in verb.children):
        return []
    chain, t = [], verb.head
    while t.i != root.i:
        if t.dep_ not in ("conj", "appos"):
            return []
        chain.append(t)
        t = t.head
    members = [root] + [c for c in root.children if c.dep_ in ("conj", "appos")]
    members += [g for m in members[1:] for g in m.children if g.dep_ in ("conj", "appos")]
    return [heads[m.i] for m in sorted(members, key=lambda m: m.i) if m.i in heads]


def reporter(clause: Token, subj: Token, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """A pronoun subject of a reported clause stands for the reporter: "Nigeria announced that it will withdraw"."""
    if subj.lower_ not in rules.subject_pronouns or clause.dep_ != "ccomp" or clause.head.i == clause.i:
        return None
    head = clause.head
    if head.pos_ != "VERB":
        return None
    for c in head.children:
        if c.dep_ == "nsubj":
            if c.i in heads:
                return heads[c.i]
            inside = [heads[i] for i in range(c.left_edge.i, c.right_edge.i + 1) if i in heads]
            return inside[0] if len(inside) == 1 else None
    return None


def inherited_sources(tok: Token, target: Actor, sa, ctx: ArticleContext) -> list[Actor]:
    """Sources for an event noun that has only a target. "the imposition of tariffs on X" takes the owner of the
    light noun; "(the two sides) finalized agreements, including talks with X" takes the other party of the clause
    it sits in, when the noun is a meeting/talks word and X its 'with' object. `sa` is the sentence's
    `arguments.SentenceArguments`."""
    rules, heads = ctx.rules, ctx.heads
    target_head = head_token(ctx.doc, target)
    found = sa.found_by.get(target_head.i) if target_head is not None else None
    lex = rules.entry(tok)
    with_obj = found is not None and found[0].i == tok.i and found[1] == "prep" and found[2] in rules.partner_preps \
        and tok.lemma_.lower() in rules.mutual_with and lex is not None and lex[0] == "CONSULT"
    owned = _owned_up(tok, rules)
    if owned is not None:  # "X claimed responsibility for the attack on Y": X attacked Y
        found_sources = sa.args[owned.i].sources if owned.i in sa.args else []
        return [x for x in found_sources if not same_actor(x, target)][:1]
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB" \
            and tok.head.lower_ not in rules.genitive_preps:
        verb = tok.head.head  # "X broadcast prayers in support of Y": X supports Y
        found_sources = sa.args[verb.i].sources if verb.i in sa.args else []
        return [x for x in found_sources if not same_actor(x, target)][:1]
    t = tok
    for hop in range(8):
        if hop == 0 and t.dep_ == "pobj" and t.head.lower_ in rules.genitive_preps \
                and t.head.head.lemma_.lower() in rules.light_nouns:
            light = t.head.head
            srcs = [heads[c.i] for c in light.children if c.dep_ in ("poss", "compound", "nmod") and c.i in heads]
            srcs = srcs or (sa.args[light.i].sources if light.i in sa.args else [])
            return [x for x in srcs if not same_actor(x, target)][:1]
        if not with_obj or t.head.i == t.i or t.dep_ in ("nsubj", "nsubjpass", "ccomp", "relcl", "advcl", "ROOT"):
            return []
        t = t.head
        if t.pos_ == "VERB" and t.lemma_ in rules.non_event_verbs and t.lemma_ not in rules.carrier_verbs:
            return []
        parties: list[Actor] = []
        for src, tgt, recip in sa.made.get(t.i, []):
            parties += [x for x in ((src, tgt) if recip else (src,)) if x is not None]
        if not parties and t.pos_ == "VERB" and sa.args.get(t.i):
            parties = list(sa.args[t.i].sources)
        if parties:
            other = [x for x in parties if not same_actor(x, target) and (not x.country or x.country != target.country)]
            return other[:1]
    return []


def subject_phrase(verb: Token, heads: dict[int, Actor], rules: EventRules, physical: bool = False) -> Actor | None:
    """The verb's own nominal subject as an unresolved Actor, when it is a short noun phrase (not a pronoun) that
    names a party (or for a `physical` act the means of force: see `phrases.names_party`); placed in the country
    of an actor inside the whole subject ("a car bomb in X")."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
    if subj is None or subj.lower_ in rules.wh_words or not names_party(subj, rules, physical, doer=True):
        return None
    span = short_phrase(subj)
    if span is None:
        return None
    return unresolved(span, country_inside(subj.left_edge, subj.right_edge, heads))


def group_subject(verb: Token, rules: EventRules) -> bool:
    """Whether the verb's subject stands for two parties named before: "the two ministers", "both sides", "the
    sides", or "both" with a reciprocal verb ("they"/"we" do not say there are two)."""
    for c in verb.children:
        if c.dep_ != "nsubj":
            continue
        if c.lemma_.lower() in rules.group_nouns and c.tag_ in ("NNS", "NNPS"):
            if any(g.lower_ in rules.group_quantifiers for g in c.children) or c.lemma_ in rules.group_self_nouns:
                return True
        if verb.lemma_ in rules.reciprocal and (c.lower_ in rules.both_pronouns or c.lower_ in rules.plural_pronouns):
            return c.lower_ in rules.both_pronouns
    return False
