"""Train the learned event model (events/proposals.py) and write events/model/candidates.npz.

    python -m tightrope.events.train_candidates --data ../shared/data [--cache DIR] [--out PATH] [--stories all|dev]

What it reads (each folder's SOURCE.md says where it comes from):
* voa_events (stories.jsonl + gold.yaml): real news coded with exactly the conventions of the output. Every story
  is coded from its raw text as a user runs the pipeline (parse, actors, the rule events with no minimum
  confidence and no model), and each candidate (events/candidates.py) is labelled by the gold events of its
  sentence: it is one when it has the gold's countries (the `tightrope bench events` matching rule: overlapping
  sentence, equal countries, the reversed pair for reciprocal gold) through the gold's own mentions where the gold
  names them in the sentence; a pair with the gold's countries through other mentions is left out of the fit (no
  evidence either way). `--stories dev` trains on the "dev" half only (bench.events.half_of), so that
  `tightrope bench events` on the "held" half (with $TIGHTROPE_EVENT_MODEL set to the file) is a figure on unseen
  stories.
* plv_zsp/PLV_train.tsv: sentences with their source and target marked and the PLOVER root (YIELD split into
  CONCEDE/RETREAT as the typer does): the marked pair's candidate trains the type model, weight `EXT_WEIGHT`. PLV
  does not train the dyad model: each of its sentences was chosen for its one event, and as dyad data it lowered
  the held-out ranking of VOA pairs (AUC 0.82 -> 0.77 on the dev half).
Not read: the PLOVER GSR records (263 of their 322 sentences are in the ConfliBERT test split and 262 in PLV_test,
the halves the project is judged on), the ConfliBERT span file (as dyad data it lowered the held-out ranking of VOA
pairs, 0.82 -> 0.74, and it has no PLOVER type), and the synthetic NGEC stories (document-level labels of
machine-written text, which name no pair and so label no candidate).

How: two logistic regressions over the candidates' features (scikit-learn, one thread, fixed order): the dyad
model (is this pair an event of its sentence?) and the type model (its PLOVER type, over the positive candidates);
then the final scorer, a logistic regression over each event's stack vector (`proposals.stack`: the rule-based
confidence, P(dyad), P(type), proposal or rule event), fitted on held-out outputs: the stories are split into
`FOLDS` folds by a hash of their id, the two models are refitted without each fold, and every rule event and
proposal of the fold is labelled by whether it matched the gold (one to one, as the bench does). The proposal floor
is the least confidence at which held-out proposals were right at least `FLOOR_PRECISION` of the time (1: none
were). The held-out figures (precision/recall along the threshold, with and without proposals, all stories and
per half; the scorer refitted without each fold) go to a JSON report beside the model. Same data and code give the
same bytes.

Outcome so far (issue 18; trained with `--stories dev`, then `TIGHTROPE_EVENT_MODEL=FILE tightrope bench events
../shared/data/voa_events` against `TIGHTROPE_EVENT_MODEL=none`): the model proposed nothing (floor 1: held-out
proposals were never right half the time) and its scores lowered precision on the held half at the default 0.3
(P 0.520, R 0.133 against the rules' 0.562, 0.138; Brier score over every held event 0.190 against 0.166), at
about 8 CPU-ms more an article. So no model is packaged, and events/confidence.py scores the events.
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

from .proposals import DYAD_CUT, MODEL_PATH, CandidateModel, LinearModel

REPORT_NAME = "candidates_cv.json"
EXT_WEIGHT = 0.3  # weight of a PLV row against a VOA row (other conventions, single sentences)
FOLDS = 6
C_DYAD = 0.3
C_TYPE = 1.0
MIN_DF = 2
FLOOR_PRECISION = 0.5
STACK_C = 1.0
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
    dyad: bool = True  # whether it trains the dyad model


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
            matched, dyad_only = [], False
            for g, sp in zip(golds, spans):
                if not any(overlap((s0, s1), x) * 2 > min(s1 - s0, x[1] - x[0]) for x in sp):
                    continue
                gs, gt = _gold_country(g.get("source")), _gold_country(g.get("target"))
                straight = (cs, ct) == (gs, gt) and _names(art.text, c.source, g.get("source"), (s0, s1)) \
                    and _names(art.text, c.target, g.get("target"), (s0, s1))
                swapped = gold_reciprocal(g) and (ct, cs) == (gs, gt) and _names(art.text, c.target, g.get("source"),
                                                                                  (s0, s1)) \
                    and _names(art.text, c.source, g.get("target"), (s0, s1))
                if straight or swapped:
                    matched.append(list(g["types"]))
                elif (cs, ct) == (gs, gt) or (gold_reciprocal(g) and (ct, cs) == (gs, gt)):
                    dyad_only = True
            # a pair with the gold's countries through other mentions than the gold's is no evidence either way
            weight = 0.0 if dyad_only and not matched else 1.0
            story.rows.append(Row(c.features, type_features(c), matched, sid, weight))
        stories.append(story)
    return stories


def _names(text: str, actor, side: dict | None, sentence: tuple[int, int]) -> bool:
    """Whether a candidate's argument is the gold side: both none, or the actor overlaps the gold side's text
    where it stands in the sentence (when the gold text stands elsewhere, an anaphor the coder resolved, any
    argument with its country is)."""
    if side is None or not side.get("text"):
        return actor is None
    if actor is None:
        return False
    from ..bench.voa import occurrences

    places = [(a, b) for a, b in occurrences(text, side["text"]) if sentence[0] <= a < sentence[1]]
    return not places or any(actor.start < b and a < actor.end for a, b in places)


def span_rows(name: str, items: list, cache: Path | None) -> list[Row]:
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
            rows.append(Row(c.features, type_features(c) + [f"dom:{name}"], matched, name, EXT_WEIGHT, dyad=False))
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

    rows = [r for r in rows if r.dyad and r.weight > 0]
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
        if not r.gold or not r.typed or r.weight <= 0:
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
    """(event, stack vector, is proposal) for the rule events and the proposals of a story, as
    `CandidateModel.propose` makes them (the stack vector is what the final scorer reads, `proposals.stack`)."""
    from ..records import Event
    from .proposals import stack

    p_dyad = dyad.binary_proba([r.features for r in story.rows])
    p_type = np.zeros((len(story.rows), len(typer.classes)))
    typed = [k for k, (c, d) in enumerate(zip(story.cands, p_dyad)) if c.events or d >= DYAD_CUT]
    if typed:
        p_type[typed] = typer.proba([story.rows[k].type_features for k in typed])
    col = {t: k for k, t in enumerate(typer.classes)}
    best_pair: dict[int, tuple[float, float]] = {}
    for c, d, pt in zip(story.cands, p_dyad, p_type):
        for k in c.events:
            t = story.events[k].type
            got = (float(d), float(pt[col[t]]) if t in col else 0.0)
            if k not in best_pair or got[0] * got[1] > best_pair[k][0] * best_pair[k][1]:
                best_pair[k] = got
    out = []
    for k, ev in enumerate(story.events):
        # coded without a model, a rule event's confidence is already the rule-based one (events/confidence.py)
        out.append((ev, stack(False, ev.confidence or 0.0, *best_pair.get(k, (0.0, 0.0))), False))
    taken = {(e.start, _c(e.source), _c(e.target), e.type) for e in story.events}
    taken |= {(e.start, _c(e.target), _c(e.source), e.type) for e in story.events if e.reciprocal}
    typed = {(e.start, e.type) for e in story.events}
    best: dict[tuple, tuple] = {}
    for c, d, pt in zip(story.cands, p_dyad, p_type):
        if d < DYAD_CUT:
            continue
        k = int(pt.argmax())
        key = (c.start, _c(c.source), _c(c.target), typer.classes[k])
        if key in taken:
            continue
        if key not in best or d * pt[k] > best[key][0] * best[key][1]:
            best[key] = (float(d), float(pt[k]), c)
    for key in sorted(best, key=lambda k: (k[0], best[k][2].source.start, k[3])):
        d, t, c = best[key]
        s0, s1 = sentence_span(c.sent)
        ev = Event(source=c.source, target=c.target, type=key[3], sentence=c.sent.text.strip(), start=s0, end=s1,
                   trigger="", rule="candidates")
        out.append((ev, stack(True, 0.0, d, t, (key[0], key[3]) in typed), True))
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


def fit_stacker(vectors: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The final scorer's weights: a logistic regression (no intercept: the vector holds one per kind of event)
    of whether an event matched on its stack vector; its probability is the event's confidence."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=STACK_C, fit_intercept=False, max_iter=5000).fit(vectors, right.astype(int))
    return lr.coef_[0].astype(np.float64)


def flat_outputs(stories: list[CodedStory], outputs: dict[str, list[tuple]]) -> tuple[list, np.ndarray, np.ndarray,
                                                                                      np.ndarray]:
    """(story id per output, stack vectors, matched, is proposal) over the stories' held-out outputs."""
    sids, vecs, rights, props = [], [], [], []
    for s in stories:
        outs = outputs[s.sid]
        for (ev, vec, proposal), ok in zip(outs, matched_flags(s, [o[0] for o in outs])):
            sids.append(s.sid)
            vecs.append(vec)
            rights.append(ok)
            props.append(proposal)
    return sids, np.array(vecs), np.array(rights), np.array(props)


def held_out_confidence(stories: list[CodedStory], outputs: dict[str, list[tuple]]) -> dict[str, list[float]]:
    """Every output's confidence from a stacker fitted on the other folds' outputs (so the curve is unseen)."""
    from .proposals import stacked_probability

    sids, vecs, rights, _ = flat_outputs(stories, outputs)
    folds = np.array([fold_of(sid) for sid in sids])
    conf = np.zeros(len(sids))
    for k in sorted(set(folds.tolist())):
        w = fit_stacker(vecs[folds != k], rights[folds != k])
        conf[folds == k] = stacked_probability(vecs[folds == k], w)
    out: dict[str, list[float]] = defaultdict(list)
    for sid, c in zip(sids, conf):
        out[sid].append(float(c))
    return out


def proposal_floor(confidence: np.ndarray, right: np.ndarray, proposal: np.ndarray) -> float:
    """The least confidence at which held-out proposals were right at least `FLOOR_PRECISION` of the time (at
    least 5 of them), else 1 (no proposals)."""
    floor = 1.0
    for level in sorted(set(np.round(confidence[proposal], 3).tolist()), reverse=True):
        keep = proposal & (confidence >= level)
        if keep.sum() >= 5 and right[keep].mean() >= FLOOR_PRECISION:
            floor = float(level)
    return floor


def curve(stories: list[CodedStory], outputs: dict[str, list[tuple]], confidence: dict[str, list[float]],
          floor: float, half: str | None = None, proposals: bool = True) -> dict[str, dict[str, float]]:
    """Threshold -> precision, recall, dyad precision, events: the bench's figures of the held-out outputs with
    their held-out confidence (proposals below `floor` left out) on the stories of `half` (None: all)."""
    from dataclasses import replace

    from rich.console import Console

    from ..bench.events import half_of, score_folder
    from ..bench.voa import GoldFolder, Story
    from ..records import ArticleResult

    quiet = Console(file=open("/dev/null", "w"))  # noqa: SIM115 - the bench prints nothing here
    use = [s for s in stories if half is None or half_of(s.sid) == half]
    scored = {}
    for s in use:
        evs = [replace(ev, confidence=c) for (ev, _, proposal), c in zip(outputs[s.sid], confidence[s.sid])
               if not proposal or (proposals and c >= floor)]
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


# ----------------------------------------------------------------------------------------------- main


def train(data: Path, cache: Path | None, stories_half: str = "all", log=print) -> tuple[CandidateModel, dict]:
    """The model fitted on every VOA story of `stories_half` (and PLV_train for types), and the report of its
    held-out figures."""
    from threadpoolctl import threadpool_limits

    from ..bench.events import half_of

    t0 = time.perf_counter()
    with threadpool_limits(limits=1):
        stories = voa_stories(data, cache)
        log(f"voa: {len(stories)} stories, {sum(len(s.rows) for s in stories)} candidates "
            f"({sum(1 for s in stories for r in s.rows if r.gold)} events) [{time.perf_counter() - t0:.0f} s]")
        ext = span_rows("plv", read_plv(data), cache)
        log(f"plv: {len(ext)} candidates ({sum(1 for r in ext if r.gold)} events) [{time.perf_counter() - t0:.0f} s]")
        if stories_half != "all":
            stories = [s for s in stories if half_of(s.sid) == stories_half]
        outputs = held_out_outputs(stories, ext)
        confidence = held_out_confidence(stories, outputs)
        _, vecs, rights, props = flat_outputs(stories, outputs)
        conf = np.array([c for s in stories for c in confidence[s.sid]])
        floor = proposal_floor(conf, rights, props)
        log(f"held-out folds scored, proposal floor {floor:.3f} [{time.perf_counter() - t0:.0f} s]")
        report: dict[str, Any] = {"stories": stories_half, "folds": FOLDS, "ext_weight": EXT_WEIGHT,
                                  "c_dyad": C_DYAD, "c_type": C_TYPE, "stack_c": STACK_C, "floor": floor}
        for h in (None, "dev", "held"):
            if h is None or any(half_of(s.sid) == h for s in stories):
                name = h or "all"
                report[f"curve_{name}"] = curve(stories, outputs, confidence, floor, h)
                report[f"curve_{name}_rules_only"] = curve(stories, outputs, confidence, floor, h, proposals=False)
        weights = fit_stacker(vecs, rights)
        rows = [r for s in stories for r in s.rows] + ext
        dyad, typer = fit_dyad(rows), fit_type(rows)
    meta = {"stories": stories_half, "voa_candidates": sum(len(s.rows) for s in stories), "plv_candidates": len(ext),
            "dyad_features": len(dyad.vocab), "type_features": len(typer.vocab)}
    report["meta"] = meta
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return CandidateModel(dyad, typer, weights, floor, meta), report


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
