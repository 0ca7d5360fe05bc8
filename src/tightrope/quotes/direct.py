"""Who said each direct quote, and which marked passages are not speech at all.

A quote is attributed within its frame — the sentences it spans, plus the next one when the closing mark
ends a sentence and a short attribution follows ('“...” Rep. Smith said.'). The speaker is found by the
first of these that applies:
1. the reporting cue in the frame nearest the marks (outside them): the source already found for that cue
   by the indirect pass, else its subject, else a name phrase cut off before it by a false sentence
   break, else (unparsed segment) the name or pronoun next to it;
2. "according to X" in the frame;
3. a clause that ends in a colon before the quote ("The minister was blunt: “...”"): its subject, or the
   words before a copula when the parser found none;
4. the speaker of the quote just before, when only a short stretch of the same paragraph lies between
   (split quotes, "“...,” she said. “...”").
A passage of a word or two needs a real reporting verb (not a title or '“R,” or “D,”'); an unattributed
one of fewer than six words, or one that does not end like a sentence, is a scare quote or a title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from ..nlp import is_parsed, span_of
from ..records import Quote
from .context import QuoteContext
from .phrases import Span, adjacent_source, cue_phrase, cut_off_subject, source_phrase, subject

# an attribution sentence after the closing mark is taken into the frame up to this many characters
MAX_TRAILING_ATTRIBUTION = 120
# the previous quote's speaker carries over a gap shorter than this (characters, no blank line)
MAX_CARRY_GAP = 80
# a colon clause's speaker is the words before its copula when that copula is within this many words
MAX_COLON_SPEAKER_WORDS = 8
OPENING_MARKS = "“\"‘«"


def direct_quotes(ctx: QuoteContext, cue_sources: Mapping[int, Span]) -> list[Quote]:
    """The attributed direct quotes, in text order. `cue_sources`: cue token index -> source found by the
    indirect pass for that cue, so a cue reporting both an indirect and a direct part gives both one source."""
    quotes: list[Quote] = []
    prev: Quote | None = None
    prev_close = -1
    for o, cs, ce, cend in ctx.marked:
        k0, fs, fe = _frame(ctx, cs, ce, cend)
        frame = span_of(ctx.doc, fs, fe)
        cue = _nearest_cue(ctx, frame, fs, o, cend)
        src: Span | None = None
        cue_text: str | None = None
        cue_span: Span | None = None
        if cue is not None:
            cue_text, cue_span = cue.text, cue_phrase(cue, ctx.rules)
            src = _cue_source(ctx, cue, frame, cue_sources)
        else:
            found = _according_to(ctx, fs, fe) or _colon_clause(ctx, k0, fs, o)
            if (found is None and prev is not None and prev.speaker is not None
                    and _carries_over(ctx, prev, prev_close, o)):
                found = ((prev.speaker.start, prev.speaker.end), prev.cue,
                         (prev.cue_start, prev.cue_end) if prev.cue_start is not None else None)
            if found is not None:
                src, cue_text, cue_span = found
        if not _is_speech(ctx, ctx.text[cs:ce], cue, cue_text, src):
            prev_close = cend
            continue
        q = ctx.quote((cs, ce), True, cue_text, src, cue_span)
        quotes.append(q)
        prev, prev_close = q, cend
    return quotes


def _frame(ctx: QuoteContext, cs: int, ce: int, cend: int) -> tuple[int, int, int]:
    """(first sentence index, start, end) of the sentences a quote is attributed in."""
    sents, text = ctx.sentences, ctx.text
    k0, k1 = ctx.sentence_of(cs), ctx.sentence_of(max(cs, ce - 1))
    if k1 + 1 < len(sents) and sents[k1][1] <= cend + 1:
        # the closing mark ended the sentence: '“...” Rep. Smith said.' is the next segment
        nxt_s, nxt_e = sents[k1 + 1]
        gap = text[cend:nxt_s]
        if gap.strip() == "" and "\n" not in gap and nxt_e - nxt_s < MAX_TRAILING_ATTRIBUTION \
                and not any(c in text[nxt_s:nxt_e] for c in OPENING_MARKS):
            k1 += 1
    return k0, sents[k0][0], sents[k1][1]


def _nearest_cue(ctx: QuoteContext, frame: DocSpan | None, fs: int, o: int, cend: int) -> Token | None:
    """The reporting cue outside the marks nearest to them; not a denial, not a word tagged as other than
    a verb, and not a participle opening a clause that ends in a colon ('Asked whether ..., Rubio was
    measured: “...”' — the colon clause speaks)."""
    ends_in_colon = ctx.text[fs:o].rstrip().endswith(":")
    best: Token | None = None
    best_d = None
    for t in frame if frame is not None else ():
        if ctx.in_quote(t.idx):
            continue
        lemma = ctx.rules.cue_lemma(t)
        if not lemma or ctx.rules.cues[lemma] == "deny":
            continue
        if is_parsed(t) and t.pos_ not in ("VERB", "AUX"):
            continue
        if (is_parsed(t) and t.tag_ in ("VBN", "VBG") and t.dep_ in ("advcl", "acl", "amod") and ends_in_colon
                and ctx.text[t.idx + len(t):o].strip() != ":"):
            continue  # ('..., adding: “...”' is the cue itself)
        d = min(abs(t.idx - cend), abs(t.idx - o))
        if best_d is None or d < best_d:
            best_d, best = d, t
    return best


def _cue_source(ctx: QuoteContext, cue: Token, frame: DocSpan, cue_sources: Mapping[int, Span]) -> Span | None:
    """The cue's source from the indirect pass; else its subject outside the marks, or a name phrase cut off
    before it; else, in an unparsed segment (or with no subject found), the name or pronoun next to it."""
    if cue.i in cue_sources:
        return cue_sources[cue.i]
    src = None
    if is_parsed(cue):
        subj = subject(cue)
        if subj is not None and not ctx.in_quote(subj.idx):
            src = source_phrase(subj, ctx.rules)
        else:
            src = cut_off_subject(cue)
    if src is None:
        src = adjacent_source(ctx.doc, cue, frame.start, frame.end, ctx.rules)
    return src


def _according_to(ctx: QuoteContext, fs: int, fe: int) -> tuple[Span, str, Span] | None:
    """(source, cue, cue span) of "according to X" in the frame, outside the marks."""
    m = ctx.rules.source_phrase_in_frame.search(ctx.text[fs:fe])
    if m is None or ctx.in_quote(fs + m.start()):
        return None
    src_start = fs + m.start("source")
    return ((src_start, src_start + len(m.group("source").rstrip())), m.group("cue").lower(),
            (fs + m.start(), fs + m.end("cue")))


def _colon_clause(ctx: QuoteContext, k0: int, fs: int, o: int) -> tuple[Span, str, Span] | None:
    """(source, cue, cue span) of a clause ending in a colon before the quote: its subject and verb, or the
    words before a copula ("Rubio was measured: “...”"), when it begins with a capital or a pronoun."""
    text, sents = ctx.text, ctx.sentences
    hs = fs
    before = text[fs:o].rstrip()
    if not before.strip() and k0 > 0 and text[sents[k0 - 1][0]:sents[k0 - 1][1]].rstrip().endswith(":"):
        # 'The Times reports:\n\n"..."': the colon clause is the segment before
        hs = sents[k0 - 1][0]
        before = text[hs:o].rstrip()
    if not before.endswith(":"):
        return None
    head = span_of(ctx.doc, hs, hs + len(before) - 1)
    if head is None:
        return None
    subjs = [t for t in head if is_parsed(t) and t.dep_ in ("nsubj", "nsubjpass") and head.start <= t.head.i < head.end]
    subj = next((t for t in subjs if t.head.dep_ == "ROOT"), subjs[-1] if subjs else None)
    if subj is not None:
        verb = subj.head
        return source_phrase(subj, ctx.rules), verb.text, (verb.idx, verb.idx + len(verb))
    words = list(head)
    cut = next((n for n, t in enumerate(words) if t.lower_ in ctx.rules.colon_verbs), None)
    if cut and cut <= MAX_COLON_SPEAKER_WORDS and (
            words[0].text[:1].isupper() or words[0].lower_ in ctx.rules.speaker_pronouns):
        return ((words[0].idx, words[cut - 1].idx + len(words[cut - 1])), words[cut].text,
                (words[cut].idx, words[cut].idx + len(words[cut])))
    return None


def _carries_over(ctx: QuoteContext, prev: Quote, prev_close: int, o: int) -> bool:
    """Whether the previous quote's speaker carries over to a quote opening at `o`: only white space
    between, a short stretch without a paragraph break, or nothing but the rest of the previous quote's
    attribution sentence ('“...,” said Mike Lynch, managing director of a brokerage in the city. “...”')."""
    gap = ctx.text[prev_close:o]
    if gap.strip() == "":
        return True
    if "\n\n" in gap.strip():
        return False
    if len(gap) < MAX_CARRY_GAP:
        return True
    attribution = {ctx.sentence_of(p) for p in (prev.speaker.start, prev.cue_start) if p is not None}
    stripped = len(gap) - len(gap.lstrip())
    first, last = ctx.sentence_of(prev_close + stripped), ctx.sentence_of(o - 1 - (len(gap) - len(gap.rstrip())))
    return all(k in attribution for k in range(first, last + 1))


def _is_speech(ctx: QuoteContext, content: str, cue: Token | None, cue_text: str | None, src: Span | None) -> bool:
    """A word or two needs a real reporting verb ('“R,” or “D,”', titles); a passage of capitalised words
    without a closing stop is a title ('Fox News' “Sunday Morning Futures” show'); without a source, fewer
    than six words or a passage that does not end like a sentence is a scare quote or a title."""
    n_words = len(content.split())
    if _title(content):
        return False
    if n_words < 3 and (cue is None or ctx.rules.cues.get(ctx.rules.cue_lemma(cue)) not in ("say", "claim")) \
            and cue_text not in ctx.rules.source_phrases:
        return False
    if src is None and (cue_text is None or n_words < 6):
        if n_words < 6 or not re.search(r"[.!?,;]\W*$", content):
            return False
    return True


def _title(content: str) -> bool:
    """Two to eight words, every one capitalised (or a number), and no punctuation at the end: a title."""
    words = re.findall(r"[\w'’-]+", content)
    return (2 <= len(words) <= 8 and all(w[:1].isupper() or w[:1].isdigit() for w in words)
            and not re.search(r"[.!?,;:]\W*$", content))
