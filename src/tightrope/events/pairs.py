"""Source/target assembly: for one predicate, the word that names the event and the (source, target, reciprocal)
pairs it codes.

The argument pass gives each predicate the actors attached to it directly (`arguments`); here they are completed
and corrected in a fixed order, each step for what the earlier ones left open:

1. the trigger: the predicate, or the event noun folded into its light verb ("imposed sanctions"); a reporting
   verb codes nothing itself unless it puts someone under an obligation ("X said Y must withdraw": a REQUEST);
2. targets: one per coordinated target; "called on X to ..." asks X; a transfer verb acts on its recipient;
3. sources: inherited by an event noun, else the verb's own unresolved subject phrase;
4. targets still open: the claimer a pronoun stands for, the author of an anaphoric noun or of the object, the
   place acted in (for the types in `type_classes.tsv` place_target), the subject of a demanded clause, and the
   one faced rather than the doer's own forces;
5. pairs: each source with each target (reciprocal for "met X", "talks with X"); coordinated subjects, two named
   parties of an event noun, one actor and its unnamed partner ("X and the bloc agreed"), or a group subject
   ("the two ministers met") give one reciprocal pair; a trigger with a source and no target codes the
   source's object phrase, or stands alone for the types that need no target (`source_only`).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..actors import same_actor
from ..records import Actor, Event
from .arguments import Pair, SentenceArguments
from .phrases import ArticleContext, acts_on_itself, head_token, names_party, unresolved
from .modality import modality
from .rules import EventRules
from .senses import CONDITIONAL_TYPES, conditional, fires, given_thing
from .sources import group_subject, inherited_sources, subject_phrase
from .targets import (against, called_on, clause_subject, condition_subject, coordinated, object_phrase, obliged,
                      own_force, owner, recipient, referent, through_object)

Entry = tuple[str, str | None]  # a trigger lexicon entry: (PLOVER type, mode)
REQUEST: Entry = ("REQUEST", None)  # what "X said Y must ..." and "X called on Y to ..." code
MOBILIZE = "MOBILIZE"
_PARTY_SECTORS = ("GOV", "MIL", None)  # sectors of an actor that a group subject ("the two sides") stands for


def choose_trigger(tok: Token, folded: Token | None, rules: EventRules) -> tuple[Token, Entry | None]:
    """The word that names the event at `tok` and its lexicon entry: the folded event noun when the verb is no
    trigger, a reporting verb, or the noun is a trigger itself (unless the verb asks for, refuses, threatens or
    judges it, or undoes one of the other side: type_classes.tsv `verb_over_noun`, `verb_on_doer`,
    `verb_over_opposite`); else the predicate."""
    lex = rules.entry(tok)
    if folded is not None and (lex is None or tok.lemma_ in rules.non_event_verbs or rules.entry(folded) is not None):
        noun = rules.entry(folded)
        if lex is not None and tok.lemma_ not in rules.non_event_verbs and (
                lex[0] in rules.verb_over_noun or lex[0] in rules.verb_on_doer
                or (lex[0] in rules.verb_over_opposite and noun is not None and _side(lex[0], rules)
                    != _side(noun[0], rules))):
            return tok, lex  # "requested talks with X": the request, not the talks
        return folded, noun
    return tok, lex


def _side(kind: str, rules: EventRules) -> bool | None:
    """Whether a PLOVER type is cooperation (quad class 1-2), conflict (3-4) or unknown (None)."""
    coding = rules.plover.get(kind)
    return coding.quad <= 2 if coding is not None else None


def mutual(target: Actor, tok: Token, trigger_tok: Token, ctx: ArticleContext, sa: SentenceArguments) -> bool:
    """Whether a source -> target pair is one of two parties acting together: the target is the direct object of
    'meet'/'telephone' or the 'with' object of a meeting, talks or agreement word ("held talks with B")."""
    rules = ctx.rules
    head = head_token(ctx.doc, target)
    found = sa.found_by.get(head.i) if head is not None else None
    if found is None or ctx.heads.get(head.i) is not target:
        return False
    pred, dep, prep = found
    lemmas = {tok.lemma_.lower(), trigger_tok.lemma_.lower(), pred.lemma_.lower()}
    if dep == "prep" and prep in rules.partner_preps:
        return bool(lemmas & rules.mutual_with)
    if dep == "dobj" and pred.i == tok.i:
        word = tok.lemma_.lower()
        return word in rules.mutual_object_verbs and (word not in rules.asking_verbs or not any(
            c.dep_ in ("xcomp", "prep", "oprd") for c in tok.children))  # "called X to ...", "called on X"
    return False


def _and_child(tok: Token, rules: EventRules, before: int | None = None) -> bool:
    """Whether `tok` has an 'and' coordinator among its children (before token index `before`, if given)."""
    return any(c.dep_ == "cc" and c.lower_ in rules.and_words and (before is None or c.i < before)
               for c in tok.children)


def conjunct(actor: Actor, doc: Doc, heads: dict[int, Actor], rules: EventRules) -> Actor | None:
    """The noun phrase coordinated with an actor when it is no actor itself ("X and the regional bloc", "the
    regional bloc and X"), as an unresolved Actor; None when there is none or it is an actor or too long."""
    head = head_token(doc, actor)
    if head is None:
        return None
    for m in head.children:  # "British and EU negotiators": the first of two coordinated modifiers
        if m.dep_ in ("amod", "nmod", "compound") and m.i < head.i and _and_child(m, rules):
            if m.i in heads and heads[m.i] is not actor:
                return heads[m.i]
            cc = min(c.i for c in m.children if c.dep_ == "cc")
            span = doc[m.left_edge.i: cc]
            if 0 < len(span) <= 4 and not any(i in heads for i in range(span.start, span.end)):
                return unresolved(span)
            return None
    conj = next((c for c in head.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")), None)
    if conj is not None and conj.i not in heads and _and_child(head, rules) and names_party(conj, rules):
        left, right = conj.left_edge, conj.right_edge  # "X and the regional bloc"
        return unresolved(doc[left.i: right.i + 1]) if right.i - left.i <= 9 else None
    if head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN") and _and_child(head.head, rules, before=head.i):
        first = head.head  # "the regional bloc and X"
        left = first.left_edge
        right = doc[min(c.i for c in first.children if c.dep_ in ("cc", "conj", "punct") and c.i > first.i) - 1]
    else:
        return None
    if right.i < left.i or right.i - left.i > 9 or any(i in heads for i in range(left.i, right.i + 1)) \
            or not names_party(first, rules):
        return None
    return unresolved(doc[left.i: right.i + 1])


def group_parties(tok: Token, earlier: list[Actor]) -> list[Pair]:
    """The reciprocal pair a group subject stands for ("the two ministers met"): the last two distinct parties
    with a country named before `tok` (`earlier`: the actors of the previous sentences and of this one)."""
    pool: list[Actor] = []
    for act in reversed(earlier):
        if act.start < tok.idx and not any(same_actor(act, p) for p in pool) and act.country \
                and (act.sector in _PARTY_SECTORS or act.kind == "person"):
            pool.append(act)
        if len(pool) == 2:
            break
    return [(pool[1], pool[0], True)] if len(pool) == 2 else []


def assemble(tok: Token, ctx: ArticleContext, sa: SentenceArguments, events: list[Event],
             earlier: list[Actor]) -> tuple[Token, Entry | None, list[Pair]] | None:
    """(trigger token, lexicon entry, pairs) of the predicate `tok`, or None when it codes no event. `events`
    are the article's events so far; `earlier` the actors named before this sentence and in it."""
    rules, heads, doc = ctx.rules, ctx.heads, ctx.doc
    folded = sa.fold.get(tok.i)
    trigger_tok, lex = choose_trigger(tok, folded, rules)
    if lex is not None and not fires(tok, trigger_tok, heads, rules):
        return None  # "a town called Hope", "provided impetus", "lifted the lid on"
    if lex is None and trigger_tok.lemma_ not in rules.non_event_verbs:
        lex = rules.cameo_entry(trigger_tok)  # a CAMEO verb: it types the event only where the typer agrees
    given = given_thing(tok, trigger_tok, rules)  # "shared intelligence with X": the intelligence is no party
    asked = obliged(tok, heads, rules) if tok.lemma_ in rules.say_verbs and folded is None else None
    if tok.lemma_ in rules.non_event_verbs and folded is None and asked is None:
        return None
    verb = tok.pos_ == "VERB"
    sources = [s for s in sa.args[tok.i].sources if s is not None]
    targets = [x for x in sa.args[tok.i].targets if given is None or head_token(doc, x) is not given]
    if asked is not None:
        if not sources or any(same_actor(asked, s) for s in sources):
            return None
        lex, trigger_tok, targets = REQUEST, tok, [asked]  # "X said Y must withdraw": X demands it of Y

    if lex is not None and lex[0] == MOBILIZE and verb and not sources and (force := _deployed(tok, targets, ctx)):
        # "troops were deployed to X" (no agent): the force moved is the doer, as in "X deployed troops"
        sources, targets = [force], [x for x in targets if x is not force]

    # 2. targets named by the predicate's own phrases
    targets = [x for x in targets if not any(acts_on_itself(s, x) for s in sources)]
    if verb and (tok.lemma_ in rules.transfer_verbs or tok.lemma_ in rules.away_verbs):
        targets = recipient(tok, targets, sa.found_by, heads, rules) or targets
    targets = coordinated(targets, doc)
    if verb and tok.lemma_ in rules.asking_verbs and lex is not None:
        asked = called_on(tok, heads, rules)
        if asked is not None:  # "called on X to ...", "called for X to ...": a request, not a phone call
            lex, targets = REQUEST, [asked]
        elif any(c.dep_ == "prep" and c.lower_ in rules.for_marks for c in tok.children):
            lex, targets = REQUEST, []  # "called for new elections": a request of no one named

    # 3. sources the predicate does not name
    if not sources and targets and lex is not None:
        if not verb:
            sources = inherited_sources(tok, targets[0], sa, ctx)
        else:
            subj = subject_phrase(tok, heads, rules, lex[0] in rules.physical)
            if subj is not None:  # "a local militia attacked X": a doer we cannot resolve is still the source
                sources = [subj]

    # 4. targets still open
    if sources and not targets and lex is not None:
        pron = next((c for c in tok.children if c.dep_ in ("dobj", "dative") and c.lower_ in rules.claimer_pronouns),
                    None)
        if pron is not None:  # "X claimed that Y assured him": the one assured is the claimer
            _, by = modality(tok, heads, rules)
            if by is not None and not same_actor(by, sources[0]):
                targets = [by]
    if sources and lex is not None and (not targets or all(x.kind == "unresolved" for x in targets)):
        ref = referent(tok, sources[0], events, sa.sent, rules) or owner(tok, heads, rules)
        if ref is not None and not same_actor(ref, sources[0]):
            targets = [ref]
    if not targets and lex is not None and lex[0] in rules.place_target:
        targets = _place_target(tok, trigger_tok, sources, sa, ctx)
    if sources and not targets and lex is not None and lex[0] in rules.object_reach:
        targets = through_object(tok, heads, sources, rules)  # "banned imports from X"
    if sources and not targets and lex is not None and lex[0] in CONDITIONAL_TYPES and conditional(tok, rules):
        targets = condition_subject(tok, heads, rules)  # "X will impose tariffs if Y ...": Y is threatened
        targets = [x for x in targets if not any(same_actor(x, s) for s in sources)]
    if sources and not targets and lex is not None and lex[0] in rules.clause_target:
        targets = clause_subject(trigger_tok, heads) or clause_subject(tok, heads)
        targets = [x for x in targets if not any(same_actor(x, s) for s in sources)]
    own = False
    if lex is not None and lex[0] == MOBILIZE and sources and len(targets) == 1 \
            and own_force(targets[0], sources[0], doc, rules):
        own = True  # "mobilized its troops for a war against X": the troops are the doer's own; X is the one faced
        far = against(tok, heads, sources, rules)
        targets = [far] if far is not None else []

    return trigger_tok, lex, pair_up(tok, trigger_tok, lex, sources, targets, own, ctx, sa, earlier)


def _place_target(tok: Token, trigger_tok: Token, sources: list[Actor], sa: SentenceArguments,
                  ctx: ArticleContext) -> list[Actor]:
    """"bombed targets in Morocco", "arrested activists in Iran": the place is the one acted upon; "attacked an
    army camp in Kabul": the camp is, placed by the city."""
    node = trigger_tok if trigger_tok.i in sa.places else tok
    targets = [x for x in sa.places.get(node.i, []) + sa.places.get(tok.i, [])
               if not any(same_actor(x, s) for s in sources)][:1]
    rules = ctx.rules
    obj = object_phrase(tok, ctx.rules, physical=True, heads=ctx.heads) if targets and sources else None
    if obj is not None:
        obj.country, obj.code = targets[0].country, targets[0].country
        targets = [obj]
    return targets


def pair_up(tok: Token, trigger_tok: Token, lex: Entry | None, sources: list[Actor], targets: list[Actor],
            own: bool, ctx: ArticleContext, sa: SentenceArguments, earlier: list[Actor]) -> list[Pair]:
    """The (source, target, reciprocal) pairs of a predicate with its completed sources and targets (`own`: the
    target was the doer's own forces and was dropped)."""
    rules, heads, doc = ctx.rules, ctx.heads, ctx.doc
    verb = tok.pos_ == "VERB"
    reciprocal = tok.lemma_ in rules.reciprocal or trigger_tok.lemma_ in rules.reciprocal
    if sources and targets:
        return [(s, x, mutual(x, tok, trigger_tok, ctx, sa)) for s in sources for x in targets]
    if len(sources) >= 2 and reciprocal:
        return [(sources[0], sources[1], True)]
    if len(sources) == 1 and not targets and reciprocal \
            and not any(c.dep_ == "prep" and c.lower_ in rules.partner_preps for c in tok.children) \
            and (other := conjunct(sources[0], doc, heads, rules)) is not None:
        # "India and the bloc agreed": the unnamed partner coordinated with the one actor is the other party
        return [(sources[0], other, True) if sources[0].start < other.start else (other, sources[0], True)]
    if not sources and len(targets) >= 2 and not verb and trigger_tok.lemma_ in rules.reciprocal:
        return [(targets[0], targets[1], True)]
    if not sources and not targets and group_subject(tok, rules) and reciprocal:
        return group_parties(tok, earlier)
    if lex is not None and sources and not targets and not own and not _purpose(tok) \
            and (obj := object_phrase(tok, rules, lex[0] in rules.physical, heads)) is not None:
        # "police detained 18 people", "Russia vetoed the resolution": an unresolved target phrase
        if lex[0] == MOBILIZE and own_force(obj, sources[0], doc, rules):
            return [(sources[0], against(tok, heads, sources, rules), False)]
        return [(sources[0], obj, False)]
    if lex is not None and sources and not targets and lex[0] in rules.source_only:
        return [(sources[0], None, False)]
    if lex is not None and targets and not sources and verb and tok.tag_ == "VBN" and tok.dep_ != "acl":
        return [(None, x, False) for x in targets]
    return []


def _deployed(verb: Token, targets: list[Actor], ctx: ArticleContext) -> Actor | None:
    """The armed force that is the passive subject of a deployment verb ("troops were sent"), if one is among
    the targets and has a country."""
    for x in targets:
        head = head_token(ctx.doc, x)
        if head is not None and head.dep_ == "nsubjpass" and head.head.i == verb.i and x.country \
                and head.lemma_.lower() in ctx.rules.force_nouns:
            return x
    return None


def _purpose(verb: Token) -> bool:
    """A purpose clause without its own subject ("X sent aid to help Y"): it borrows X, so only a named target
    makes it an event of its own ("to discuss issues" does not)."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
