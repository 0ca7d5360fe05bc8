"""Attributions the rules miss, from the learned tagger (quotes/tagger.py), where it was measured to help.

The rules find most attributions and their speakers well; the tagger (a CRF trained on PolNeAR train) knows
part of the long tail of cues the rules do not ("hinted that", "placed blame on"). Measured per case on PolNeAR
dev (84 articles, never trained on; the bench's token scoring, with the model of 28 Nov 2026):

* where both find a statement, the rules' content is as good or better for indirect speech (precision 0.91 vs
  0.89 with a cue the rules know, 0.84 vs 0.70 with a long-tail cue) and the rules find more of the gold source
  and cue words, so the rules' quote stands and the tagger is not run there: it labels only the runs of
  sentences that hold no rule quote and no rule cue (run everywhere, swapping in its cues and sources, it
  would add content 0.005, source 0.011 and cue 0.024 F1 at four times the quotes stage's cost);
* where only the tagger finds one, it is kept when it has a source (who said what: a bare content is no quote
  for a reader) and is a quotation, or indirect speech with a cue the rules know but missed in that sentence
  (content precision 0.63), or a cue outside the rules' lexicon with a score of at least
  `MIN_LONG_TAIL_SCORE` (0.67; 0.43-0.59 below it); attributions with no cue (0.30) are left out;
* the rules' sense of a cue stands: a thing announced, reported, revealed, disclosed or discussed
  (event_object_verbs.txt), or the bare object of a cue whose object is not what is said (no_object_verbs.txt:
  "ordered the arrest"), is no quote unless the content is a clause; a long-tail cue needs a clause too ("signed
  an agreement" is an act, "hinted that ..." a statement); a content without a word is none.

With these additions: PolNeAR dev content 0.849 -> 0.851, source 0.745 -> 0.746, cue 0.588 -> 0.592; VOA dev
gold quotes found 0.950 -> 0.966 and found with the right speaker country 0.654 -> 0.675.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from ..nlp import span_of
from ..records import Quote
from .context import QuoteContext
from .statements import PART_JOINER

# a long-tail cue (outside the rules' lexicon) is kept from this tagger score up
MIN_LONG_TAIL_SCORE = 0.9

_WORD = re.compile(r"\w+")


def learned_quotes(ctx: QuoteContext, quotes: Sequence[Quote], model) -> list[Quote]:
    """The tagger's attributions in the sentences where the rules found no quote, as quotes (see above)."""
    from . import tagger as T

    taken = [p for q in quotes for p in (q.parts or [(q.start, q.end)])]
    taken += [(q.cue_start, q.cue_end) for q in quotes if q.cue_start is not None]
    out = []
    windows = _free_windows(ctx, model, taken, T)
    ems = [model.emissions(w) for w in windows]
    found = [(w, em, path) for w, em, path in zip(windows, ems, model.decode(ems)) if any(path)]
    for (w, _, path), marg in zip(found, model.marginals_batch([em for _, em, _ in found])):
        probs = marg[range(len(path)), path]
        for att in T.group(w, path, probs, model.calibrated):
            if _wanted(ctx, att):
                out.append(_as_quote(ctx, att))
    return out


def _free_windows(ctx: QuoteContext, model, taken: list[tuple[int, int]], T) -> list:
    """Runs of adjacent sentences of one paragraph that hold nothing the rules found and a quotation mark or a
    word the tagger learned as a cue, each as a tagger window (the tagger's arrays over the Doc are built only
    when there is one)."""
    doc, text = ctx.doc, ctx.text
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    taken_reach = list(accumulate((b for _, b in taken), max))  # the furthest end of the spans so far

    def overlaps_taken(s: int, e: int) -> bool:  # any(a < e and s < b for a, b in taken), by bisection
        k = bisect_left(taken_starts, e)
        return k > 0 and taken_reach[k - 1] > s

    runs, run = [], None
    for s, e in ctx.sentences:
        sent = span_of(doc, s, e)
        wanted = (sent is not None and not overlaps_taken(s, e)
                  and any(t.lower_ in model.cue_words or _MARK.match(t.text) for t in sent))
        if wanted and run is not None and "\n" not in text[run[1]:s]:
            run = (run[0], e)
            continue
        if run is not None:
            runs.append(run)
        run = (s, e) if wanted else None
    if run is not None:
        runs.append(run)
    spans = [sp for sp in (span_of(doc, s, e) for s, e in runs) if sp is not None]
    if not spans:
        return []
    arrays = T.DocArrays(doc)
    out = []
    for sp in spans:
        window = T.Window(arrays, sp.start, sp.end)
        if len(window):
            out.append(window)
    return out


_MARK = re.compile(r"[\"“”‘’«»„`']")


def _wanted(ctx: QuoteContext, att) -> bool:
    """A tagger attribution kept as a quote: it has a source and content words, and is a quotation, a cue the
    rules know, or a long-tail cue with a clause scored MIN_LONG_TAIL_SCORE or more; a thing made known is no
    statement."""
    if att.source is None or not att.content or not any(_WORD.search(ctx.text, s, e) for s, e in att.content):
        return False
    if att.direct:
        return True
    cue_words = _WORD.findall(ctx.text[att.cue[0]:att.cue[1]].lower()) if att.cue else []
    if not cue_words:
        return False
    lemmas = [ctx.rules.cue_forms.get(w) for w in cue_words]
    known = any(lemmas) or any(w in " ".join(ctx.rules.source_phrases).split() for w in cue_words)
    if any(lemma in ctx.rules.event_object_verbs or lemma in ctx.rules.no_object_verbs for lemma in lemmas if lemma) \
            and not _clause(ctx, att):
        return False  # "announced the charges", "ordered the arrest": the thing is not what was said
    # a cue outside the rules' lexicon with a noun phrase for content is mostly an act ("signed an agreement",
    # "ordered the arrest"), not a statement
    return known or (att.score >= MIN_LONG_TAIL_SCORE and _clause(ctx, att))


def _clause(ctx: QuoteContext, att) -> bool:
    """Whether a content is a clause (a proposition, not a thing): the head of one of its parts is a verb."""
    for s, e in att.content:
        span = span_of(ctx.doc, s, e)
        if span is not None and span.root.pos_ in ("VERB", "AUX") and span.root.tag_ != "VBG":
            return True
    return False


def _as_quote(ctx: QuoteContext, att) -> Quote:
    parts = [tuple(p) for p in att.content]
    cue = ctx.text[att.cue[0]:att.cue[1]] if att.cue else None
    q = ctx.quote((parts[0][0], parts[-1][1]), att.direct, cue, att.source, att.cue)
    q.parts = list(parts)
    q.text = PART_JOINER.join(ctx.text[s:e] for s, e in parts)
    q.kind = att.kind
    return q
