"""How each outlet tells one story: shared facts, facts only one article has, conflicts, quote variants,
corroboration per event, and tone/framing per outlet.

Facts are what an article says happened, each with its evidence:
  event   a PLOVER event: type, source and target (from the events stage), with its sentence
  quote   a statement: speaker and words (the quotes stage's, or quoted strings when it found none); four
          words or more, and the same statement in other words counts as one (see `same_quote`)
  number  a figure with its unit or the thing it counts ("40 percent of the river flow", "28 fishermen"),
          with its sentence; years, days of dates and bare numbers are not facts
Bare names are not facts: `entities` lists who is named and by which outlets, beside the facts.
A fact is *shared* when articles from two or more outlets report it, *only in* an article when no other
outlet does. A *conflict* needs the same thing reported with different values: the same event with
different dates or opposite modality, or the same counted noun with different figures (and neither
article also gives the other figure). One statement quoted in different words by two outlets is a
*quote variant*.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..records import ArticleResult, Quote
from .grouping import STOP, _norm_word, tokens

DATA = Path(__file__).resolve().parent / "data"

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS)
_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({_MONTH_RE})(?:,?\s+(\d{{4}}))?|({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?"
    rf"|({_MONTH_RE})\s+(\d{{4}}))\b"
)
_UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pc": "percent",
    "million": "million", "billion": "billion", "trillion": "trillion", "thousand": "thousand",
}
_NUMBER = re.compile(
    r"(?<![\w.])(\$|€|£)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|percent\b|per cent\b|million\b|billion\b|trillion\b|thousand\b)?"
)
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "dozen": 12, "hundred": 100}
_QUOTED = re.compile(r"“([^”]{3,600})”|\"([^\"]{3,600})\"")
_CAP_RUN = re.compile(r"[A-Z][\w\-]*(?:['’][A-Z][\w\-]*)?(?:\s+(?:[A-Z][\w\-]*(?:['’][A-Z][\w\-]*)?|(?:of|al|bin|de|la)\b))*")
_TITLES = {"president", "secretary", "minister", "prime", "state", "foreign", "external", "affairs",
           "chief", "field", "marshal", "army", "general", "gen", "sen", "senator", "rep", "representative",
           "mr", "ms", "mrs", "dr", "us", "u.s", "the", "former", "deputy", "spokesman", "spokeswoman", "ambassador",
           "governor", "gov", "king", "queen", "prince", "leader", "chairman", "director", "head", "envoy"}
_NOT_NAMES = set(_MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                             "the", "a", "an", "but", "and", "in", "on", "at", "for", "as", "it", "its", "this",
                             "that", "these", "those", "he", "she", "we", "they", "i", "if", "while", "when",
                             "with", "after", "before", "despite", "just", "no", "not", "yes", "our", "his", "her"}


# -- tone lexicon --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def tone_lexicon() -> dict[str, tuple[float, str]]:
    """word -> (score -1..+1, frame) from stories/data/tone.tsv (our own small lexicon)."""
    lex = {}
    path = DATA / "tone.tsv"
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            lex[row[0].strip().lower()] = (float(row[1]), row[2].strip() if len(row) > 2 else "")
    return lex


_TONE_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=50_000)
def _norm_word_cached(w: str) -> str:
    return _norm_word(w)


def tone(text: str) -> dict[str, Any]:
    """Lexicon tone of a text: score per 100 words (positive = warm), the words that drive it, frames."""
    lex = tone_lexicon()
    words = [_norm_word_cached(w) for w in _TONE_WORD.findall(text)]
    hits: dict[str, float] = defaultdict(float)
    frames: dict[str, int] = defaultdict(int)
    for w in words:
        if w in lex:
            s, frame = lex[w]
            hits[w] += s
            if frame:
                frames[frame] += 1
    n = len(words) or 1
    total = sum(hits.values())
    pos = sorted((w for w in hits if hits[w] > 0), key=lambda w: (-hits[w], w))[:6]
    neg = sorted((w for w in hits if hits[w] < 0), key=lambda w: (hits[w], w))[:6]
    return {"score": round(100 * total / n, 2), "n_words": len(words), "positive": pos, "negative": neg,
            "frames": dict(sorted(frames.items(), key=lambda kv: (-kv[1], kv[0])))}


# -- fact extraction -----------------------------------------------------------------------------

def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 14 or line.rstrip().endswith((".", "”", "\"")):
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.6


def _name_key(run: str) -> str | None:
    toks = [t for t in re.split(r"\s+", run) if t]
    while toks and (toks[0].lower().strip(".") in _TITLES or toks[0] in ("of", "al", "bin", "de", "la")):
        toks = toks[1:]
    while toks and toks[-1] in ("of", "al", "bin", "de", "la"):
        toks = toks[:-1]
    # "Ostrand President Tomas Reyl": a title inside the run introduces the name after it
    titled = [i for i, t in enumerate(toks) if t.lower().strip(".") in _TITLES]
    if titled and titled[-1] < len(toks) - 1:
        toks = toks[titled[-1] + 1:]
    if not toks:
        return None
    key = " ".join(toks).strip("’'-")
    low = key.lower()
    if low in _NOT_NAMES or low in STOP or len(key) < 3 or re.split(r"['’]", low)[0] in _NOT_NAMES:
        return None
    return key


def entities(r: ArticleResult) -> list[str]:
    names: list[str] = []
    for a in r.actors:
        if a.kind == "pronoun":
            continue
        if a.name:
            names.append(a.name)
    for line in r.article.text.split("\n"):
        if _is_heading(line):
            continue
        bullet = re.match(r"\s*[·•*\-–]\s*([^:.]{1,60}):", line)
        if bullet:  # "· Some Label: text" — the label is a heading
            line = " " * bullet.end() + line[bullet.end():]
        for m in _CAP_RUN.finditer(line):
            s = m.start()
            run = m.group()
            before = line[max(0, s - 4):s]
            at_start = (not line[:s].strip() or line[:s].strip()[-1] in "·•*-–—"
                        or (re.search(r"[.!?:;\"“]\s*$", before) is not None
                            and re.search(r"\b[A-Z]\.\s*$", before) is None))
            if at_start:
                first, _, rest = run.partition(" ")
                if first.lower() in _NOT_NAMES or first.lower() in STOP:
                    run = rest
                elif not rest:
                    continue  # a single capitalised word at a sentence start
            # "Pakistan’s Army Chief Asim Munir": the possessive separates two names
            for piece in re.split(r"['’]s\b\s*", run):
                key = _name_key(piece) if piece else None
                if key:
                    names.append(key)
    return names


def _canonical_names(all_names: set[str]) -> dict[str, str]:
    """Map short names to the one longer name that ends with them ("Rubio" -> "Marco Rubio")."""
    ending: dict[str, set[str]] = defaultdict(set)  # last word -> the longer names ending with it
    for m in all_names:
        if " " in m:
            ending[m.split()[-1]].add(m)
    out = {}
    for n in all_names:
        if " " in n:
            out[n] = n
            continue
        cands = ending.get(n, ())
        out[n] = next(iter(cands)) if len(cands) == 1 else n
    return out


_AFTER_STOP = re.compile(r"[,.;:!?()\[\]“”\"]")
_DATE_BEFORE = re.compile(rf"(?:{_MONTH_RE})\.?\s*$")
_DATE_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTH_RE})\b")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s0 = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    e0 = min([i + 1 for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return s0, e0


def numbers(text: str) -> list[dict[str, Any]]:
    """Figures that say something: a value with its unit or the thing it counts ("40 percent of the river
    flow", "28 fishermen"), with the words around it and its sentence. Years, days of dates, and bare
    numbers with neither a unit nor a counted noun right after them are left out."""
    out = []
    for m in _NUMBER.finditer(text):
        cur, num, unit = m.group(1), m.group(2), m.group(3)
        value = num.replace(",", "")
        if not unit and not cur:
            if re.fullmatch(r"(19|20)\d\d", value):
                continue  # a year
            if _DATE_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _DATE_AFTER.match(text[m.end():m.end() + 16]):
                continue  # the day of a date
        unit_n = _UNITS.get((unit or "").lower(), "")
        if cur:
            unit_n = (cur + " " + unit_n).strip()
        # the phrase right after the figure, up to the next punctuation: what it counts
        after = _AFTER_STOP.split(text[m.end(): m.end() + 80], maxsplit=1)[0]
        after_words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", after)[:6]
        noun = None
        for w in after_words[:3]:
            wn = _norm_word(w)
            if wn not in STOP and wn not in ("of", "on", "the") and len(wn) > 2:
                noun = wn.rstrip("s") if len(wn) > 4 else wn
                break
        if not unit_n and not noun:
            continue  # "NUMBER 1": a bare number says nothing by itself
        s0, e0 = _sentence_bounds(text, m.start(), m.end())
        left = tokens(text[s0:m.start()])[-8:]
        right = tokens(text[m.end():e0])[:8]
        label = f"{cur or ''}{num}{' ' + (unit or '').lower() if unit else ''}".strip()
        phrase_words = after_words[:5] if noun else []
        while phrase_words and _norm_word(phrase_words[-1]) in STOP | {"of", "on", "the", "to"}:
            phrase_words.pop()  # "40 percent of the river flow to" -> "... river flow"
        phrase = " ".join(phrase_words)
        out.append({"value": value, "unit": unit_n, "noun": noun, "context": set(left + right),
                    "text": (label + (" " + phrase if phrase else "")).strip(),
                    "sentence": " ".join(text[s0:e0].split())})
    return out


def dates(text: str) -> list[str]:
    out = []
    for m in _DATE.finditer(text):
        g = m.groups()
        if g[0]:
            out.append(" ".join(x for x in (g[0], g[1], g[2]) if x))
        elif g[3]:
            out.append(" ".join(x for x in (g[3], g[4], g[5]) if x))
        else:
            out.append(f"{g[6]} {g[7]}")
    return out


def fallback_quotes(r: ArticleResult) -> list[Quote]:
    """Quoted strings of two words or more, when the quotes stage found nothing."""
    out = []
    for m in _QUOTED.finditer(r.article.text):
        s = m.group(1) if m.group(1) is not None else m.group(2)
        if len(s.split()) < 2:
            continue
        start = m.start(1) if m.group(1) is not None else m.start(2)
        speaker = _speaker_after(r.article.text, m.end())
        if speaker is None and out and out[-1].speaker is not None:
            # a quote continued after "Rubio said." or followed by "he said" keeps the last speaker
            gap = r.article.text[out[-1].end: m.start()]
            tail = r.article.text[m.end(): m.end() + 30]
            if ("\n" not in gap and len(gap) <= 40) or re.match(rf"^[,.]?\s*(?:he|she)\s+{_CUES}\b", tail):
                speaker = out[-1].speaker
        out.append(Quote(text=s.strip(), direct=True, cue=None, speaker=speaker, start=start, end=start + len(s)))
    return out


_CUES = r"(?:said|says|told|added|remarked|asserted|argued|stressed|noted|warned|insisted|explained)"
_AFTER_NAME_CUE = re.compile(rf"^[,.]?\s*((?:(?:[A-Z]\.|[A-Z][\w\-’']*)\s+){{0,5}}[A-Z][\w\-’']*)\s+{_CUES}\b")
_AFTER_CUE_NAME = re.compile(rf"^[,.]?\s*{_CUES}\s+((?:(?:[A-Z]\.|[A-Z][\w\-’']*)\s+){{0,5}}[A-Z][\w\-’']*)")


def _speaker_after(text: str, pos: int):
    """`“…,” Rubio said` / `“…,” said Minister X`: the named speaker right after a quotation, if any."""
    from ..records import Actor

    tail = text[pos: pos + 120]
    m = _AFTER_NAME_CUE.match(tail) or _AFTER_CUE_NAME.match(tail)
    if not m:
        return None
    name = _name_key(m.group(1))
    if not name:
        return None
    start = pos + m.start(1)
    return Actor(text=m.group(1), start=start, end=start + len(m.group(1)), name=name, kind="person")


_QUOTE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")


def _qnorm(text: str) -> list[str]:
    """A quote's words, normalised: two quotes with the same list are the same wording."""
    return [_norm_word_cached(w) for w in _QUOTE_WORD.findall(text)]


def _index(quotes: Sequence[Quote], q: Quote) -> int | None:
    """Position of an aligned quote in its list (by identity, else by offsets and text)."""
    for k, other in enumerate(quotes):
        if other is q:
            return k
    for k, other in enumerate(quotes):
        if other.start == q.start and other.end == q.end and other.text == q.text:
            return k
    return None


def _actor_key(actor) -> str | None:
    if actor is None:
        return None
    return actor.name or actor.code or actor.text


# -- the comparison ------------------------------------------------------------------------------

# Quote variants: two outlets' renderings of one statement. `align_quotes` scores overlap relative to the
# shorter quote, so a one- or two-word fragment ("Obama", "tax rates") inside any long quote scores 1.00.
# Measured on 60 cross-outlet quote pairs of BASIL stories labelled by hand (similarity >= 0.45, all years):
# with at least 4 shared content words, similarity >= 0.6 and 40 % of the shorter quote's word pairs
# found in the other, 22 of 23 pairs are the same statement (the miss: "a court order ... Amendment 64"
# against "Amendment 64, which legalized marijuana"); below that, or with 2-3 shared words, most pairs
# are different statements that share a phrase. Paraphrases with few shared words are missed.
VARIANT_MIN_SHARED = 4
VARIANT_MIN_SIMILARITY = 0.6
VARIANT_MIN_BIGRAMS = 0.4
QUOTE_MIN_WORDS = 4  # shorter quotes are phrases ("reckless", "a little class"), not statements


def same_quote(a: str, b: str) -> float | None:
    """The similarity of two quotes when they are one statement in two wordings (see above), else None."""
    from ..quotes.align import _words, similarity
    from ..quotes.rules import default_quote_rules

    stop = default_quote_rules().stopwords
    wa, wb = _words(a), _words(b)
    shared = {w for w in wa if w not in stop} & {w for w in wb if w not in stop}
    if len(shared) < VARIANT_MIN_SHARED:
        return None
    sim = similarity(a, b, stop)
    ba, bb = set(zip(wa, wa[1:])), set(zip(wb, wb[1:]))
    bigrams = len(ba & bb) / min(len(ba), len(bb)) if ba and bb else 0.0
    if sim < VARIANT_MIN_SIMILARITY or bigrams < VARIANT_MIN_BIGRAMS:
        return None
    return round(sim, 4)


class _QuoteWords:
    """One quote's words, read once: its word list, content words and word pairs (what `same_quote` tests)."""

    __slots__ = ("text", "words", "content", "bigrams")

    def __init__(self, text: str, stop) -> None:
        from ..quotes.align import _words

        self.text = text
        self.words = _words(text)
        self.content = frozenset(w for w in self.words if w not in stop)
        self.bigrams = frozenset(zip(self.words, self.words[1:]))


def _same_prepared(x: _QuoteWords, y: _QuoteWords, stop) -> float | None:
    """`same_quote` on quotes whose words were read once (the same tests, in the same order)."""
    from ..quotes.align import similarity

    if len(x.content & y.content) < VARIANT_MIN_SHARED:
        return None
    ba, bb = x.bigrams, y.bigrams
    bigrams = len(ba & bb) / min(len(ba), len(bb)) if ba and bb else 0.0
    if bigrams < VARIANT_MIN_BIGRAMS:
        return None
    sim = similarity(x.text, y.text, stop)
    if sim < VARIANT_MIN_SIMILARITY:
        return None
    return round(sim, 4)


def _quote_pairs(quotes: Sequence[Sequence[Quote]]) -> dict[tuple[int, int], list[tuple[float, int, int]]]:
    """Every pair of quotes of two different articles that `same_quote` takes for one statement:
    {(article i, article j > i): [(-similarity, quote in i, quote in j)]}.

    Near-linear in the number of quotes rather than all pairs: a pair must share VARIANT_MIN_SHARED
    content words, so (prefix filtering) it shares one of the rarest len - VARIANT_MIN_SHARED + 1 content
    words of each quote, in one order of the words by how many quotes hold them; only quotes indexed under
    such a word are compared, each quote's words read once."""
    from ..quotes.rules import default_quote_rules

    stop = default_quote_rules().stopwords
    prepared = [[_QuoteWords(q.text, stop) for q in qs] for qs in quotes]
    df: dict[str, int] = defaultdict(int)
    for qs in prepared:
        for p in qs:
            for w in p.content:
                df[w] += 1
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    prefixes = []
    for i, qs in enumerate(prepared):
        for ix, p in enumerate(qs):
            if len(p.content) < VARIANT_MIN_SHARED:
                prefixes.append(())
                continue
            ordered = sorted(p.content, key=lambda w: (df[w], w))
            prefix = ordered[: len(ordered) - VARIANT_MIN_SHARED + 1]
            prefixes.append(prefix)
            for w in prefix:
                postings[w].append((i, ix))
    out: dict[tuple[int, int], list[tuple[float, int, int]]] = defaultdict(list)
    k = 0
    for i, qs in enumerate(prepared):
        for ix, x in enumerate(qs):
            prefix = prefixes[k]
            k += 1
            seen: set[tuple[int, int]] = set()
            for w in prefix:
                for j, iy in postings[w]:
                    if j > i and (j, iy) not in seen:
                        seen.add((j, iy))
                        sim = _same_prepared(x, prepared[j][iy], stop)
                        if sim is not None:
                            out[(i, j)].append((-sim, ix, iy))
    return out


def _speaker(q: Quote) -> str | None:
    return _actor_key(q.speaker)


def quote_text(q: Quote) -> str:
    """A quote as a fact: who said it, and what."""
    who = _speaker(q)
    return f"{who}: “{q.text}”" if who else f"“{q.text}”"


def compare_results(results: Sequence[ArticleResult], story_id: str = "", title: str | None = None) -> dict[str, Any]:
    """The comparison JSON for the articles of one story (pure function of the results).

    Facts are events (type, source, target, with the sentence), quotes (speaker and words, four words or
    more) and figures (value with the unit or counted thing, with the sentence), never bare names or
    numbers. `entities` lists who is named, and by which outlets, apart from the facts.
    """
    results = list(results)
    aids = [r.article.id for r in results]
    outlet = {r.article.id: (r.article.outlet or r.article.id) for r in results}
    facts: dict[tuple[str, Any], dict[str, Any]] = {}

    def add(kind: str, key: Any, text: str, aid: str, extra: dict | None = None, **fields) -> None:
        f = facts.setdefault((kind, key), {"kind": kind, "key": key, "text": text, "articles": [], **fields})
        if aid not in f["articles"]:
            f["articles"].append(aid)
        if extra:
            f.setdefault("detail", {})[aid] = extra

    # events: who did what to whom. Two outlets name one actor differently ("Rubio", "Marco Rubio";
    # "Washington", "the United States", "Ethiopian"): people are matched by name (a surname by the one full
    # name in the story that ends with it), states and bodies by their country (or code) whatever the
    # sector the two codings gave them (EGYGOV, EGY)
    person_names = _canonical_names({a.name for r in results for e in r.events for a in (e.source, e.target)
                                     if a is not None and a.name and a.kind == "person"})

    def who(actor) -> str | None:
        if actor is None:
            return None
        if actor.kind != "person" and (actor.country or actor.code):
            return actor.country or actor.code
        name = _actor_key(actor)
        return person_names.get(name, name) if name else None

    event_info: dict[Any, dict[str, Any]] = {}
    for r in results:
        aid = r.article.id
        for e in r.events:
            src, tgt = _actor_key(e.source), _actor_key(e.target)
            if not src and not tgt:
                continue
            key = (e.type, who(e.source), who(e.target))
            add("event", key, f"{src or '?'} {e.type} {tgt or '?'}", aid,
                {"date": e.date, "modality": e.modality, "sentence": e.sentence},
                type=e.type, source=src, target=tgt, sentence=e.sentence)
            event_info.setdefault(key, {"type": e.type, "source": src, "target": tgt})

    # figures: a value with its unit or what it counts
    nums_per = {}
    for r in results:
        aid = r.article.id
        nums = numbers(r.article.text)
        nums_per[aid] = nums
        for n in nums:
            # a measured figure is one fact whatever words follow it; a count is a count of something
            key = (n["value"], n["unit"]) if n["unit"] else (n["value"], n["noun"])
            add("number", key, n["text"], aid, {"sentence": n["sentence"]},
                value=n["value"], unit=n["unit"] or None, counted=n["noun"], sentence=n["sentence"])

    # quotes: the same statement in two outlets is one fact, also in other words (see same_quote)
    wording: dict[str, str] = {}  # a quote's normalised words, read once

    def worded(q: Quote) -> str:
        if q.text not in wording:
            wording[q.text] = " ".join(_qnorm(q.text))
        return wording[q.text]

    quotes_per = {r.article.id: [q for q in (list(r.quotes) or fallback_quotes(r))
                                 if worded(q).count(" ") + 1 >= QUOTE_MIN_WORDS and worded(q)]
                  for r in results}
    variants = []
    quote_group: dict[tuple[str, int], str] = {}
    candidates = _quote_pairs([quotes_per[aid] for aid in aids])
    for i, j in sorted(candidates):
        ra, rb = results[i], results[j]
        a_id, b_id = ra.article.id, rb.article.id
        if outlet[a_id] == outlet[b_id] and ra.article.outlet:
            continue
        used_a: set[int] = set()
        used_b: set[int] = set()
        for neg, ix, iy in sorted(candidates[(i, j)]):
            if ix in used_a or iy in used_b:
                continue
            used_a.add(ix)
            used_b.add(iy)
            x, y = quotes_per[a_id][ix], quotes_per[b_id][iy]
            gid = quote_group.get((a_id, ix)) or quote_group.get((b_id, iy)) or f"q:{a_id}:{ix}"
            quote_group[(a_id, ix)] = gid
            quote_group[(b_id, iy)] = gid
            if worded(x) != worded(y):
                variants.append({
                    "similarity": -neg,
                    "a": {"article": a_id, "outlet": outlet[a_id], "text": x.text, "speaker": _speaker(x)},
                    "b": {"article": b_id, "outlet": outlet[b_id], "text": y.text, "speaker": _speaker(y)},
                })
    for aid, qs in quotes_per.items():
        for k, q in enumerate(qs):
            gid = quote_group.get((aid, k), f"q:{aid}:{k}")
            add("quote", gid, quote_text(q), aid, {"text": q.text, "speaker": _speaker(q)},
                speaker=_speaker(q), quote=q.text)

    # shared vs only-in, by distinct outlets
    shared, only_in = [], {aid: [] for aid in aids}
    for (kind, key), f in facts.items():
        outs = sorted({outlet[a] for a in f["articles"]})
        item = {k: v for k, v in f.items() if k not in ("key", "detail")}
        item["outlets"] = outs
        if len(outs) >= 2:
            shared.append(item)
        elif len(aids) > 1:
            for a in f["articles"]:
                only_in[a].append({k: v for k, v in item.items() if k not in ("articles", "outlets")})
    order = {"event": 0, "quote": 1, "number": 2}
    shared.sort(key=lambda f: (order[f["kind"]], -len(f["outlets"]), f["text"].lower()))
    for a in only_in:
        only_in[a].sort(key=lambda f: (order[f["kind"]], f["text"].lower()))

    conflicts = _conflicts(facts, nums_per, outlet)
    corroboration = []
    for (kind, key), f in facts.items():
        if kind != "event":
            continue
        info = event_info[key]
        corroboration.append({**info, "count": len({outlet[a] for a in f["articles"]}), "articles": f["articles"]})
    corroboration.sort(key=lambda e: (-e["count"], e["type"], str(e["source"]), str(e["target"])))

    # who is named, by which outlets (not facts by themselves)
    names_per = {r.article.id: entities(r) for r in results}
    canon = _canonical_names({n for ns in names_per.values() for n in ns})
    named: dict[str, set[str]] = defaultdict(set)
    for aid, ns in names_per.items():
        for n in ns:
            named[canon.get(n, n)].add(outlet[aid])
    entity_list = [{"name": n, "outlets": sorted(o)} for n, o in named.items()]
    entity_list.sort(key=lambda e: (-len(e["outlets"]), e["name"].lower()))

    tone_by_outlet: dict[str, dict[str, Any]] = {}
    texts_by_outlet: dict[str, list[str]] = defaultdict(list)
    for r in results:
        texts_by_outlet[outlet[r.article.id]].append(r.article.title + "\n" + r.article.text)
    for o, texts in sorted(texts_by_outlet.items()):
        tone_by_outlet[o] = tone("\n".join(texts))

    from .grouping import central_title

    return {
        "id": story_id,
        "title": title if title is not None else central_title([r.article.title or "" for r in results]),
        "articles": aids,
        "article_info": [{"id": r.article.id, "title": r.article.title, "outlet": r.article.outlet,
                          "published": r.article.published} for r in results],
        "outlets": sorted(set(outlet.values())),
        "shared": shared,
        "only_in": only_in,
        "conflicts": conflicts,
        "quote_variants": variants,
        "corroboration": corroboration,
        "entities": entity_list,
        "tone": tone_by_outlet,
    }


def _conflicts(facts, nums_per, outlet) -> list[dict[str, Any]]:
    out = []
    # events: same (type, source, target) with different dates or opposite polarity
    for (kind, key), f in sorted(facts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if kind != "event" or len(f["articles"]) < 2:
            continue
        detail = f.get("detail", {})
        dates_ = {a: d["date"] for a, d in detail.items() if d.get("date")}
        if len(set(dates_.values())) > 1 and len({outlet[a] for a in dates_}) > 1:
            out.append({"kind": "event_date", "fact": f["text"], "values": dates_})
        mods = {a: d["modality"] for a, d in detail.items()}
        pol = {a: ("negated" if m == "negated" else "asserted") for a, m in mods.items() if m in ("asserted", "negated")}
        if len(set(pol.values())) > 1:
            out.append({"kind": "event_modality", "fact": f["text"], "values": pol})
    # figures: the same unit (and counted noun, when both have one) said about the same thing, i.e. in
    # contexts that share most of their words, with different values in two outlets; and neither
    # article also gives the other's value (then they are two figures, not a disagreement)
    values_of: dict[str, set[tuple[str, str]]] = {a: {(n["unit"], n["value"]) for n in ns} for a, ns in nums_per.items()}
    seen_pairs = set()
    aids = sorted(nums_per)
    for i, a in enumerate(aids):
        for b in aids[i + 1:]:
            if outlet[a] == outlet[b]:
                continue
            for x in nums_per[a]:
                if not x["unit"] or (x["unit"], x["value"]) in values_of[b]:
                    continue
                for y in nums_per[b]:
                    if y["unit"] != x["unit"] or y["value"] == x["value"] or (y["unit"], y["value"]) in values_of[a]:
                        continue
                    if x["noun"] and y["noun"] and x["noun"] != y["noun"]:
                        continue
                    cx, cy = x["context"], y["context"]
                    if not cx or not cy or len(cx & cy) / len(cx | cy) < 0.35:
                        continue
                    key = (a, b, x["unit"], x["value"], y["value"])
                    if key in seen_pairs:
                        continue
                    seen_pairs.add(key)
                    fact = f"{x['unit']} {x['noun'] or ''}".strip() + f" ({', '.join(sorted(cx & cy)[:4])})"
                    out.append({"kind": "figure", "fact": fact, "values": {a: [x["value"]], b: [y["value"]]}})
    return out
