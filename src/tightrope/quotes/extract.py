"""The quotes stage: direct and indirect quotes, the claims among them and who disputes them.

The passes run in this order, each in its own module:
1. `indirect.read_cue_verb` over every parsed cue verb (cues.tsv) outside quotation marks: indirect
   speech and, for denial cues, what is denied; not a negated "appear"/"seem" nor a cue in the infinitive
   of a negated verb ("does not appear to support X": X is not what anyone said); `claims.denial_without_verb` for denial cues that are
   not parsed verbs;
2. `indirect.nominal_quotes`, `indirect.according_to_quotes`, `indirect.label_line_quotes`;
3. `direct.direct_quotes`: the passages between quotation marks (`marks.find_direct`), attributed;
4. `filters`: an indirect content that is a direct quote, and reported speech inside reported speech,
   are dropped;
   `learned.learned_quotes`: the learned tagger's attributions in the sentences the rules left empty;
   `speakers.resolve_speakers`: pronouns, relatives and descriptions to the person, and the speakers'
   countries; `statements.statements`: fragments joined into statements, each with its kind;
5. `claims`: every attributed quote but what a denial reports is a claim; denials are linked to the
   claims they dispute.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from ..nlp import is_parsed
from ..records import Actor, Article, Claim, Quote
from .claims import Denial, claims_of, denial_without_verb, link_denials
from .context import QuoteContext
from .direct import direct_quotes
from .filters import drop_indirect_copies, drop_second_hand
from .indirect import according_to_quotes, label_line_quotes, nominal_quotes, read_cue_verb
from .learned import learned_quotes
from .phrases import Span, cue_phrase
from .rules import QuoteRules, default_quote_rules
from .speakers import resolve_speakers
from .statements import statements


DEFAULT_TAGGER = object()  # extract_quotes' default: the committed tagger when it is installed


def extract_quotes(doc: Doc, actors: Sequence[Actor], article: Article, rules: QuoteRules | None = None,
                   tagger: object = DEFAULT_TAGGER) -> tuple[list[Quote], list[Claim]]:
    """Direct and indirect quotes in text order, and the claims among them with who disputes them.
    `rules`: the loaded language data (`load_quote_rules`); default: the packaged data. `tagger`: the learned
    attribution tagger that adds what the rules miss (`learned.py`); default: the committed one when it is
    installed; None: the rules alone."""
    text = article.text
    if not text or doc is None or len(doc) == 0:
        return [], []
    ctx = QuoteContext(doc, text, actors, rules or default_quote_rules())

    quotes: list[Quote] = []
    cue_sources: dict[int, Span] = {}  # cue token index -> its source, for the direct quotes it also reports
    reported: list[Quote] = []  # what denials report: not claimed by the one who denies it
    denials: list[Denial] = []
    for tok in doc:
        lemma = ctx.rules.cue_lemma(tok)
        if not lemma or ctx.in_quote(tok.idx):
            continue
        kind = ctx.rules.cues[lemma]
        if not is_parsed(tok) or tok.pos_ not in ("VERB", "AUX"):
            denial = denial_without_verb(ctx, tok) if kind == "deny" else None
            if denial is not None:
                denials.append(denial)
            continue
        if (kind == "seeming" and _negated(tok)) or _under_negation(tok):
            continue
        src, content = read_cue_verb(ctx, tok, lemma, kind)
        if kind == "deny":
            denials.append(Denial(tok, src, content))
        if content is None:
            continue
        q = ctx.quote(content, False, tok.text, src, cue_phrase(tok, ctx.rules))
        quotes.append(q)
        if src is not None:
            cue_sources[tok.i] = src
        if kind == "deny":
            reported.append(q)
    quotes += nominal_quotes(ctx, quotes)
    quotes += according_to_quotes(ctx)
    quotes += label_line_quotes(ctx, quotes)
    quotes += direct_quotes(ctx, cue_sources)

    quotes = drop_indirect_copies(quotes)
    quotes.sort(key=lambda q: (q.start, q.end))
    quotes = drop_second_hand(quotes, ctx.rules)
    model = default_tagger() if tagger is DEFAULT_TAGGER else tagger
    if model is not None:
        quotes += learned_quotes(ctx, quotes, model)
        quotes.sort(key=lambda q: (q.start, q.end))
    resolve_speakers(ctx, quotes)
    quotes = statements(ctx, quotes)

    claims = claims_of(ctx, quotes, reported)
    return quotes, link_denials(ctx, claims, denials)


def default_tagger():
    """The committed learned tagger (quotes/model/tagger.npz), loaded once, or None when it is not installed."""
    from . import tagger as T

    return T.load_tagger() if T.available() else None


def _negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _under_negation(tok) -> bool:
    """A cue in the infinitive of a negated verb ("does not appear to support the plan", "did not want to
    discuss it"): what it reports, without the negation, would read as asserted."""
    while tok.dep_ == "xcomp" and tok.head is not tok:
        tok = tok.head
        if _negated(tok):
            return True
    return False
