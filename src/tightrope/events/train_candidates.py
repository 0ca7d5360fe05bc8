"""Train the learned event model (events/proposals.py) and write events/model/candidates.npz.

    python -m tightrope.events.train_candidates --data ../shared/data [--cache DIR] [--out PATH]
                                                [--stories all|dev] [--cv-only]

What it reads (each folder's SOURCE.md says where it comes from):
* voa_events (stories.jsonl + gold.yaml): real news coded with exactly the conventions of the output; every story is
  coded from its raw text by the pipeline as a user runs it (parse, actors, the rule events with no minimum
  confidence), and each candidate (events/candidates.py) is labelled by the gold events of its sentence whose
  countries it has (the `tightrope bench events` matching rule: overlapping sentence, equal countries, the
  reversed pair for reciprocal gold). `--stories dev` trains on the "dev" half only (bench.events.half_of), so
  that `tightrope bench events` on the "held" half is a figure on unseen stories.
* plv_zsp/PLV_train.tsv: each sentence with its source and target marked and the PLOVER root: the marked pair is
  an event of that type, every other pair of the sentence is not (the reversed pair included); weight `EXT_WEIGHT`.
* conflibert_cameo/cameo_ner/train.txt: source (S), target (T) and reciprocal (R) spans: pairs S->T and R<->R are
  events, other pairs are not; dyad model only (the class file has five coarse classes, no PLOVER type).
Not read: the PLOVER GSR records (263 of their 322 sentences are in the ConfliBERT test split and 262 in PLV_test,
the halves the project is judged on: training on them would contaminate `bench spans` and `bench plv`), and the
synthetic NGEC stories (document-level labels of machine-written text; with the pairs unknown they label no
candidate, and as sentence-level type rows they lowered the cross-validated type accuracy on VOA; see the
report JSON).

How: two logistic regressions over the candidates' features (scikit-learn, single thread, fixed order): the
dyad model (is this pair an event of the sentence?) and the type model (its PLOVER type, trained on the positive
candidates); then the calibration: the stories are split into `FOLDS` folds (by story id), the two models are
refitted without each fold and its candidates scored, and an isotonic regression maps P(dyad) × P(type) of every
held-out rule event and proposal to whether it matched the gold (one to one, as the bench does). The proposal
floor is the least calibrated confidence at which held-out proposals were right at least `FLOOR_PRECISION` of the
time. The cross-validated figures (events P/R along the threshold, per half) go to candidates_cv.json beside the
model. Same data and code give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .proposals import MODEL_PATH, CandidateModel, LinearModel

REPORT_NAME = "candidates_cv.json"
EXT_WEIGHT = 0.3  # weight of a PLV / ConfliBERT row against a VOA row (other conventions, single sentences)
FOLDS = 6
C_DYAD = 0.3
C_TYPE = 1.0
MIN_DF = 2
FLOOR_PRECISION = 0.5
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
PLV_YIELD = "YIELD"


@dataclass
class Row:
    """One candidate as training data: its features, the acceptable types of each gold event it matches (empty:
    none), and where it comes from."""

    features: list[str]
    type_features: list[str]
    gold: list[list[str]]
    group: str  # story id (VOA) or source name
    weight: float
    typed: bool = True  # whether its gold types may train the type model


@dataclass
class CodedStory:
    sid: str
    article: Any
    actors: list
    events: list  # the rule events (no minimum confidence)
    cands: list
    golds: list[dict]
    rows: list[Row] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------- reading


def read_voa(data: Path) -> tuple[list[dict], dict]:
    from ..bench.voa import read_folder

    return read_folder(data / "voa_events")


def read_plv(data: Path) -> list[tuple[str, list[tuple[tuple[int, int], tuple[int, int] | None, str | None]]]]:
    """(sentence, [(source span, target span, type)]) per PLV_train row whose spans stand in the sentence."""
    from .typer import split_yield

    csv.field_size_limit(10**8)
    out = []
    with open(data / "plv_zsp" / "PLV_train.tsv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            text, src, tgt, label = r["sentence"], r["source"], r["target"], (r.get("gold_root") or "").strip()
            i, j = text.find(src), text.find(tgt)
            if not label or not src or not tgt or i < 0 or j < 0:
                continue
            out.append((text, [((i, i + len(src)), (j, j + len(tgt)), split_yield(label, text))]))
    return out


_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "'s", "n't", "'", "%", "'re", "'ve", "'ll", "'d", "'m"}


def read_conflibert(data: Path) -> list[tuple[str, list[tuple[tuple[int, int], tuple[int, int] | None, None]]]]:
    """(sentence, [(source span, target span, None)]) from the BIO-tagged ConfliBERT NER train file: S->T pairs,
    and R<->R pairs both ways; the tokens are joined with the usual English spacing."""
    out = []
    path = data / "conflibert_cameo" / "cameo_ner" / "train.txt"
    sent: list[tuple[str, str]] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    for line in [*lines, ""]:
        parts = line.split()
        if len(parts) >= 2:
            sent.append((parts[0], parts[-1]))
            continue
        if not sent:
            continue
        text, spans, cur = "", [], None
        for k, (tok, tag) in enumerate(sent):
            if k and tok not in _NO_SPACE_BEFORE and not text.endswith(("(", "[", "$")):
                text += " "
            start = len(text)
            text += tok
            kind = tag[2:] if len(tag) > 2 else None
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
                cur = [kind, start, len(text)]
                spans.append(cur)
            elif tag.startswith("I-") and cur is not None:
                cur[2] = len(text)
            else:
                cur = None
        sent = []
        src = [(s, e) for k, s, e in spans if k == "S"]
        tgt = [(s, e) for k, s, e in spans if k == "T"]
        rec = [(s, e) for k, s, e in spans if k == "R"]
        pairs = [(s, t, None) for s in src for t in tgt] or [(s, None, None) for s in src]
        pairs += [(a, b, None) for a in rec for b in rec if a != b]
        if pairs:
            out.append((text, pairs))
    return out


# ----------------------------------------------------------------------------------------------- coding


def code_articles(articles: list, cache: Path | None, name: str) -> tuple[list, list, list]:
    """Docs, actors and rule events (no minimum confidence, no candidate model) of the articles, parsed as extract
    parses them (the parse is kept in `cache` when given, by a hash of the texts)."""
    from spacy.tokens import DocBin

    from ..config import Settings
    from ..nlp import load_pipeline
    from ..pipeline import Coder
    from . import extract_events, load_event_rules
    from .proposals import MODEL_ENV

    coder = Coder(Settings())
    key = hashlib.sha256("\x00".join(a.text for a in articles).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{name}-{key}.spacy" if cache is not None else None
    if path is not None and path.exists():
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(load_pipeline().vocab))
    else:
        docs = coder.parse(articles)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            bin_ = DocBin(store_user_data=False)
            for d in docs:
                bin_.add(d)
            path.write_bytes(bin_.to_bytes())
    actors_stage = coder.components[0][1]
    rules = load_event_rules()
    all_actors, all_events = [], []
    import os

    saved = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = "none"  # the rule events alone: the model is what is being trained
    try:
        for doc, art in zip(docs, articles):
            doc._.article = art
            actors_stage(doc)
            all_actors.append(doc._.actors)
            all_events.append(extract_events(doc, doc._.actors, art, rules, min_confidence=0.0))
    finally:
        if saved is None:
            os.environ.pop(MODEL_ENV, None)
        else:
            os.environ[MODEL_ENV] = saved
    return docs, all_actors, all_events


def _gold_country(actor: Any) -> str | None:
    from ..bench.events import _country

    return _country(actor)


def sentence_span(sent) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    return start, start + len(text.strip())


def voa_stories(data: Path, cache: Path | None) -> list[CodedStory]:
    """Every VOA story coded, with its candidates labelled by the gold (see the module docstring)."""
    from ..bench.events import gold_reciprocal
    from ..bench.voa import occurrences, overlap
    from ..ingest import make_article
    from .candidates import candidates, type_features
    from .rules import load_event_rules

    records, gold = read_voa(data)
    articles = [make_article(r["text"], f"voa:{r['id']}", title=r.get("title"), outlet=r.get("outlet", "VOA"),
                             published=r.get("published"), url=r.get("url")) for r in records]
    docs, actors, events = code_articles(articles, cache, "voa")
    rules = load_event_rules()
    by_story: dict[str, list[dict]] = defaultdict(list)
    for g in gold["events"]:
        by_story[str(g["story"])].append(g)
    stories = []
    for rec, doc, art, acts, evs in zip(records, docs, articles, actors, events):
        sid = str(rec["id"])
        golds = by_story.get(sid, [])
        spans = [occurrences(art.text, g["sentence"]) for g in golds]
        cands = candidates(doc, acts, art.published, evs, rules)
        story = CodedStory(sid, art, acts, evs, cands, golds)
        for c in cands:
            s0, s1 = sentence_span(c.sent)
            cs, ct = _gold_country(c.source), _gold_country(c.target)
            matched = []
            for g, sp in zip(golds, spans):
                if not any(overlap((s0, s1), x) * 2 > min(s1 - s0, x[1] - x[0]) for x in sp):
                    continue
                gs, gt = _gold_country(g.get("source")), _gold_country(g.get("target"))
                if (cs, ct) == (gs, gt) or (gold_reciprocal(g) and (ct, cs) == (gs, gt)):
                    matched.append(list(g["types"]))
            story.rows.append(Row(c.features, type_features(c), matched, sid, 1.0))
        stories.append(story)
    return stories


def span_rows(name: str, items: list, cache: Path | None, typed: bool) -> list[Row]:
    """Rows of single-sentence data with marked source/target spans: a candidate whose source overlaps a marked
    source and whose target overlaps that pair's target (or has none when the pair has none) is an event."""
    from ..ingest import make_article
    from .candidates import candidates, type_features
    from .rules import load_event_rules

    articles, pairs_of = [], []
    for k, (text, pairs) in enumerate(items):
        art = make_article(text, f"{name}:{k}")
        if hasattr(art, "text") and art.text == text:
            articles.append(art)
            pairs_of.append(pairs)
    docs, actors, events = code_articles(articles, cache, name)
    rules = load_event_rules()
    rows = []
    for doc, art, acts, evs, pairs in zip(docs, articles, actors, events, pairs_of):
        for c in candidates(doc, acts, art.published, evs, rules):
            matched = []
            for src, tgt, typ in pairs:
                if not _overlaps(c.source, src):
                    continue
                if (tgt is None and c.target is None) or (tgt is not None and _overlaps(c.target, tgt)):
                    matched.append([typ] if typ else ["?"])
            rows.append(Row(c.features + [f"dom:{name}"], type_features(c) + [f"dom:{name}"], matched, name,
                            EXT_WEIGHT, typed))
    return rows


def _overlaps(actor, span: tuple[int, int]) -> bool:
    return actor is not None and actor.start < span[1] and span[0] < actor.end


# ----------------------------------------------------------------------------------------------- fitting


def vocabulary(rows: list[list[str]], min_df: int = MIN_DF) -> list[str]:
    counts = Counter(f for r in rows for f in set(r))
    return sorted(f for f, n in counts.items() if n >= min_df)


def design(rows: list[list[str]], vocab: list[str]):
    import scipy.sparse as sp

    index = {f: i for i, f in enumerate(vocab)}
    ind, ptr = [], [0]
    for r in rows:
        ind.extend(sorted({index[f] for f in r if f in index}))
        ptr.append(len(ind))
    return sp.csr_matrix((np.ones(len(ind)), np.array(ind, dtype=np.int64), np.array(ptr, dtype=np.int64)),
                         shape=(len(rows), len(vocab)))


def fit_dyad(rows: list[Row], c: float = C_DYAD) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    vocab = vocabulary([r.features for r in rows])
    x = design([r.features for r in rows], vocab)
    y = np.array([1 if r.gold else 0 for r in rows])
    w = np.array([r.weight for r in rows])
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=5000, random_state=0).fit(x, y, sample_weight=w)
    return LinearModel(vocab, lr.coef_, lr.intercept_, ["event"])


def fit_type(rows: list[Row], c: float = C_TYPE) -> LinearModel:
    """Multinomial over the PLOVER types of the positive candidates; a gold event with several acceptable types
    gives each of them a share of its weight (PLV's YIELD was split into CONCEDE/RETREAT when read)."""
    from sklearn.linear_model import LogisticRegression

    feats, ys, ws = [], [], []
    for r in rows:
        if not r.gold or not r.typed:
            continue
        shares: Counter = Counter()
        for types in r.gold:
            for t in types:
                shares[t] += 1.0 / (len(types) * len(r.gold))
        for t in sorted(shares):
            if t == "?":
                continue
            feats.append(r.type_features)
            ys.append(t)
            ws.append(r.weight * shares[t])
    vocab = vocabulary(feats)
    x = design(feats, vocab)
    lr = LogisticRegression(C=c, max_iter=5000).fit(x, np.array(ys), sample_weight=np.array(ws))
    return LinearModel(vocab, lr.coef_, lr.intercept_, [str(k) for k in lr.classes_])


# ----------------------------------------------------------------------------------------------- scoring


def story_outputs(story: CodedStory, dyad: LinearModel, typer: LinearModel) -> list[tuple]:
    """(event, raw score, is proposal) for the rule events and the proposals of a story, as `CandidateModel.propose`
    makes them (a raw score is P(dyad) × P(type) before calibration)."""
    p_dyad = dyad.binary_proba([r.features for r in story.rows])
    p_type = typer.proba([r.type_features for r in story.rows])
    col = {t: k for k, t in enumerate(typer.classes)}
    rule_score: dict[int, float] = {}
    for c, d, pt in zip(story.cands, p_dyad, p_type):
        for k in c.events:
            t = story.events[k].type
            rule_score[k] = max(rule_score.get(k, 0.0), float(d * (pt[col[t]] if t in col else 0.0)))
    out = [(ev, rule_score.get(k, 0.0), False) for k, ev in enumerate(story.events)]
    taken = {(e.start, _c(e.source), _c(e.target), e.type) for e in story.events}
    taken |= {(e.start, _c(e.target), _c(e.source), e.type) for e in story.events if e.reciprocal}
    best: dict[tuple, tuple] = {}
    for c, d, pt in zip(story.cands, p_dyad, p_type):
        k = int(pt.argmax())
        raw = float(d * pt[k])
        key = (sentence_span(c.sent)[0], _c(c.source), _c(c.target), typer.classes[k])
        if key in taken:
            continue
        if key not in best or raw > best[key][0]:
            best[key] = (raw, c, typer.classes[k])
    from ..records import Event

    for key in sorted(best, key=lambda k: (k[0], best[k][1].source.start, -best[k][0], k[3])):
        raw, c, typ = best[key]
        s0, s1 = sentence_span(c.sent)
        ev = Event(source=c.source, target=c.target, type=typ, sentence=c.sent.text.strip(), start=s0, end=s1,
                   trigger="", rule="candidates")
        out.append((ev, raw, True))
    return out


def _c(actor) -> str | None:
    return actor.country if actor is not None else None


def matched_flags(story: CodedStory, events: list) -> list[bool]:
    """Whether each event matches a gold event of its story, one to one (the bench's rule)."""
    from ..bench.events import same_dyad, same_sentence
    from ..bench.voa import match_one_to_one, occurrences

    spans = [occurrences(story.article.text, g["sentence"]) for g in story.golds]
    pairs = match_one_to_one(len(events), len(story.golds), lambda s, g: same_sentence(events[s], spans[g])
                             and same_dyad(events[s], story.golds[g]) and events[s].type in story.golds[g]["types"])
    hit = {s for s, _ in pairs}
    return [k in hit for k in range(len(events))]


def fold_of(sid: str, folds: int = FOLDS) -> int:
    return hashlib.sha256(f"fold:{sid}".encode("utf-8")).digest()[0] % folds


def held_out_outputs(stories: list[CodedStory], ext: list[Row], folds: int = FOLDS) -> dict[str, list[tuple]]:
    """Story id -> its outputs (event, raw score, is proposal) from models fitted without its fold."""
    out = {}
    for k in range(folds):
        test = [s for s in stories if fold_of(s.sid, folds) == k]
        if not test:
            continue
        train = [r for s in stories if fold_of(s.sid, folds) != k for r in s.rows] + ext
        dyad, typer = fit_dyad(train), fit_type(train)
        for s in test:
            out[s.sid] = story_outputs(s, dyad, typer)
    return out


def isotonic(raw: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The isotonic fit of `right` on `raw` as breakpoints (x, y) for np.interp, from 0 to 1."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(raw, right.astype(float), sample_weight=weight)
    x, y = iso.X_thresholds_, iso.y_thresholds_
    x = np.concatenate([[0.0], x, [1.0]])
    y = np.concatenate([[y[0]], y, [y[-1]]])
    return x.astype(np.float64), y.astype(np.float64)


def curve(stories: list[CodedStory], outputs: dict[str, list[tuple]], calib: tuple[np.ndarray, np.ndarray],
          floor: float, half: str | None = None) -> dict[str, dict[str, float]]:
    """Threshold -> precision, recall, dyad precision, events: the bench's figures of the calibrated held-out
    outputs (proposals below `floor` left out) on the stories of `half` (None: all)."""
    from ..bench.events import half_of, score_folder
    from ..bench.voa import GoldFolder, Story
    from ..records import ArticleResult
    from rich.console import Console

    quiet = Console(file=open("/dev/null", "w"))  # noqa: SIM115 - the bench prints nothing here
    use = [s for s in stories if half is None or half_of(s.sid) == half]
    scored = {}
    for s in use:
        evs = []
        for ev, raw, proposal in outputs[s.sid]:
            conf = float(np.interp(raw, *calib))
            if proposal and conf < floor:
                continue
            ev = _with_confidence(ev, conf)
            evs.append(ev)
        scored[s.sid] = (s, evs)
    res = {}
    gold_events = [g for s in use for g in s.golds]
    for th in THRESHOLDS:
        folder = GoldFolder({sid: Story(sid, s.article, ArticleResult(s.article, s.actors,
                                                                       [e for e in evs if e.confidence >= th]))
                             for sid, (s, evs) in scored.items()}, {"events": gold_events})
        f = score_folder(folder, console=quiet)
        res[f"{th:.2f}"] = {"precision": f["precision"], "recall": f["recall"], "dyad_precision": f["dyad_precision"],
                            "events": f["events_sys"]}
    return res


def _with_confidence(ev, conf: float):
    from dataclasses import replace

    return replace(ev, confidence=conf)


def calibration(stories: list[CodedStory], outputs: dict[str, list[tuple]]) -> tuple[np.ndarray, np.ndarray, float]:
    """(calib x, calib y, floor) from the held-out outputs: the isotonic map of raw score to matched, and the least
    calibrated confidence at which proposals were right at least `FLOOR_PRECISION` of the time."""
    raws, rights, props = [], [], []
    for s in stories:
        outs = outputs[s.sid]
        flags = matched_flags(s, [ev for ev, _, _ in outs])
        for (ev, raw, proposal), ok in zip(outs, flags):
            raws.append(raw)
            rights.append(ok)
            props.append(proposal)
    raw, right, prop = np.array(raws), np.array(rights), np.array(props)
    x, y = isotonic(raw, right)
    conf = np.interp(raw, x, y)
    floor = 1.0
    for level in sorted(set(np.round(conf[prop], 3)), reverse=True):
        keep = prop & (conf >= level)
        if keep.sum() >= 5 and right[keep].mean() >= FLOOR_PRECISION:
            floor = float(level)
    return x, y, floor


# ----------------------------------------------------------------------------------------------- main


def train(data: Path, cache: Path | None, stories_half: str = "all", log=print) -> tuple[CandidateModel, dict]:
    from threadpoolctl import threadpool_limits

    from ..bench.events import half_of

    t0 = time.perf_counter()
    with threadpool_limits(limits=1):
        stories = voa_stories(data, cache)
        log(f"voa: {len(stories)} stories, {sum(len(s.rows) for s in stories)} candidates "
            f"({sum(1 for s in stories for r in s.rows if r.gold)} events) [{time.perf_counter() - t0:.0f} s]")
        ext = span_rows("plv", read_plv(data), cache, typed=True)
        ext += span_rows("conflibert", read_conflibert(data), cache, typed=False)
        log(f"plv+conflibert: {len(ext)} candidates ({sum(1 for r in ext if r.gold)} events) "
            f"[{time.perf_counter() - t0:.0f} s]")
        if stories_half != "all":
            stories = [s for s in stories if half_of(s.sid) == stories_half]
        outputs = held_out_outputs(stories, ext)
        x, y, floor = calibration(stories, outputs)
        log(f"held-out folds scored, floor {floor:.3f} [{time.perf_counter() - t0:.0f} s]")
        report: dict[str, Any] = {"stories": stories_half, "folds": FOLDS, "ext_weight": EXT_WEIGHT,
                                  "c_dyad": C_DYAD, "c_type": C_TYPE, "floor": floor,
                                  "curve_all": curve(stories, outputs, (x, y), floor)}
        for h in ("dev", "held"):
            if any(half_of(s.sid) == h for s in stories):
                report[f"curve_{h}"] = curve(stories, outputs, (x, y), floor, h)
        rows = [r for s in stories for r in s.rows] + ext
        dyad, typer = fit_dyad(rows), fit_type(rows)
    meta = {"stories": stories_half, "voa_candidates": sum(len(s.rows) for s in stories), "ext_candidates": len(ext),
            "dyad_features": len(dyad.vocab), "type_features": len(typer.vocab)}
    report["meta"] = meta
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return CandidateModel(dyad, typer, x, y, floor, meta), report


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data", help="the shared data folder")
    ap.add_argument("--out", default=str(MODEL_PATH), help="the model file to write")
    ap.add_argument("--cache", default=None, help="a folder to keep the parses in between runs")
    ap.add_argument("--stories", default="all", choices=("all", "dev"),
                    help="the VOA stories to train on: all, or the dev half (to score the held half unseen)")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not (data / "voa_events" / "gold.yaml").is_file():
        sys.exit(f"{data}: no voa_events/gold.yaml (give the shared data folder with --data)")
    model, report = train(data, Path(args.cache) if args.cache else None, args.stories,
                          log=lambda m: print(m, file=sys.stderr))
    out = Path(args.out)
    model.save(out)
    (out.parent / REPORT_NAME if out == MODEL_PATH else out.with_suffix(".json")).write_text(
        json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes, trained in {report['seconds']} s")


if __name__ == "__main__":
    main()
