"""Indirect speech: what a speaker is reported to have said without quotation marks.

Four passes, each over the whole article:
* `read_cue_verb`: a parsed cue verb ("argued", "denied", "called") — its source is its subject, its
  content the first of: its clausal complement ("argued that ..."), the clause around it when it is
  parenthetical ("The danger, she said, is ..."), the clause before it when the parser joined an inverted
  cue to it ("..., said the chief executive"), its object with the object's predicate ("called the deal a
  disaster"), or the object of a content preposition ("warned of a clash").
* `nominal_quotes`: an attribution noun with a clause and a holder ("Lee's assertion that ...",
  "she made a promise to ...", "the decision by X to ...").
* `according_to_quotes`: "according to X, Y" / "Y, according to X": the rest of the sentence is X's.
* `label_line_quotes`: "Sanders: Clinton email story has moved" (headlines, transcripts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ..nlp import is_parsed, span_of
from ..records import Quote
from .context import QuoteContext
from .phrases import Span, cut_off_subject, fallback_subject, source_phrase, subject
from .rules import QuoteRules

# marks a content may end on (the close of a quoted passage inside it); other punctuation is trimmed
CLOSING_MARKS = ("”", "\"", "’")
# an opener of at most this many words, without a finite verb, does not end an "according to" finding
MAX_OPENER_WORDS = 6

# "Name: what they say" on a line of its own: one to four capitalised words, a colon, ten characters or more
_LABEL_LINE = re.compile(r"^[ \t]*((?:[A-Z][\w.'’-]*)(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(\S[^\n]{9,})$",
                         re.MULTILINE)


def read_cue_verb(ctx: QuoteContext, tok: Token, lemma: str, kind: str) -> tuple[Span | None, Span | None]:
    """(source, content) of a parsed cue verb; either may be None."""
    subj = subject(tok)
    src = source_phrase(subj, ctx.rules) if subj is not None else cut_off_subject(tok)
    if src is None and tok.dep_ != "xcomp" and not any(c.dep_ == "nsubjpass" for c in tok.children):
        fallback = fallback_subject(tok)
        if fallback is not None and not ctx.in_quote(fallback.idx):
            src = source_phrase(fallback, ctx.rules)
    content = _complement(tok, ctx.rules)
    if content is None and _parenthetical(ctx, tok):
        content = _around(tok)
    if (content is None and tok.dep_ == "conj" and subj is not None and subj.i > tok.i
            and tok.i > 0 and tok.doc[tok.i - 1].text == "," and kind in ("say", "claim")):
        # "..., but it is under pressure, said the chief executive": the parser joined the cue to the
        # clause it reports; everything before the comma in the sentence is the content
        content = _before_inverted_cue(tok)
    if content is None:
        content = _object(tok, lemma, ctx.rules)
    if content is None:
        content = _prepositional_object(tok, ctx.rules)
    return src, content


def _content(doc: Doc, first: Token, last: Token) -> Span:
    """first..last without trailing punctuation other than a closing quotation mark."""
    while last.is_punct and last.i > first.i and last.text not in CLOSING_MARKS:
        last = doc[last.i - 1]
    return first.idx, last.idx + len(last)


def _complement(tok: Token, rules: QuoteRules) -> Span | None:
    """The clausal complement of the cue ("said that ..."); the complementizer belongs to the content, as
    PolNeAR marks it. "It is no surprise, Mr. Garin said, that ...": both halves around the cue."""
    comps = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    if not comps:
        return None
    toks = list(comps[0].subtree)
    toks = [t for t in toks if t.i > tok.i] or toks
    later = [c for c in comps if c.i > tok.i and c.dep_ == "ccomp"]
    if comps[0].i > tok.i and len(later) > 1:
        # a clause the parser split in two ccomps ("said [IS Sahel's strategy] [appears focused on ...]")
        toks = list(tok.doc[comps[0].left_edge.i:later[-1].right_edge.i + 1])
    first = comps[0]
    if first.dep_ == "ccomp" and first.i > tok.i and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in first.children):
        # "said Ankara in recent years imposed controls": the parser took the clause's subject for the cue's
        # object; the object right before a clause without a subject opens the content
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and tok.i < c.i < first.i
                    and c.pos_ in ("PROPN", "NOUN")), None)
        if obj is not None and obj.lower_ not in rules.relative_pronouns:
            toks = [t for t in tok.doc[obj.left_edge.i:first.right_edge.i + 1]]
    toks = _cut_apposed_claim(toks, rules)
    if comps[0].i < tok.i and comps[0].dep_ == "ccomp" and later:
        toks = list(comps[0].subtree) + _cut_apposed_claim(list(later[-1].subtree), rules)
    return _content(tok.doc, toks[0], toks[-1])


def _cut_apposed_claim(toks: list[Token], rules: QuoteRules) -> list[Token]:
    """Content ends before '— a statement (the government refuted)' / ', a claim ...'."""
    for n, t in enumerate(toks):
        if t.text in ("—", "–", "--", ",", "-") and n > 0:
            if any(x.lower_ in rules.claim_nouns for x in toks[n + 1:n + 4]):
                return toks[:n]
    return toks


def _parenthetical(ctx: QuoteContext, tok: Token) -> bool:
    """A cue set into the clause it reports ("The bigger risk, she said, is a clash"), also when that
    clause's verb is itself a cue word used plainly ("..., he said, feels right"), not when it is a cue
    with a complement of its own."""
    head = tok.head
    return (tok.dep_ == "parataxis" and head.i != tok.i and not ctx.in_quote(head.idx)
            and (not ctx.rules.cue_lemma(head) or not any(c.dep_ in ("ccomp", "xcomp") for c in head.children)))


def _around(cue: Token) -> Span | None:
    """The head clause of a parenthetical cue without the cue's own words at its edges."""
    inner = {t.i for t in cue.subtree}
    toks = [t for t in cue.head.subtree if t.i not in inner]
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_space or (toks[-1].is_punct and toks[-1].text not in CLOSING_MARKS)):
        toks = toks[:-1]
    if len([t for t in toks if not t.is_punct]) < 2:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _before_inverted_cue(cue: Token) -> Span | None:
    """The words of the cue's sentence before the comma that opens "..., said X"."""
    toks = [t for t in cue.sent if t.i < cue.i - 1]
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    if len([t for t in toks if not t.is_punct]) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _object(tok: Token, lemma: str, rules: QuoteRules) -> Span | None:
    """The object of the cue with its predicate: "called the deal a disaster", "dismissed the report as
    absurd", "denied any role". Not a pronoun without a predicate ("said it"), not the one spoken to
    ("told Kenya"), and for cues whose bare object is not what is said ("read the statement") only with a
    predicate."""
    has_pred = any(g.dep_ == "oprd" for g in tok.children)
    if (lemma in rules.no_object_verbs or lemma in rules.event_object_verbs) and not has_pred:
        return None
    for child in tok.children:
        if child.dep_ not in ("dobj", "obj"):
            continue
        pred = [g for g in tok.children if g.i > child.i and (
            g.dep_ == "oprd" or (g.dep_ == "prep" and g.lower_ in rules.predicate_prepositions))]
        if child.lower_ in rules.relative_pronouns:
            continue
        if not pred and (child.lower_ in rules.pronoun_objects or child.pos_ == "PRON" or (
                child.ent_type_ in ("PERSON", "NORP", "GPE", "ORG") and lemma in rules.addressee_verbs)):
            continue
        if pred:  # "called the tariff a gift to smugglers": a prepositional tail the parser hung on the verb
            pred += [g for g in tok.children if g.dep_ == "prep" and g.i == pred[-1].right_edge.i + 1]
        return _content(tok.doc, child.left_edge, (pred[-1] if pred else child).right_edge)
    return None


def _prepositional_object(tok: Token, rules: QuoteRules) -> Span | None:
    """The object of a content preposition on the cue: "warned of a clash", "spoke about the deal", "told
    reporters about the deal", "accused him of lying"; not when the cue's object is the thing made known
    ("announced the charges on Tuesday": the preposition dates the act), nor a time ("on Tuesday")."""
    lemma = rules.cue_lemma(tok)
    if (lemma in rules.no_object_verbs or lemma in rules.event_object_verbs) and lemma not in rules.addressee_verbs and any(
            c.dep_ in ("dobj", "obj") and c.pos_ != "PRON" for c in tok.children):
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in rules.content_prepositions:
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in ("DATE", "TIME")]
            if objs:
                return objs[0].left_edge.idx, objs[0].right_edge.idx + len(objs[0].right_edge)
    return None


def nominal_quotes(ctx: QuoteContext, earlier: Sequence[Quote]) -> list[Quote]:
    """Attribution nouns with a clause and a holder, where no earlier quote covers the clause."""
    taken = [(q.start, q.end) for q in earlier]
    out = []
    for tok in ctx.doc:
        if (not is_parsed(tok) or tok.pos_ != "NOUN" or tok.lemma_.lower() not in ctx.rules.nominal_cues
                or ctx.in_quote(tok.idx)):
            continue
        found = _nominal(tok, ctx.rules)
        if found is None:
            continue
        src, content = found
        if any(s < content[1] and content[0] < e for s, e in taken):
            continue
        taken.append(content)
        out.append(ctx.quote(content, False, tok.text, src, (tok.idx, tok.idx + len(tok))))
    return out


def _nominal(tok: Token, rules: QuoteRules) -> tuple[Span, Span] | None:
    """(source, content) of an attribution noun with a clause and a holder, or None."""
    clause: list[Token] = []
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp") and c.i > tok.i:
            t = list(c.subtree)
            if t[0].lower_ in rules.nominal_clause_openers and t[0].i == tok.i + 1:
                clause = t
                break
    if not clause and tok.dep_ == "nsubj" and tok.head.lemma_ in rules.copulas:  # "his view is that ..."
        for c in tok.head.children:
            if c.dep_ == "ccomp" and c.i > tok.head.i:
                t = list(c.subtree)
                if t[0].lower_ in rules.copular_clause_openers:
                    clause = t
                    break
    if len(clause) < 3:
        return None
    src: Span | None = None
    for c in tok.children:
        if c.dep_ == "poss":
            src = source_phrase(c, rules)
            after = c.right_edge.i + 1
            if after < len(tok.doc) and tok.doc[after].dep_ == "case":
                src = (src[0], tok.doc[after].idx + len(tok.doc[after]))
        elif c.dep_ == "prep" and c.lower_ in rules.holder_prepositions and c.i < clause[0].i:
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                src = source_phrase(objs[0], rules)
    if src is None and tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in rules.light_verbs:
        subj = subject(tok.head)
        if subj is not None:
            src = source_phrase(subj, rules)
    if src is None:
        return None
    return src, _content(tok.doc, clause[0], clause[-1])


def according_to_quotes(ctx: QuoteContext) -> list[Quote]:
    """"According to X, Y" / "Y, according to X": Y is X's. A finding that is itself a quotation is left
    to the direct quotes; a quoted phrase inside one ('the speech is "a test", according to X') is part of it."""
    text = ctx.text
    out = []
    for m in ctx.rules.source_phrase_pattern.finditer(text):
        if ctx.in_quote(m.start()):
            continue
        fs, fe = ctx.sentences[ctx.sentence_of(m.start())]
        src = (m.start("source"), m.start("source") + len(m.group("source").rstrip()))
        content = _finding(ctx, fs, fe, m.start(), src[1])
        if content is None:
            continue
        out.append(ctx.quote(content, False, m.group("cue").lower(), src, (m.start("cue"), m.end("cue"))))
    return out


def _finding(ctx: QuoteContext, fs: int, fe: int, cue_start: int, source_end: int) -> Span | None:
    """What "according to" attributes in the sentence fs..fe: the words before it, or after the source when
    nothing comes before; both sides when what comes before is only a short opener ("Since May, according
    to X, troops have killed ..."; "Y, according to X, who ..." keeps Y alone)."""
    text = ctx.text
    after = source_end + 1 if text[source_end:source_end + 1] == "," else source_end
    before = text[fs:cue_start].rstrip(" ,—–-(")
    has_before = bool(before.strip(" \n([“\"‘'"))
    if has_before and text[source_end:source_end + 1] == "," and len(text[after:fe].split()) >= 3 \
            and opener_only(ctx.doc, fs, cue_start):
        cs, ce = fs, fe
    elif has_before:
        cs, ce = fs, fs + len(before)
    else:
        cs, ce = after, fe
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in ".!?"):
        ce -= 1
    if ce - cs < 3 or ctx.inside_marked(cs, ce):
        return None
    return cs, ce


def opener_only(doc: Doc, start: int, end: int) -> bool:
    """True when the tagged words in [start, end) are a short opener without a finite verb ("In addition")."""
    toks = [t for t in span_of(doc, start, end) or () if not t.is_punct and not t.is_space]
    return 0 < len(toks) <= MAX_OPENER_WORDS and all(t.tag_ for t in toks) and not any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks)


def label_line_quotes(ctx: QuoteContext, earlier: Sequence[Quote]) -> list[Quote]:
    """"Name: what they say" on a line of its own, not a heading ("Rubio's Message: ..."), a list of names
    under a label ("Delegates: Abuja, Accra, ..."), a credit or navigation line ("Photo: ..."), nor a line
    an earlier quote already covers."""
    text = ctx.text
    taken = [(q.start, q.end) for q in earlier]
    out = []
    for m in _LABEL_LINE.finditer(text):
        name, said = m.group(1), m.group(2)
        if said.count(",") >= 4 or (name.isupper() and " " in name) or re.search(r"['’]s\b", name):
            continue
        if name.split()[0].lower() in ctx.rules.not_labels or ctx.in_quote(m.start(2)) or any(
                s < m.end(2) and m.start(2) < e for s, e in taken):
            continue
        ce = m.end(2)
        while ce > m.start(2) and text[ce - 1] in " .!?":
            ce -= 1
        taken.append((m.start(2), ce))
        out.append(ctx.quote((m.start(2), ce), False, ":", (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1)))
    return out
