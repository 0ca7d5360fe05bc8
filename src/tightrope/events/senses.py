"""Sense tests: whether a trigger word is used in the sense that names its event, and the type a sense gives.

A trigger of the lexicon fires only where its use fits:
* naming verbs (function_words.tsv `naming_verbs`: "call", "name", ...) that name rather than act code nothing:
  "a small town called Hope", "calls the Chinese 'cheaters'", "called it a disgrace"; "called on X to ...",
  "called for ..." and a bare "called X" (a phone call) still do;
* a word with an object test (triggers.tsv `objects`) needs a fitting object: "provided weapons to X" is aid,
  "provided impetus" is not; "lifted sanctions" concedes, "lifted the lid on" does not;
and the type follows the doer and the clause (`adjusted_type`):
* words of force (data/verbal_force_words.txt) are words when the doer is no armed body or state: "the senator
  attacked the newspaper", "renewed his attacks on China" ACCUSE;
* a material conflict threatened on a condition is a threat: "X will impose tariffs if Y ..." THREATEN;
* cooperation refused for the future is a rejection: "will no longer recognize X" REJECT (type_classes.tsv
  `refusable`);
* troops sent are a deployment: "sent troops to X" MOBILIZE, not AID.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..records import Actor
from .phrases import names_party
from .rules import EventRules

_COMPLEMENTS = ("oprd", "attr", "acomp")  # "calls X cheaters", "called it unacceptable"
_STATE_KINDS = ("country", "capital", "demonym")  # a state acting as such keeps a physical sense
CONDITIONAL_TYPES = ("SANCTION", "ASSAULT", "COERCE", "MOBILIZE")  # threatened, when put on a condition


def _infinitive(tok: Token, rules: EventRules) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in rules.infinitive_markers for c in tok.children)


def _quoted(tok: Token) -> bool:
    """Whether a word stands in quotation marks of its own ("calls them 'cheaters'")."""
    doc = tok.doc
    before = doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return bool(before is not None and before.is_quote and after is not None and after.is_quote) or (
        before is not None and before.is_quote and after is not None and after.is_punct and tok.i + 2 < len(doc)
        and doc[tok.i + 2].is_quote)


def naming(verb: Token, heads: dict[int, Actor], rules: EventRules) -> bool:
    """Whether a naming verb names rather than acts here: a participle modifier ("a town called Hope"), an
    object complement ("calls X cheaters", "called it a disgrace") or an object that is no actor but holds one
    ("calls the Chinese 'cheaters'"). "called on X to ...", "called for ..." are requests, not names."""
    if verb.lemma_.lower() not in rules.naming_verbs or verb.pos_ != "VERB":
        return False
    if any(c.dep_ == "prep" and c.lower_ in rules.asked_preps | rules.for_marks for c in verb.children):
        return False
    if any(c.dep_ in ("xcomp", "ccomp", "advcl") and _infinitive(c, rules) for c in verb.children):
        return False
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    if any(c.dep_ in _COMPLEMENTS or (c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("NOUN", "ADJ", "PROPN"))
           for c in verb.children):
        return True
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    if _quoted(obj):
        return True
    return obj.i not in heads and any(i in heads for i in range(obj.left_edge.i, obj.right_edge.i + 1))


def _object(verb: Token) -> Token | None:
    """The object a verb acts on: its direct object, or a passive verb's subject ("weapons were sent")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None and any(c.dep_ == "auxpass" for c in verb.children):
        obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    return obj


def _money(tok: Token, rules: EventRules) -> bool:
    """Whether a word names a sum of money: a currency sign or word in its phrase ("$20 million", "20 million
    dollars"); the entity recogniser's MONEY alone is not enough ("less than 20 million chickens")."""
    return any(t.is_currency or t.tag_ == "$" or t.lemma_.lower() in rules.currency_words
               for t in tok.subtree if t.i <= tok.i + 1)


def object_fits(verb: Token, heads: dict[int, Actor], rules: EventRules) -> bool:
    """Whether the trigger's object passes its object test (triggers.tsv `objects`); True for a word without
    one. A sum of money and an actor always pass."""
    test = rules.object_tests.get(verb.lemma_.lower()) if verb.pos_ == "VERB" else None
    if test is None:
        return True
    name, needed = test
    obj = _object(verb)
    if obj is None:
        return not needed
    if obj.i in heads or _money(obj, rules):
        return True
    inner = [g for c in obj.children if c.dep_ == "prep" and c.lower_ in rules.genitive_preps
             for g in c.children if g.dep_ == "pobj"]  # "15 types of ammunition": the ammunition
    nouns = [obj, *inner]
    nouns += [c for n in list(nouns) for c in n.children if c.dep_ in ("conj", "compound")]  # "curfew hours"
    for noun in nouns:
        if (noun.i in heads and noun.i == obj.i) or _money(noun, rules):
            return True
        if verb.lemma_ in rules.transfer_verbs and noun.lemma_.lower() in rules.force_nouns:
            return True  # "sent troops to X": a deployment (see `adjusted_type`)
        if name in ("party", "physical"):
            if names_party(noun, rules, physical=name == "physical"):
                return True
        elif noun.lemma_.lower() in rules.object_lists[name] or noun.lower_ in rules.object_lists[name]:
            return True
    return False


def given_thing(verb: Token, trigger: Token, rules: EventRules) -> Token | None:
    """The object a word with an object test gives, when it is a word of its list ("shared intelligence", "sent
    aid"): a thing, never the one acted upon, even where the actors stage made it an actor."""
    test = rules.object_tests.get(verb.lemma_.lower()) if trigger is verb and verb.pos_ == "VERB" else None
    if test is None or test[0] not in rules.object_lists:
        return None
    obj = _object(verb)
    words = rules.object_lists[test[0]]
    return obj if obj is not None and (obj.lemma_.lower() in words or obj.lower_ in words) else None


def fires(verb: Token, trigger: Token, heads: dict[int, Actor], rules: EventRules) -> bool:
    """Whether the trigger at `verb` (itself, or the event noun `trigger` folded into it) is used in its event
    sense (see the module docstring)."""
    if trigger is not verb:
        return True  # an event noun names its event ("imposed sanctions"); the tests are the verb's
    return not naming(verb, heads, rules) and object_fits(verb, heads, rules)


def armed(actor: Actor | None, rules: EventRules) -> bool:
    """Whether an actor may use force: an armed body, a state itself, or a doer we do not know."""
    if actor is None or actor.kind == "unresolved" and not actor.sector:
        return True
    return actor.sector in rules.armed_sectors or actor.kind in _STATE_KINDS


def conditional(pred: Token, rules: EventRules) -> bool:
    """Whether the predicate's clause is put on a condition: "... will impose tariffs if Y ...", "unless"."""
    for t in (pred, pred.head):
        if any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in rules.conditional_marks
                                         for g in c.children) for c in t.children):
            return True
        if t.dep_ not in ("xcomp", "conj"):
            break
    return False


def adjusted_type(mtype: str, trigger: Token, pred: Token, source: Actor | None, target: Actor | None,
                  modality: str, rules: EventRules) -> tuple[str, str]:
    """(type, modality) after the sense of the doer and the clause: verbal force, troops sent, conditional
    threats."""
    if mtype == "ASSAULT" and trigger.lemma_.lower() in rules.verbal_force_words and not armed(source, rules) \
            and not (target is not None and target.kind == "unresolved" and _thing(target, rules)):
        return "ACCUSE", modality
    if mtype == "ASSAULT" and trigger.lemma_.lower() in rules.armed_only_words and not any(
            side is not None and side.sector in rules.armed_sectors for side in (source, target)):
        return "ACCUSE", modality  # "Washington clashed with Beijing over trade": words, not force
    if mtype == "AID" and (trigger.lemma_ in rules.transfer_verbs or (rules.entry(trigger) or ("",))[0] == "MOBILIZE") \
            and any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in rules.force_nouns for c in trigger.children):
        return "MOBILIZE", modality  # "sent troops to X", "troops were deployed to X": a deployment, not aid
    if mtype in rules.refusable and modality == "negated" and (_future(pred, rules) or _present(pred, rules)):
        return "REJECT", "asserted"  # "will not meet X", "does not recognize X": a refusal
    if mtype in CONDITIONAL_TYPES and modality in ("planned", "hypothetical") and conditional(pred, rules):
        return "THREATEN", "asserted"
    return mtype, modality


def _future(pred: Token, rules: EventRules) -> bool:
    """Whether the predicate (or the verb it is the object of) has a future auxiliary ("will", "would")."""
    return any(c.dep_ == "aux" and c.lower_ in rules.future_aux for t in (pred, pred.head) for c in t.children)


def _present(pred: Token, rules: EventRules) -> bool:
    """Whether the predicate has a present-tense auxiliary of refusal ("does not recognize X")."""
    return any(c.dep_ == "aux" and c.lower_ in rules.refusal_aux for c in pred.children)


def _thing(target: Actor, rules: EventRules) -> bool:
    """Whether an unresolved target is a place or vehicle (force on it is physical whoever the doer)."""
    words = target.text.lower().split()
    return bool(words) and words[-1].rstrip("s") in rules.target_things
