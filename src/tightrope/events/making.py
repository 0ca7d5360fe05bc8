"""Event making: one source/target pair at a predicate becomes an `Event` with its type, CAMEO root, intensity,
quad class, modality, date and place.

The type comes from the trigger lexicon or the learned typer (events/typer.py), whichever is surer: the
lexicon decides where the model cannot (a side missing from the sentence, a reciprocal event), where the model
is unsure (below `LEXICON_CONFIDENCE`), and where the model disagrees about a trigger with one sense only; for
an ambiguous trigger ("hit", "call") a sure model wins. A verb of the CAMEO verb dictionary (cameo_verbs.tsv)
types an event only where the typer agrees with it (`CAMEO_AGREEMENT`); otherwise the typer alone decides, and
with a side missing there is no event. CAMEO root, intensity and quad come from the PLOVER
table; the date from the predicate's own clause (events/dates.py), read forward for a planned event, else the
publication day (`date_source` says which).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..records import Actor, Event
from .dates import parse_published, resolve_date
from .location import location
from .modality import modality
from .phrases import ArticleContext, head_token
from .rules import EventRules, load_event_rules
from .senses import adjusted_type
from .typer import classify_event

LEXICON_CONFIDENCE = 0.55  # a lexicon-typed event's confidence at least; a model below it yields to the lexicon
CAMEO_AGREEMENT = 0.5  # the least typer probability for the type of a CAMEO verb with which it types the event
YIELD_TYPES = ("CONCEDE", "RETREAT", "YIELD")  # PLV's YIELD, split by the sentence into CONCEDE or RETREAT


def plover_table(rules: EventRules | None = None) -> dict[str, tuple[str, float, int]]:
    """PLOVER type -> (CAMEO root code, intensity, quad class) as events are given them: the rows of the one
    PLOVER table (events/data/plover.tsv, read by `tightrope.plover`) the rules were loaded with (default: the
    packaged one)."""
    table = (rules if rules is not None else load_event_rules()).plover
    return {t: (c.cameo, c.intensity, c.quad) for t, c in table.items()}


def sentence_bounds(sent: Span) -> tuple[str, int, int]:
    """The sentence text without surrounding whitespace/blank lines, and its offsets (text[start:end] == it)."""
    raw = sent.text
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    start = sent.start_char + lead
    return text, start, start + len(text)


def text_in_sentence(sent: Span, actor: Actor | None) -> str | None:
    """The actor's text when it starts in this sentence. Sliced from the sentence: `doc.text` rebuilds the
    whole article's text on every call, which made event coding quadratic in article length."""
    if actor is None or not sent.start_char <= actor.start < sent.end_char:
        return None
    if actor.end <= sent.end_char:
        return sent.text[actor.start - sent.start_char:actor.end - sent.start_char]
    return sent.doc.text[actor.start:actor.end]


def local_text(pred: Token, sent: Span) -> str:
    """The predicate's own clause (so a date in another clause does not leak in), else the sentence."""
    sub = pred.doc[pred.left_edge.i: pred.right_edge.i + 1]
    return sub.text if len(sub) > 2 else sent.text


def event_date(text: str, published: str | None, planned: bool) -> tuple[str | None, str]:
    """(date, date_source): the date the clause's text names ("text"), else the publication day ("published"),
    else (None, "none"). A planned event's weekday or month is read forward."""
    date = resolve_date(text, published, future=planned)
    if date is not None:
        return date, "text"
    day = parse_published(published)
    return (day.isoformat(), "published") if day is not None else (None, "none")


def event_type(ctx: ArticleContext, sentence: str, sent: Span, trigger_tok: Token,
               lex: tuple[str, str | None] | None, src: Actor | None, tgt: Actor | None,
               recip: bool) -> tuple[str, float, str]:
    """(PLOVER type, confidence, rule): the typer's answer, or the lexicon's where it should decide."""
    stext, ttext = text_in_sentence(sent, src), text_in_sentence(sent, tgt)
    roots = (head_token(ctx.doc, src) if stext else None, head_token(ctx.doc, tgt) if ttext else None)
    mtype, conf = classify_event(sentence, stext, ttext, roots, typer=ctx.typer)
    rule = "model"
    word = trigger_tok.lemma_.lower()
    if lex is not None and ctx.rules.entry(trigger_tok) is None:  # a CAMEO verb (see `pairs.assemble`)
        if mtype == lex[0] and conf >= CAMEO_AGREEMENT:
            return mtype, conf, f"cameo:{word}"
        if stext is None or ttext is None:
            return lex[0], 0.0, "cameo"  # unconfirmed and with one side only: the detector drops it
        lex = None
    if lex is not None and (stext is None or recip or ttext is None or conf < LEXICON_CONFIDENCE or mtype == lex[0]
                            or word not in ctx.rules.ambiguous_triggers):
        mtype, conf, rule = lex[0], max(conf if mtype == lex[0] else 0.0, LEXICON_CONFIDENCE), f"lexicon:{word}"
    if mtype in YIELD_TYPES:
        mtype = "RETREAT" if ctx.rules.retreat.search(sentence) else "CONCEDE"
    return mtype, conf, rule


def make_event(ctx: ArticleContext, sent: Span, pred: Token, trigger_tok: Token, lex: tuple[str, str | None] | None,
               src: Actor | None, tgt: Actor | None, recip: bool) -> Event:
    """The event of one pair at predicate `pred`, named by `trigger_tok` (`pred` itself or the event noun folded
    into it); `lex` is the trigger's lexicon entry, if any."""
    text, s_start, s_end = sentence_bounds(sent)
    mtype, conf, rule = event_type(ctx, text, sent, trigger_tok, lex, src, tgt, recip)
    mood, claimed_by = modality(pred, ctx.heads, ctx.rules, trigger_tok)
    mtype, mood = adjusted_type(mtype, trigger_tok, pred, src, tgt, mood, ctx.rules)
    coding = ctx.rules.plover.get(mtype)
    cameo, intensity, quad = (coding.cameo, coding.intensity, coding.quad) if coding else (None, None, None)
    date, date_source = event_date(local_text(pred, sent), ctx.article.published, mood == "planned")
    mode = lex[1] if lex is not None and lex[0] == mtype else None
    return Event(source=src, target=tgt, type=mtype, sentence=text, start=s_start, end=s_end,
                 trigger=trigger_tok.text, mode=mode, cameo=cameo, intensity=intensity, quad=quad,
                 modality=mood, claimed_by=claimed_by, date=date, location=location(pred, sent, ctx.rules),
                 reciprocal=recip, trigger_start=trigger_tok.idx, trigger_end=trigger_tok.idx + len(trigger_tok),
                 rule=rule, confidence=round(conf, 3), date_source=date_source)
