"""The source and cue phrases of an attribution, read off the parse or, where a segment was not parsed,
off the words next to the cue.

The source is the phrase attribution corpora mark (PolNeAR, PARC): the whole noun phrase of the speaker
with its appositions and relative clauses, but not a relative clause that reports speech of its own, a
time, or the occasion of the saying. The cue is the reporting word with its auxiliaries, negation and
particle. Which actor a source phrase stands for is decided in `speaker_actor`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..nlp import is_parsed
from ..records import Actor
from .rules import QuoteRules

Span = tuple[int, int]  # character offsets (start, end)

# a source phrase longer than this many tokens is a runaway parse: the head's own words are kept
MAX_SOURCE_TOKENS = 40
# a name phrase cut off by a false sentence break has at most this many tokens
MAX_CUT_OFF_NAME = 15
# an infinitive cue's phrase reaches back to the verb it hangs on over at most this many tokens
MAX_CUE_CHAIN_GAP = 4


def source_phrase(tok: Token, rules: QuoteRules) -> Span:
    """The whole source phrase headed by `tok`, appositions and relative clauses included
    ("Pete Seat, an Indiana GOP consultant whose firm ..."), up to the first modifier that is no part of it."""
    left, right = tok.left_edge, tok.right_edge
    for child in sorted(_tail(tok), key=lambda c: c.i):
        if _not_source(child, rules):
            # "Amy Deace, who said she would not ..." / "Noah on Thursday": the source ends before
            right = tok.doc[max(tok.i, child.left_edge.i - 1)]
            break
    while left.i < tok.i and (left.dep_ in ("cc", "mark", "preconj") or left.lower_ in rules.leading_conjunctions):
        left = left.doc[left.i + 1]
    while right.i > tok.i and (right.is_punct or right.is_space):
        right = right.doc[right.i - 1]
    while left.i < tok.i and (left.is_punct or left.is_space):
        left = left.doc[left.i + 1]
    if right.i - left.i > MAX_SOURCE_TOKENS:
        left, right = tok, tok
    return left.idx, right.idx + len(right)


def _tail(tok: Token) -> list[Token]:
    """Right-hand modifiers of a source head, looking through appositions."""
    out = list(tok.rights)
    for c in list(out):
        if c.dep_ == "appos":
            out += list(c.rights)
    return out


def _not_source(child: Token, rules: QuoteRules) -> bool:
    """A modifier the parser hung on the source that is no part of it: a relative clause that reports
    speech itself (labels are univocal), a time, the topic or the occasion of the saying."""
    if child.dep_ in ("relcl", "acl"):
        return any(t.pos_ == "VERB" and rules.cue_lemma(t) in rules.speech_verbs for t in child.subtree)
    if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
        return True
    if child.dep_ == "prep" and child.lower_ in rules.topic_prepositions | rules.occasion_prepositions:
        objs = [g for g in child.children if g.dep_ == "pobj"]
        if not objs:
            return False
        if child.lower_ in rules.topic_prepositions:
            return True
        return objs[0].ent_type_ in ("DATE", "TIME") or objs[0].lower_ in rules.occasion_nouns
    return False


def cue_phrase(tok: Token, rules: QuoteRules | None = None) -> Span:
    """The cue with its auxiliaries, negation, adverbs and particle: "has also described", "don't like",
    "pointed out", as attribution corpora mark it. With `rules`, also what follows it before the content: the
    preposition that opens a content ("called for", "spoke of", "described as"), a day ("said Friday") and
    the occasion ("said in an interview", "said in a statement")."""
    left, right = tok, tok
    if is_parsed(tok):
        for child in reversed(list(tok.lefts)):
            if child.i != left.i - 1:
                break
            if child.dep_ in ("aux", "auxpass", "neg") or (child.dep_ == "advmod" and child.pos_ == "ADV"):
                left = child
            else:
                break
        for child in tok.rights:
            if child.dep_ == "prt" and child.i == right.i + 1:
                right = child
        if rules is not None:
            right = _cue_tail(tok, right, rules)
            head = tok.head
            if tok.dep_ == "xcomp" and head.i < left.i and left.i - head.i <= MAX_CUE_CHAIN_GAP:
                # "was able to tout", "has been slow to embrace": the cue is the chain from the verb it hangs on
                head_left, _ = cue_phrase(head)
                left = tok.doc[head.i] if head_left == head.idx else next(
                    t for t in head.lefts if t.idx == head_left)
    return left.idx, right.idx + len(right)


def _cue_tail(tok: Token, right: Token, rules: QuoteRules) -> Token:
    """The last token of a cue followed by a day, an occasion or the preposition of its content."""
    doc = tok.doc
    for child in tok.rights:
        if child.i != right.i + 1:
            break
        if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
            right = child.right_edge  # "said Friday"
        elif child.dep_ == "prep" and child.lower_ in rules.occasion_prepositions and any(
                g.dep_ == "pobj" and (g.lower_ in rules.occasion_nouns or g.ent_type_ in ("DATE", "TIME"))
                for g in child.children):
            right = child.right_edge  # "said in an interview", "said on Monday"
        elif child.dep_ == "prep" and child.lower_ in rules.content_prepositions and not any(
                c.dep_ in ("dobj", "obj", "ccomp") for c in tok.children):
            return child  # "called for", "spoke of": the content is the preposition's object
        else:
            break
    return doc[right.i]


def subject(verb: Token) -> Token | None:
    """Who does the saying: the subject of the cue verb or of a verb it hangs on (four steps up at most:
    "wanted to say", "said and added"), or the agent of a passive cue ("was described by X")."""
    v = verb
    for _ in range(5):
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                if child.dep_ == "nsubjpass" and v is verb:
                    # "the deal was described as a gift", "she is expected to win": the passive subject is
                    # what is spoken of; the speaker is the agent, when there is one
                    return agent(verb)
                return child
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "prep") and v.head is not v:
            v = v.head
            continue
        break
    return agent(verb)


def fallback_subject(verb: Token) -> Token | None:
    """Who does the saying when the parse gave the cue no subject: the name set off by a comma right before it
    ("In an interview, Dodik's lawyer, Anto Nobilo, said ...", with the name hung on the interview). (Taking a
    participle's subject from the verb before it, "..., announcing that ...", cost PolNeAR dev source
    precision 0.837 -> 0.828 and is not done.)"""
    doc = verb.doc
    i = verb.i - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i >= 0 and doc[i].pos_ == "PROPN" and doc[i].ent_type_ == "PERSON" and i < verb.i - 1:
        return doc[i]
    return None


def agent(verb: Token) -> Token | None:
    """The object of the passive 'by' of `verb`."""
    for child in verb.children:
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


def cut_off_subject(verb: Token) -> Span | None:
    """The subject cut off by a false sentence break, "Rep. Jane Roe (D-N.Y.) | said ...": when the verb opens
    its sentence and the sentence before is a bare name phrase (no verb, at most 15 words), that phrase."""
    doc = verb.doc
    if not doc.has_annotation("SENT_START"):
        return None
    sent = verb.sent
    if any(t.is_alpha and t.pos_ != "ADV" for t in doc[sent.start:verb.i]) or sent.start == 0:
        return None
    prev = [t for t in doc[sent.start - 1].sent if not t.is_space]
    while prev and prev[0].is_punct:
        prev = prev[1:]
    if not prev or len(prev) > MAX_CUT_OFF_NAME or not any(t.pos_ == "PROPN" for t in prev):
        return None
    if prev[-1].text != ")" and prev[-1].pos_ != "PROPN":
        return None
    for n, t in enumerate(prev):
        if t.pos_ in ("VERB", "AUX") or t.text in ("!", "?", ";", ":"):
            return None
        if t.text == "." and (n + 1 == len(prev) or prev[n + 1].text != ")"):
            return None  # a full stop ends a sentence; one before ')' ends an abbreviation ("D-Vt.)")
    return prev[0].idx, prev[-1].idx + len(prev[-1])


def adjacent_source(doc: Doc, cue: Token, lo: int, hi: int, rules: QuoteRules) -> Span | None:
    """The speaker next to a cue in a segment that was not parsed: "Rubio said", "said Rubio", "he told
    reporters" — a pronoun or a run of capitalised words (with "of", "the" inside) within tokens lo..hi,
    before the cue if there is one there, else after it."""
    def run_from(i: int, step: int) -> Span | None:
        j = i
        toks: list[Token] = []
        while lo <= j < hi:
            t = doc[j]
            if t.is_punct and t.text not in (".", "-"):
                break
            if t.lower_ in rules.speaker_pronouns and not toks:
                return t.idx, t.idx + len(t)
            if t.text[:1].isupper() or (toks and t.lower_ in rules.name_connectors):
                toks.append(t)
                j += step
                continue
            if not toks and t.lower_ in rules.cue_adverbs:
                j += step
                continue
            break
        while toks and toks[-1].lower_ in rules.name_connectors:
            toks.pop()
        if not toks:
            return None
        a, b = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
        return a.idx, b.idx + len(b)

    before = run_from(cue.i - 1, -1)
    return before if before is not None else run_from(cue.i + 1, 1)


def speaker_actor(text: str, actors: Sequence[Actor], span: Span | None,
                  rules: QuoteRules | None = None) -> Actor | None:
    """The actor a source phrase stands for. The head noun phrase comes before an apposition or participle
    ("Rubio, speaking ... at the ASEAN summit"): an actor there is the speaker; otherwise the mention nearest
    the end of the phrase. A mention inside a longer source phrase ("US Secretary of State Marco Rubio") is widened to the phrase; a
    phrase with no actor in it is a speaker of kind "source". With `rules`, a head that joins actors of
    different countries ("the Mexican and Canadian leaders") or a group named with some of its members
    ("Critics, including X") is a speaker of kind "source" too: it stands for no one country."""
    if span is None:
        return None
    s, e = span
    comma = text.find(",", s, e)
    head_end = comma if comma != -1 and any(s <= a.start and a.end <= comma for a in actors) else e
    if comma != -1 and head_end == e and _bare_name(text[s:comma]):
        # "Siyoka Simasiku, director at the X Council": a name the actors stage did not know is the
        # speaker, not the body of the apposition
        return Actor(text=text[s:e], start=s, end=e, kind="source")
    if rules is not None and _mixed_or_group(text, actors, s, e, comma, rules):
        return Actor(text=text[s:e], start=s, end=e, kind="source")

    best: tuple[tuple[int, int], Actor] | None = None
    for a in actors:
        if a.start < head_end and s < a.end:
            key = (abs(a.end - head_end), -(min(a.end, head_end) - max(a.start, s)))
            if best is None or key < best[0]:
                best = (key, a)
    if best is None:
        return Actor(text=text[s:e], start=s, end=e, kind="source")
    a = best[1]
    if s <= a.start and a.end <= e and (s, e) != (a.start, a.end):
        return replace(a, text=text[s:e], start=s, end=e)
    return a


def _mixed_or_group(text: str, actors: Sequence[Actor], s: int, e: int, comma: int, rules: QuoteRules) -> bool:
    """A head that coordinates actors of two countries, or a bare group followed by ", including ..."."""
    head_end = comma if comma != -1 else e
    words = text[s:head_end].lower().split()
    countries = {a.country for a in actors if s <= a.start and a.end <= head_end and a.country}
    if any(w in rules.coordinators for w in words) and len(countries) > 1:
        return True
    if comma != -1 and not any(s <= a.start and a.end <= comma for a in actors):
        after = text[comma + 1:e].split()
        return bool(after) and after[0].lower() in rules.inclusion_words
    return False


def _bare_name(head: str) -> bool:
    """Two to four capitalised words and nothing else: a person's name."""
    words = head.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w[1:].replace("-", "").replace(".", "").isalpha()
                                        and not w.isupper() for w in words)
