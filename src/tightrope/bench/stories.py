"""`tightrope bench stories PATH`: story grouping against gold story labels.

PATH is a BASIL-like folder (articles/<year>/<story-uuid>_<k>.json with `triplet-uuid` and
`body-paragraphs`), a JSONL(.gz) file of {id, story, title, text, outlet, date}, or a folder holding
several of these (all pooled). Articles are grouped in date order (then id), the order a feed delivers
them in. The figures: BCubed precision/recall/F1, pairwise F1, and articles/s of the grouping itself
and of embedding the leads (each article is embedded once; the store keeps the vectors).

With `text_field` (e.g. `content_original`) PATH is an unlabelled JSONL(.gz) corpus: the harness times
grouping of its first 1k, 2k, 4k, 8k articles (peak memory via tracemalloc) instead of scoring.

Development streams (`python -m tightrope.bench.stories COMMAND ...`; they are written to files, never
into the repository):
  squeeze BASIL_DIR OUT.jsonl [--years 2010-2012] [--days 7]   every BASIL story of those years moved
                                into one `days`-long stretch (each article keeps its days after its story's
                                first): many stories on US politics side by side
  mixture BASIL_DIR OUT.jsonl [--years 2010-2012]   only the stories that share a main entity with another,
                                squeezed into a fortnight (same actors, different stories)
  emergent CSV OUT.jsonl [--part dev|test|all]   Emergent headlines grouped by claim, dated by the time in
                                their version-1 UUIDs (when Emergent logged them); claims split in two by a
                                hash of the claim id
  fit BASIL_DIR EMERGENT_CSV [--out PATH]   fit the join model (stories/data/join_model.yaml) on the dev
                                parts only: BASIL 2010-2012 squeezed and mixed, Emergent dev claims
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console

from ..records import Article
from ..stories.grouping import FEATURES, Grouper, GroupingParams

console = Console(stderr=True, highlight=False)

DEV_YEARS = (2010, 2012)  # BASIL years the join model is fitted on; 2013-2014 are for reporting


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def _basil_raw(basil_dir: str | Path, years: tuple[int, int] | None = None) -> list[dict]:
    raw = []
    for f in sorted(Path(basil_dir).rglob("*.json")):
        if "annotations" in f.parts or f.name.endswith("_ann.json"):
            continue
        if years and not (f.parent.name.isdigit() and years[0] <= int(f.parent.name) <= years[1]):
            continue
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(d, dict) and d.get("triplet-uuid"):
            d["_id"] = _basil_id(d, f)
            raw.append(d)
    return raw


def _basil_id(d: dict, path: Path) -> str:
    """The article's uuid, or its file name where the uuid is missing (four BASIL files say "empty")."""
    uuid = d.get("uuid")
    return uuid if uuid and uuid != "empty" else path.stem


def _basil_text(d: dict) -> str:
    paras = d.get("body-paragraphs") or []
    return "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paras)


def _basil_file(path: Path) -> tuple[Article, str] | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    text = _basil_text(d)
    story = d.get("triplet-uuid")
    if not text or not story:
        return None
    art = Article(id=_basil_id(d, path), title=d.get("title") or "", text=text,
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


def load(path: str | Path, text_field: str | None = None,
         years: tuple[int, int] | None = None) -> list[tuple[Article, str | None]]:
    """(article, gold story) pairs from a BASIL-like folder and/or JSONL files, in a stable order.
    `years`: only BASIL files in year folders of that range (articles/<year>/...)."""
    p = Path(path)
    items: list[tuple[Article, str | None]] = []
    if p.is_file():
        return _jsonl(p, text_field)
    for f in sorted(p.rglob("*")):
        if years and f.suffix == ".json" and not (f.parent.name.isdigit() and years[0] <= int(f.parent.name) <= years[1]):
            continue
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


def _feed_order(items: list) -> list:
    """Date order, then id: the order a news feed delivers articles in; undated articles last, as in
    `group_store` (they are compared with what is open at the newest date)."""
    from ..stories.storage import _feed_key

    return sorted(items, key=lambda x: _feed_key(x[0] if isinstance(x, tuple) else x))


def embeddings_for(articles: list[Article], cache: str | Path | None = None, dense: bool | None = None):
    """(lead embeddings or None, seconds spent embedding). `cache`: an .npy file reused when it matches."""
    from ..stories.embedding import available, embed_leads

    if dense is False or (dense is None and not available()):
        return None, 0.0
    import numpy as np

    key = hashlib.sha1("\x00".join(a.id for a in articles).encode()).hexdigest()
    if cache and Path(cache).exists() and Path(str(cache) + ".key").exists() \
            and Path(str(cache) + ".key").read_text() == key:
        return np.load(cache), 0.0
    t0 = time.perf_counter()
    emb = embed_leads(articles)
    dt = time.perf_counter() - t0
    if cache:
        np.save(cache, emb)
        Path(str(cache) + ".key").write_text(key)
    return emb, dt


def group_timed(articles: list, embeddings, params: GroupingParams | None = None) -> tuple[list[list[str]], float, Grouper]:
    t0 = time.perf_counter()
    g = Grouper(params)
    for k, a in enumerate(articles):
        g.add(a, embedding=None if embeddings is None else embeddings[k])
    return g.groups(), time.perf_counter() - t0, g


def _extract(articles: list[Article]) -> list:
    """The pipeline's results for the articles (actors, events, quotes), in their order."""
    from ..pipeline import extract_stream

    return [r for batch in extract_stream(articles) for r in batch]


def score(path: str | Path, limit: int | None = None, extract: bool = False, cache: str | None = None,
          params: GroupingParams | None = None, items: list | None = None,
          years: tuple[int, int] | None = None) -> dict[str, Any]:
    items = [x for x in (items if items is not None else load(path, years=years)) if x[1] is not None]
    if limit:
        items = items[:limit]
    items = _feed_order(items)
    gold = {a.id: s for a, s in items}
    articles = [a for a, _ in items]
    emb, emb_s = embeddings_for(articles, cache, None if params is None else params.dense)
    inputs: list = articles
    extract_s = 0.0
    if extract:
        t0 = time.perf_counter()
        inputs = _extract(articles)
        extract_s = time.perf_counter() - t0
    pred, dt, g = group_timed(inputs, emb, params)
    p, r = bcubed(pred, gold)
    from . import f1

    out = {
        "n": len(items), "stories": len(set(gold.values())), "predicted_stories": len(pred),
        "bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4), "bcubed_f1": round(f1(p, r), 4),
        "pairwise_f1": round(pairwise_f1(pred, gold), 4),
        "dense": g.dense, "extracted": extract,
        "articles_per_s": round(len(items) / dt, 1) if dt else 0.0,
    }
    if emb_s:
        out["embed_articles_per_s"] = round(len(items) / emb_s, 1)
    if extract_s:
        out["extract_articles_per_s"] = round(len(items) / extract_s, 1)
    return out


def _slope(rows: list[dict], key: str) -> float | None:
    """Least-squares slope of log(cost) on log(size): 1.0 = linear, 2.0 = quadratic."""
    import math

    pts = [(math.log(r["size"]), math.log(r[key])) for r in rows if r[key] > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 3) if den else None


def scale(path: str | Path, text_field: str, sizes=(1000, 2000, 4000, 8000), limit: int | None = None,
          cache: str | None = None, params: GroupingParams | None = None) -> dict[str, Any]:
    items = [a for a, _ in _jsonl(Path(path), text_field)]
    if limit:
        items = items[:limit]
    items = _feed_order(items)
    figures: dict[str, Any] = {"n": len(items)}
    emb, emb_s = embeddings_for(items, cache, None if params is None else params.dense)
    if emb_s:
        figures["embed_articles_per_s"] = round(len(items) / emb_s, 1)
        console.print(f"  embedded {len(items)} leads in {emb_s:.1f} s ({len(items) / emb_s:.1f} articles/s)")
    rows = []
    group_timed(items[:200], None if emb is None else emb[:200], params)  # warm-up: imports, regex caches
    for size in sizes:
        if size > len(items):
            break
        sub = None if emb is None else emb[:size]
        pred, dt, grouper = group_timed(items[:size], sub, params)
        # memory in a second pass: tracemalloc slows Python down, so it must not be in the timing
        tracemalloc.start()
        group_timed(items[:size], sub, params)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        open_now = sum(1 for s in grouper.stories if s.open)
        rows.append({"size": size, "seconds": round(dt, 4), "articles_per_s": round(size / dt, 1) if dt else 0.0,
                     "peak_mb": round(peak / 1e6, 1), "stories": len(pred), "open_stories": open_now,
                     "similarities_per_article": round(grouper.compared / size, 1)})
        console.print(f"  {size:>6} articles: {dt:7.2f} s  {size / max(dt, 1e-9):8.1f} articles/s  "
                      f"peak {peak / 1e6:7.1f} MB  {len(pred)} stories ({open_now} open)  "
                      f"{grouper.compared / size:.1f} stories scored/article")
    figures["scale"] = rows
    if rows:
        figures["articles_per_s"] = rows[-1]["articles_per_s"]
        figures["stories"] = rows[-1]["stories"]
        if len(rows) > 1:
            figures["time_slope"] = _slope(rows, "seconds")
            figures["memory_slope"] = _slope(rows, "peak_mb")
    return figures


def run(path: str, limit: int | None = None, text_field: str | None = None, extract: bool = False,
        cache: str | None = None, years: str | None = None) -> dict[str, Any]:
    from . import finish

    if text_field:
        console.print(f"Grouping only (no gold labels) on {path}, text in {text_field!r}")
        return finish("stories", scale(path, text_field, limit=limit, cache=cache), console=console)
    console.print(f"Story grouping on {path}")
    figures = score(path, limit=limit, extract=extract, cache=cache, years=_years(years))
    if figures["n"] == 0:
        console.print("no labelled articles found")
    return finish("stories", figures, console=console)


# -- development streams --------------------------------------------------------------------------

def _squeezed_rows(raw: list[dict], stories: list[str], days: int) -> list[dict]:
    """Rows of the given stories with dates moved into `days` days from 2020-01-01 (story k opens on day
    k % days); each article keeps its real distance in days from its story's first article."""
    import datetime as dt

    from ..stories.grouping import parse_day

    base = dt.date(2020, 1, 1)
    index = {s: k for k, s in enumerate(stories)}
    first: dict[str, int] = {}
    for d in raw:
        day = parse_day(d.get("date"))
        if d["triplet-uuid"] in index and day is not None:
            first[d["triplet-uuid"]] = min(first.get(d["triplet-uuid"], day), day)
    rows = []
    for d in raw:
        s = d["triplet-uuid"]
        if s not in index:
            continue
        day = parse_day(d.get("date"))
        offset = 0 if day is None else day - first[s]
        rows.append({
            "id": d["_id"], "story": s, "title": d.get("title"), "text": _basil_text(d),
            "outlet": (d.get("source") or "").lower(),
            "date": (base + dt.timedelta(days=index[s] % days + offset)).isoformat(),
        })
    return rows


def squeezed(basil_dir: str | Path, years: tuple[int, int] | None = None, days: int = 7) -> list[dict]:
    """Every BASIL story of `years`, squeezed into `days` days."""
    raw = _basil_raw(basil_dir, years)
    return _squeezed_rows(raw, sorted({d["triplet-uuid"] for d in raw}), days)


def mixture(basil_dir: str | Path, years: tuple[int, int] | None = None, min_stories: int = 2) -> list[dict]:
    """BASIL stories that share a main entity with another story of `years`, squeezed into 14 days."""
    raw = _basil_raw(basil_dir, years)
    ents: dict[str, set[str]] = defaultdict(set)
    for d in raw:
        ents[d["triplet-uuid"]].update(e.lower() for e in d.get("main-entities") or [])
    by_entity: dict[str, set[str]] = defaultdict(set)
    for s, es in ents.items():
        for e in es:
            by_entity[e].add(s)
    keep = {s for ss in by_entity.values() if len(ss) >= min_stories for s in ss}
    rows = _squeezed_rows(raw, sorted(keep), 14)
    for r in rows:
        r["entities"] = sorted(ents[r["story"]])
    return rows


def make_mixture(basil_dir: str | Path, out: str | Path, min_stories: int = 2,
                 years: tuple[int, int] | None = None) -> int:
    """Write the mixture stream (see `mixture`) as JSONL; returns the number of articles."""
    return _write(mixture(basil_dir, years, min_stories), out)


def emergent_part(claim_id: str) -> str:
    """'dev' or 'test': a fixed split of Emergent claims by a hash of the claim id."""
    return "dev" if int(hashlib.sha1(claim_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def emergent(csv_path: str | Path, part: str = "all") -> list[dict]:
    """Emergent headlines as a stream: one article per headline (title and text), story = claim, dated by the
    timestamp of the article's version-1 UUID (when Emergent logged it), no outlet in the file."""
    import csv
    import datetime as dt
    import uuid

    rows, seen = [], set()
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            aid, claim, head = r.get("articleId"), r.get("claimId"), (r.get("articleHeadline") or "").strip()
            if not aid or not claim or not head or aid in seen:
                continue
            if part != "all" and emergent_part(claim) != part:
                continue
            seen.add(aid)
            try:
                u = uuid.UUID(aid)
                day = (dt.datetime(1582, 10, 15) + dt.timedelta(microseconds=u.time // 10)).date().isoformat() \
                    if u.version == 1 else None
            except ValueError:
                raise ValueError(f"{csv_path}:{line}: articleId {aid!r} is not a UUID") from None
            rows.append({"id": aid, "story": claim, "title": head, "text": head, "outlet": None, "date": day})
    return rows


def _write(rows: list[dict], out: str | Path) -> int:
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def _items(rows: list[dict]) -> list[tuple[Article, str]]:
    return [(Article(id=r["id"], title=r.get("title") or "", text=r["text"], outlet=r.get("outlet"),
                     published=r.get("date")), r["story"]) for r in rows]


# -- fitting the join model -----------------------------------------------------------------------

def forced_rows(items: list[tuple[Any, str]], embeddings, params: GroupingParams) -> list[tuple[dict, bool]]:
    """(features, same story?) for every candidate the grouper scores, with each article put in its gold
    story (teacher forcing: the stories compared with are the true ones so far)."""
    g = Grouper(params)
    story_of: dict[str, int] = {}
    rows: list[tuple[dict, bool]] = []
    for k, (item, gold) in enumerate(items):
        target = story_of.get(gold, len(g.stories))
        seen: list[tuple[int, dict]] = []
        g.add(item, embedding=None if embeddings is None else embeddings[k], force_story=target,
              observe=lambda sid, x: seen.append((sid, x)))
        story_of[gold] = target
        rows.extend((x, sid == target) for sid, x in seen)
    return rows


def dev_streams(basil_dir: str | Path, emergent_csv: str | Path) -> dict[str, list[tuple[Article, str]]]:
    """The development streams the join model is fitted and its threshold chosen on (never the test parts)."""
    return {
        "basil_week_dev": _feed_order(_items(squeezed(basil_dir, DEV_YEARS, days=7))),
        "basil_mixture_dev": _feed_order(_items(mixture(basil_dir, DEV_YEARS))),
        "emergent_dev": _feed_order(_items(emergent(emergent_csv, "dev"))),
    }


def fit(basil_dir: str | Path, emergent_csv: str | Path, out: str | Path | None = None,
        regularisation: float = 1.0, extract: bool = False) -> dict[str, Any]:
    """Fit both join models (with and without lead embeddings) on the dev streams; choose each threshold
    as the one with the best mean BCubed F1 over the dev streams; write the YAML file.

    `extract`: group the pipeline's results (actors, events, quotes) instead of bare articles, as
    `group_store` does, so that the `events` feature gets a weight."""
    import numpy as np
    import yaml
    from sklearn.linear_model import LogisticRegression

    from . import f1

    streams = dev_streams(basil_dir, emergent_csv)
    if extract:
        unique = {a.id: a for items in streams.values() for a, _ in items}
        results = {r.article.id: r for r in _extract(list(unique.values()))}
        streams = {name: [(results[a.id], s) for a, s in items] for name, items in streams.items()}
    embs = {name: embeddings_for([getattr(a, "article", a) for a, _ in items], dense=True)[0]
            for name, items in streams.items()}
    doc: dict[str, Any] = {}
    for model, feats in (("dense", FEATURES), ("lexical", tuple(f for f in FEATURES if f != "dense"))):
        X, y, w = [], [], []
        for name, items in streams.items():
            rows = forced_rows(items, embs[name] if model == "dense" else None,
                               GroupingParams(dense=model == "dense"))
            for x, same in rows:
                X.append([x[f] for f in feats])
                y.append(same)
                w.append(1.0 / len(rows))  # each stream weighs the same, whatever its size
        sw = np.array(w) * len(w) / len(streams)
        clf = LogisticRegression(C=regularisation, max_iter=5000).fit(np.array(X), np.array(y), sample_weight=sw)
        weights = {f: round(float(c), 3) for f, c in zip(feats, clf.coef_[0])}
        bias = round(float(clf.intercept_[0]), 3)
        sweep = []
        for thr in [x / 4 for x in range(-16, 17)]:
            params = GroupingParams(dense=model == "dense", weights=weights, bias=bias, threshold=thr)
            scores = {}
            for name, items in streams.items():
                gold = {getattr(a, "article", a).id: s for a, s in items}
                pred, _, _ = group_timed([a for a, _ in items], embs[name] if model == "dense" else None, params)
                p, r = bcubed(pred, gold)
                scores[name] = (round(p, 4), round(r, 4), round(f1(p, r), 4))
            sweep.append((sum(s[2] for s in scores.values()) / len(scores), thr, scores))
            console.print(f"  {model} threshold {thr:+.2f}: mean F1 {sweep[-1][0]:.4f} "
                          + " ".join(f"{n} {s[2]:.3f} (P {s[0]:.3f})" for n, s in scores.items()))
        best = max(sweep, key=lambda t: (round(t[0], 4), t[1]))  # ties: the higher threshold (joins less)
        doc[model] = {"weights": weights, "bias": bias, "threshold": best[1],
                      "dev": {n: {"precision": s[0], "recall": s[1], "f1": s[2]} for n, s in best[2].items()}}
    header = ("# The story join model: logistic weights over article-to-story features (stories/grouping.py),\n"
              "# fitted on the dev streams only (BASIL 2010-2012 squeezed into a week and mixed, Emergent dev\n"
              "# claims) by `python -m tightrope.bench.stories fit BASIL_DIR EMERGENT_CSV`; the threshold is the\n"
              "# logit with the best mean BCubed F1 over those streams (their figures are under `dev`).\n")
    text = header + yaml.safe_dump(doc, sort_keys=False)
    target = Path(out) if out else Path(__file__).resolve().parent.parent / "stories" / "data" / "join_model.yaml"
    target.write_text(text, encoding="utf-8")
    return doc


def _years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    a, _, b = text.partition("-")
    return int(a), int(b or a)


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tightrope.bench.stories", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("squeeze", "mixture"):
        s = sub.add_parser(name)
        s.add_argument("basil_dir")
        s.add_argument("out")
        s.add_argument("--years", help="e.g. 2013-2014 (default: all)")
        if name == "squeeze":
            s.add_argument("--days", type=int, default=7)
    s = sub.add_parser("emergent")
    s.add_argument("csv")
    s.add_argument("out")
    s.add_argument("--part", choices=("dev", "test", "all"), default="all")
    s = sub.add_parser("fit")
    s.add_argument("basil_dir")
    s.add_argument("emergent_csv")
    s.add_argument("--out")
    s.add_argument("--extract", action="store_true", help="fit on the pipeline's results (events, quotes)")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "squeeze":
            n = _write(squeezed(a.basil_dir, _years(a.years), a.days), a.out)
        elif a.cmd == "mixture":
            n = make_mixture(a.basil_dir, a.out, years=_years(a.years))
        elif a.cmd == "emergent":
            n = _write(emergent(a.csv, a.part), a.out)
        else:
            doc = fit(a.basil_dir, a.emergent_csv, a.out, extract=a.extract)
            print(json.dumps({k: {"threshold": v["threshold"], "dev": v["dev"]} for k, v in doc.items()}))
            return 0
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(n, "articles written to", a.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
