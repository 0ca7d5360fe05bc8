"""`tightrope bench spans PATH`: source/target actor spans that Tightrope picks itself, against BIO gold.

PATH is a BIO file like conflibert_cameo/cameo_ner/train.txt (token TAB-or-space tag, blank line between
sentences; tags B-/I- S (source), T (target), R (both)). Each sentence is detokenised, parsed, run through
tightrope.actors.resolve_actors and tightrope.events.extract_events, and the sources/targets of the events are
compared with the gold spans: exact (same characters) and overlap (any shared character, matched one to one)
precision/recall/F1, over every event the rules find (`min_confidence` 0: the spans are scored whatever the
countries, which the gold does not give). A reciprocal event counts its two parties on both sides (see
predicted_spans). Also: how
many gold spans overlap an actor at all (recognition), and the speed of event coding alone (sentences/s,
excluding parsing and actor resolution). source_f1/target_f1 are the overlap figures; `halves` gives them on two
fixed halves of the sentences (`half_of`: the first byte of the sha256 of the sentence, even "dev" or odd
"held"), so that rules developed reading one half can be judged on the other.
"""

from __future__ import annotations

import hashlib
import re
import time

from . import f1, finish

_NO_SPACE_BEFORE = {",", ".", "'s", "n't", ")", ";", ":", "!", "?", "'", "%", "'re", "'ve", "'ll", "'d", "'m"}


def read_bio(path: str, limit: int | None = None) -> list[tuple[str, dict[str, list[tuple[int, int]]]]]:
    """(sentence text, {"S": spans, "T": spans}) per sentence; R spans go to both."""
    out: list[tuple[str, dict[str, list[tuple[int, int]]]]] = []
    toks: list[tuple[str, str]] = []

    def flush() -> None:
        if not toks:
            return
        text, spans, cur = "", {"S": [], "T": []}, None
        for i, (w, tag) in enumerate(toks):
            if text and w not in _NO_SPACE_BEFORE and not text.endswith(("(", "$")):
                text += " "
            start = len(text)
            text += w
            kind = tag[2:] if len(tag) > 2 else None
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
                if cur:
                    _close(spans, cur)
                cur = [kind, start, len(text)]
            elif tag.startswith("I-") and cur:
                cur[2] = len(text)
            else:
                if cur:
                    _close(spans, cur)
                cur = None
        if cur:
            _close(spans, cur)
        out.append((text, spans))
        toks.clear()

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                flush()
                if limit and len(out) >= limit:
                    return out
                continue
            toks.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    flush()
    return out[:limit] if limit else out


def _close(spans: dict, cur: list) -> None:
    kind, s, e = cur
    if kind in ("S", "R"):
        spans["S"].append((s, e))
    if kind in ("T", "R"):
        spans["T"].append((s, e))


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], exact: bool) -> int:
    used: set[int] = set()
    hit = 0
    for g in gold:
        for k, p in enumerate(pred):
            if k in used:
                continue
            if (p == g) if exact else (p[0] < g[1] and g[0] < p[1]):
                used.add(k)
                hit += 1
                break
    return hit


_COORD = re.compile(r"\s*(?:,|and|&|, and)\s*(?:the\s+)?", re.I)


def predicted_spans(events, text: str) -> dict[str, list[tuple[int, int]]]:
    """Source and target spans of the events. A reciprocal event ("A met B", "A and B agreed") has two parties
    that are each source and target, as the gold R tag says: both spans go to both sides, and two coordinated
    parties ("A and B") make one span, as R marks them."""
    pred: dict[str, set[tuple[int, int]]] = {"S": set(), "T": set()}
    for e in events:
        src = (e.source.start, e.source.end) if e.source is not None else None
        tgt = (e.target.start, e.target.end) if e.target is not None else None
        if e.reciprocal and src and tgt:
            a, b = sorted((src, tgt))
            both = [(a[0], b[1])] if a[1] <= b[0] and _COORD.fullmatch(text[a[1]:b[0]]) else [a, b]
            for k in ("S", "T"):
                pred[k].update(both)
            continue
        if src:
            pred["S"].add(src)
        if tgt:
            pred["T"].add(tgt)
    return {k: sorted(v) for k, v in pred.items()}


HALVES = ("dev", "held")


def half_of(text: str) -> str:
    """"dev" or "held": a fixed split of the sentences by the hash of their text."""
    return HALVES[hashlib.sha256(text.encode("utf-8")).digest()[0] % 2]


def _figures(counts: dict) -> dict:
    out = {}
    for k, name in (("S", "source"), ("T", "target")):
        g, p, ex, ov = counts[k]
        out[f"{name}_f1"] = round(f1(ov / p if p else 0, ov / g if g else 0), 4)
        out[f"{name}_precision"] = round(ov / p if p else 0, 4)
        out[f"{name}_recall"] = round(ov / g if g else 0, 4)
        out[f"{name}_exact_f1"] = round(f1(ex / p if p else 0, ex / g if g else 0), 4)
    return out


def run(path: str, limit: int | None = None) -> dict:
    from ..actors import load_lexicon, resolve_actors
    from ..events import extract_events
    from ..nlp import load_pipeline
    from ..records import Article

    data = read_bio(path, limit)
    nlp = load_pipeline()
    lexicon = load_lexicon(None)
    counts = {k: [0, 0, 0, 0] for k in ("S", "T")}  # gold, pred, exact hits, overlap hits
    by_half = {h: {k: [0, 0, 0, 0] for k in ("S", "T")} for h in HALVES}
    recognised = gold_total = 0
    t_events = 0.0
    for i, doc in enumerate(nlp.pipe([t for t, _ in data], batch_size=64)):
        text, gold = data[i]
        art = Article(id=f"s{i}", title="", text=text)
        actors = resolve_actors(doc, art, lexicon)
        t0 = time.perf_counter()
        events = extract_events(doc, actors, art, min_confidence=0.0)
        t_events += time.perf_counter() - t0
        pred = predicted_spans(events, text)
        for k in ("S", "T"):
            row = (len(gold[k]), len(pred[k]), _match(gold[k], pred[k], exact=True),
                   _match(gold[k], pred[k], exact=False))
            for j, v in enumerate(row):
                counts[k][j] += v
                by_half[half_of(text)][k][j] += v
        spans = set(gold["S"]) | set(gold["T"])
        gold_total += len(spans)
        recognised += _match(sorted(spans), [(a.start, a.end) for a in actors], exact=False)
    figures: dict = {"n": len(data), **_figures(counts)}
    figures["gold_spans_recognised_as_actors"] = round(recognised / gold_total if gold_total else 0, 4)
    figures["event_sentences_per_s"] = round(len(data) / t_events if t_events else 0, 1)
    figures["halves"] = {h: {k: v for k, v in _figures(c).items() if k in ("source_f1", "target_f1")}
                         for h, c in by_half.items()}
    print(f"spans {path}: {len(data)} sentences")
    return finish("spans", figures)
