"""`tightrope bench stories PATH`: story grouping against gold story labels.

PATH is a BASIL-like folder (articles/<year>/<story-uuid>_<k>.json with `triplet-uuid` and
`body-paragraphs`), a JSONL(.gz) file of {id, story, title, text, outlet, date}, or a folder holding
several of these (all pooled). With `text_field` (e.g. `content_original`) PATH is an unlabelled
JSONL(.gz) corpus: the harness times grouping of its first 1k, 2k, 4k, 8k articles (peak memory via
tracemalloc) instead of scoring.

Also: `python -m tightrope.bench.stories mixture BASIL_DIR OUT.jsonl` writes the hard mixture set:
BASIL stories that share a main entity, with their dates moved into the same fortnight so that the
time window cannot separate them (same actors, different stories, side by side).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console

from ..records import Article
from ..stories.grouping import Grouper, group_articles

console = Console(stderr=True, highlight=False)


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def _basil_file(path: Path) -> tuple[Article, str] | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    paras = d.get("body-paragraphs") or []
    text = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paras)
    story = d.get("triplet-uuid")
    if not text or not story:
        return None
    art = Article(id=d.get("uuid") or path.stem, title=d.get("title") or "", text=text,
                  outlet=(d.get("source") or "").lower() or None, published=d.get("date"), url=d.get("url"))
    return art, story


def _jsonl(path: Path, text_field: str | None = None) -> list[tuple[Article, str | None]]:
    out = []
    with _open(path) as fh:
        for i, line in enumerate(fh):
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            text = d.get(text_field or "text") or d.get("text") or ""
            if not text:
                continue
            art = Article(id=str(d.get("id") or d.get("ID") or f"{path.name}:{i}"), title=d.get("title") or "",
                          text=text, outlet=d.get("outlet") or d.get("source"),
                          published=d.get("date") or d.get("published"))
            out.append((art, d.get("story")))
    return out


def load(path: str | Path, text_field: str | None = None) -> list[tuple[Article, str | None]]:
    """(article, gold story) pairs from a BASIL-like folder and/or JSONL files, in a stable order."""
    p = Path(path)
    items: list[tuple[Article, str | None]] = []
    if p.is_file():
        return _jsonl(p, text_field)
    for f in sorted(p.rglob("*")):
        if f.suffix == ".json" and "annotations" not in f.parts and not f.name.endswith("_ann.json"):
            got = _basil_file(f)
            if got:
                items.append(got)
        elif f.name.endswith((".jsonl", ".jsonl.gz")):
            items.extend(_jsonl(f, text_field))
    return items


def bcubed(pred: list[list[str]], gold: dict[str, str]) -> tuple[float, float]:
    cluster_of = {a: i for i, c in enumerate(pred) for a in c}
    members: dict[int, list[str]] = {i: c for i, c in enumerate(pred)}
    gold_members: dict[str, list[str]] = defaultdict(list)
    for a, g in gold.items():
        gold_members[g].append(a)
    p_sum = r_sum = 0.0
    for a, g in gold.items():
        c = members[cluster_of[a]]
        same = sum(1 for b in c if gold[b] == g)
        p_sum += same / len(c)
        r_sum += same / len(gold_members[g])
    n = len(gold) or 1
    return p_sum / n, r_sum / n


def pairwise_f1(pred: list[list[str]], gold: dict[str, str]) -> float:
    from math import comb

    tp = sum(comb(sum(1 for b in c if gold[b] == g), 2)
             for c in pred for g in {gold[b] for b in c})
    pred_pairs = sum(comb(len(c), 2) for c in pred)
    counts: dict[str, int] = defaultdict(int)
    for g in gold.values():
        counts[g] += 1
    gold_pairs = sum(comb(k, 2) for k in counts.values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(path: str | Path, limit: int | None = None, **params) -> dict[str, Any]:
    from . import f1

    items = [x for x in load(path) if x[1] is not None]
    if limit:
        items = items[:limit]
    # order by date, then id: the order a news feed would deliver them in
    items.sort(key=lambda x: (x[0].published or "", x[0].id))
    gold = {a.id: s for a, s in items}
    t0 = time.perf_counter()
    pred = group_articles([a for a, _ in items], **params)
    dt = time.perf_counter() - t0
    p, r = bcubed(pred, gold)
    return {
        "n": len(items), "stories": len(set(gold.values())), "predicted_stories": len(pred),
        "bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4), "bcubed_f1": round(f1(p, r), 4),
        "pairwise_f1": round(pairwise_f1(pred, gold), 4),
        "articles_per_s": round(len(items) / dt, 1) if dt else 0.0,
    }


def scale(path: str | Path, text_field: str, sizes=(1000, 2000, 4000, 8000), limit: int | None = None) -> dict[str, Any]:
    items = [a for a, _ in _jsonl(Path(path), text_field)]
    if limit:
        items = items[:limit]
    items.sort(key=lambda a: (a.published or "", a.id))
    figures: dict[str, Any] = {"n": len(items)}
    rows = []
    group_articles(items[:200])  # warm-up: imports, regex caches
    for size in sizes:
        if size > len(items):
            break
        t0 = time.perf_counter()
        grouper = Grouper()
        for a in items[:size]:
            grouper.add(a)
        pred = grouper.groups()
        dt = time.perf_counter() - t0
        # memory in a second pass: tracemalloc slows Python down, so it must not be in the timing
        tracemalloc.start()
        group_articles(items[:size])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({"size": size, "seconds": round(dt, 4), "articles_per_s": round(size / dt, 1) if dt else 0.0,
                     "peak_mb": round(peak / 1e6, 1), "stories": len(pred),
                     "similarities_per_article": round(grouper.compared / size, 1)})
        console.print(f"  {size:>6} articles: {dt:7.2f} s  {size / max(dt, 1e-9):8.1f} articles/s  "
                      f"peak {peak / 1e6:7.1f} MB  {len(pred)} stories  "
                      f"{grouper.compared / size:.1f} similarities/article")
    figures["scale"] = rows
    if rows:
        figures["articles_per_s"] = rows[-1]["articles_per_s"]
        figures["stories"] = rows[-1]["stories"]
        if len(rows) > 1:
            # cost slope: time ratio per size ratio on a log-log scale (1.0 = linear, 2.0 = quadratic)
            import math

            def slope(key: str) -> float | None:
                """Least-squares slope of log(cost) on log(size): 1.0 = linear, 2.0 = quadratic."""
                pts = [(math.log(r["size"]), math.log(r[key])) for r in rows if r[key] > 0]
                if len(pts) < 2:
                    return None
                mx = sum(x for x, _ in pts) / len(pts)
                my = sum(y for _, y in pts) / len(pts)
                den = sum((x - mx) ** 2 for x, _ in pts)
                return round(sum((x - mx) * (y - my) for x, y in pts) / den, 3) if den else None

            figures["time_slope"] = slope("seconds")
            figures["memory_slope"] = slope("peak_mb")
    return figures


def run(path: str, limit: int | None = None, text_field: str | None = None) -> dict[str, Any]:
    from . import finish

    if text_field:
        console.print(f"Grouping only (no gold labels) on {path}, text in {text_field!r}")
        return finish("stories", scale(path, text_field, limit=limit), console=console)
    console.print(f"Story grouping on {path}")
    figures = score(path, limit=limit)
    if figures["n"] == 0:
        console.print("no labelled articles found")
    return finish("stories", figures, console=console)


def make_mixture(basil_dir: str | Path, out: str | Path, min_stories: int = 2) -> int:
    """Write BASIL stories that share a main entity with another story, dates squeezed into 14 days."""
    import datetime as dt

    raw = []
    for f in sorted(Path(basil_dir).rglob("*.json")):
        if "annotations" in f.parts:
            continue
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if "triplet-uuid" in d:
            raw.append(d)
    ents: dict[str, set[str]] = defaultdict(set)
    for d in raw:
        ents[d["triplet-uuid"]].update(e.lower() for e in d.get("main-entities") or [])
    by_entity: dict[str, set[str]] = defaultdict(set)
    for s, es in ents.items():
        for e in es:
            by_entity[e].add(s)
    keep = {s for ss in by_entity.values() if len(ss) >= min_stories for s in ss}
    order = sorted(keep)
    base = dt.date(2020, 1, 1)
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for d in raw:
            s = d["triplet-uuid"]
            if s not in keep:
                continue
            day = order.index(s) % 14
            orig = d.get("date") or ""
            # keep each article's offset to its story mates (0-2 days), drop the year/month
            try:
                k = int(orig[8:10]) % 3
            except ValueError:
                k = 0
            text = "\n\n".join(" ".join(p) for p in d.get("body-paragraphs") or [])
            fh.write(json.dumps({
                "id": d.get("uuid"), "story": s, "title": d.get("title"), "text": text,
                "outlet": (d.get("source") or "").lower(),
                "date": (base + dt.timedelta(days=day + k)).isoformat(),
                "entities": sorted(ents[s]),
            }, ensure_ascii=False) + "\n")
            n += 1
    return n


if __name__ == "__main__":  # python -m tightrope.bench.stories mixture BASIL_DIR OUT.jsonl
    if len(sys.argv) == 4 and sys.argv[1] == "mixture":
        print(make_mixture(sys.argv[2], sys.argv[3]), "articles written to", sys.argv[3], file=sys.stderr)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
