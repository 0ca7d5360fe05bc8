"""`tightrope bench polnear DIR`: quotes and attribution against PolNeAR brat standoff gold.

DIR is a split folder (text/*.txt + attributions/<stem>_<annotator>.ann). When an article has several
annotations, the first file name in sorted order is used. Each gold relation gives Content, Source and
Cue spans; each Tightrope quote gives content (start/end), source (speaker span) and cue (cue_start/end).

Figures:
- content_exact_f1: content spans matched exactly (after trimming spaces and quotation marks/punctuation);
- content_overlap_f1, source_f1, cue_f1: token-overlap F1 (word tokens labelled Content/Source/Cue in
  gold vs predicted, over all articles);
- direct_*: the same restricted to gold relations whose content sits inside quotation marks, and to
  predicted direct quotes.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import f1, finish

_TRIM = " \t\n\"“”‘’'«».,;:!?"
_WORD = re.compile(r"\w+", re.UNICODE)


def read_ann(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            offs = []
            for r in ranges.split(";"):
                a, b = r.split()
                offs.append((int(a), int(b)))
            spans[parts[0]] = (label, offs)
        elif line.startswith("E") and len(parts) >= 2:
            rel: dict[str, list[tuple[int, int]]] = {}
            for arg in parts[1].split():
                role, _, tid = arg.partition(":")
                role = re.sub(r"\d+$", "", role)
                if tid in spans and role in ("Content", "Source", "Cue"):
                    rel.setdefault(role, []).extend(spans[tid][1])
            if "Content" in rel:
                relations.append(rel)
    return relations


def _tokens(text: str, ranges: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for a, b in ranges:
        for m in _WORD.finditer(text, a, b):
            out.add(m.start())
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    return a, b


def _is_direct(text: str, ranges: list[tuple[int, int]]) -> bool:
    a, b = min(r[0] for r in ranges), max(r[1] for r in ranges)
    before = text[max(0, a - 2):a + 1]
    after = text[max(a, b - 2):min(len(text), b + 2)]
    # PolNeAR's text keeps the Penn Treebank marks `` and '' beside the typographic ones
    return (any(c in before for c in ("\"", "“", "‘", "«", "``", "''"))
            and any(c in after for c in ("\"", "”", "’", "»", "''")))


@dataclass(frozen=True, slots=True)
class Predicted:
    """One predicted attribution as the scoring reads it: character ranges per role, and whether it is direct."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    direct: bool


def from_quotes(text: str, quotes: list) -> list[Predicted]:
    """Tightrope quotes as scored; a partial quote inside reported speech belongs to that (indirect)
    attribution and is left out."""
    indirect = [(q.start, q.end) for q in quotes if not q.direct]
    kept = [q for q in quotes if not q.direct or not any(a <= q.start and q.end <= b for a, b in indirect)]
    return [Predicted(tuple(q.parts) or ((q.start, q.end),),
                      ((q.speaker.start, q.speaker.end),) if q.speaker is not None
                      and 0 <= q.speaker.start < q.speaker.end <= len(text) else (),
                      ((q.cue_start, q.cue_end),) if q.cue_start is not None else (),
                      q.direct) for q in kept]


def new_counts() -> dict[str, list[int]]:
    """Token counts (true positives, predicted, gold) per figure, to sum over articles with score_article."""
    return {k: [0, 0, 0] for k in ("content", "source", "cue", "exact", "dcontent", "dsource")}


def score_article(counts: dict[str, list[int]], text: str, gold: list[dict], predicted: list[Predicted]) -> None:
    """Add one article's counts: gold relations from read_ann against predicted attributions."""
    for kind, sel_g, sel_p in (("", lambda r: True, lambda q: True),
                               ("d", lambda r: _is_direct(text, r["Content"]), lambda q: q.direct)):
        g_rel = [r for r in gold if sel_g(r)]
        p_q = [q for q in predicted if sel_p(q)]
        g = _tokens(text, [x for r in g_rel for x in r["Content"]])
        p = _tokens(text, [x for q in p_q for x in q.content])
        _add(counts[kind + "content"], p, g)
        g = _tokens(text, [x for r in g_rel for x in r.get("Source", [])])
        p = _tokens(text, [x for q in p_q for x in q.source])
        _add(counts[kind + "source"], p, g)
        if not kind:
            g = _tokens(text, [x for r in g_rel for x in r.get("Cue", [])])
            p = _tokens(text, [x for q in p_q for x in q.cue])
            _add(counts["cue"], p, g)
            gs = {_trim(text, min(a for a, _ in r["Content"]), max(b for _, b in r["Content"])) for r in g_rel}
            ps = {_trim(text, min(a for a, _ in q.content), max(b for _, b in q.content)) for q in p_q if q.content}
            c = counts["exact"]
            c[0] += len(gs & ps)
            c[1] += len(ps)
            c[2] += len(gs)


def figures_of(counts: dict[str, list[int]]) -> dict:
    """The bench's figures from summed counts."""

    def score(key: str) -> float:
        tp, n_p, n_g = counts[key]
        return round(f1(tp / n_p if n_p else 0.0, tp / n_g if n_g else 0.0), 4)

    def pr(key: str) -> tuple[float, float]:
        tp, n_p, n_g = counts[key]
        return (round(tp / n_p, 4) if n_p else 0.0, round(tp / n_g, 4) if n_g else 0.0)

    return {
        "content_exact_f1": score("exact"),
        "content_overlap_f1": score("content"),
        "source_f1": score("source"),
        "cue_f1": score("cue"),
        "direct_content_overlap_f1": score("dcontent"),
        "direct_source_f1": score("dsource"),
        "content_overlap_pr": pr("content"),
        "source_pr": pr("source"),
        "direct_source_pr": pr("dsource"),
        "direct_content_pr": pr("dcontent"),
    }


def gold_pairs(root: Path, limit: int | None = None) -> list[tuple[Path, Path]]:
    """(text file, annotation file) per article of a split folder; the first annotation in name order."""
    texts = sorted((root / "text").glob("*.txt"))
    if limit:
        texts = texts[:limit]
    by_stem: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        by_stem.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return [(t, by_stem[t.stem]) for t in texts if t.stem in by_stem]


def run(path: str, limit: int | None = None) -> dict:
    from ..pipeline import extract_results
    from ..records import Article

    pairs = gold_pairs(Path(path), limit)
    counts = new_counts()
    t0 = time.perf_counter()
    batch = 16
    for i in range(0, len(pairs), batch):
        chunk = pairs[i:i + batch]
        articles = [Article(id=t.stem, title="", text=t.read_text(encoding="utf-8")) for t, _ in chunk]
        results = extract_results(articles)
        for (t, ann), art, res in zip(chunk, articles, results):
            score_article(counts, art.text, read_ann(ann), from_quotes(art.text, res.quotes))
        print(f"  {min(i + batch, len(pairs))}/{len(pairs)} articles", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    figures = {"n_articles": len(pairs), **figures_of(counts), "seconds": round(elapsed, 1)}
    return finish("polnear", figures)


def _add(c: list[int], p: set[int], g: set[int]) -> None:
    c[0] += len(p & g)
    c[1] += len(p)
    c[2] += len(g)
