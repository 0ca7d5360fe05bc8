"""Learned event proposals: events the rule passes missed, from (sentence, actor, actor) candidates.

The interface the detector calls after the rule passes (events/detect.py):

    model = load_candidate_model()          # None when no trained candidate model is packaged
    extra = propose_events(doc, actors, article, events, rules, model)

The model (`CandidateModel`, trained by `python -m tightrope.events.train_candidates`, stored in
events/model/candidates.npz) reads every candidate of the article (events/candidates.py: each ordered pair of
arguments in a sentence, and each source without target, with its features) and gives
* `P(dyad)`: the probability that the sentence reports an event from the source's country to the target's
  (a logistic regression over the candidate's features, the rule events on the pair among them);
* `P(type | dyad)`: the probability of each PLOVER type for it (a multinomial logistic regression over the same
  features and the content words of the clause);
* the event's confidence: their product, calibrated (isotonic, fitted on story-grouped held-out folds of the
  real-news gold) into the probability that the event is right: its sentence, its two countries and its type.
A rule event gets the confidence of its own pair and type (events/confidence.py); a candidate whose best type has
no rule event on the same sentence and countries becomes a proposed event when that confidence reaches
`floor` (set at training so that even `--min-confidence 0` keeps out the proposals that are mostly wrong).
Run time is numpy only: a few sparse dot products per candidate, on one BLAS thread.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..records import Actor, Article, Event
from .rules import EventRules

MODEL_PATH = Path(__file__).parent / "model" / "candidates.npz"
MODEL_ENV = "TIGHTROPE_EVENT_MODEL"  # another model file ("none": the rules alone), for benchmarks of a retrained model


@lru_cache(maxsize=4)
def _load(path: str) -> "CandidateModel | None":
    if path.lower() == "none" or not Path(path).exists():
        return None
    return CandidateModel.load(Path(path))


def load_candidate_model() -> "CandidateModel | None":
    """The packaged candidate model (or the file named by $TIGHTROPE_EVENT_MODEL), or None when there is none
    (then nothing is proposed and events/confidence.py scores the rule events by its rules)."""
    return _load(os.environ.get(MODEL_ENV) or str(MODEL_PATH))


class LinearModel:
    """A linear model over string features: weights by feature (`vocab` -> column), one row per class."""

    def __init__(self, vocab: list[str], coef: np.ndarray, intercept: np.ndarray, classes: list[str]):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.vocab = list(vocab)
        self.coef = np.asarray(coef, dtype=np.float64)  # (classes or 1, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes = list(classes)

    def scores(self, rows: list[list[str]]) -> np.ndarray:
        """Raw scores (rows × classes or rows × 1) of binary feature rows (a feature counts once)."""
        index = self.index
        out = np.empty((len(rows), self.coef.shape[0]))
        coef_t = self.coef.T
        for r, feats in enumerate(rows):
            cols = {index[f] for f in feats if f in index}
            out[r] = self.intercept + (coef_t[sorted(cols)].sum(axis=0) if cols else 0.0)
        return out

    def binary_proba(self, rows: list[list[str]]) -> np.ndarray:
        s = self.scores(rows)[:, 0]
        return 1.0 / (1.0 + np.exp(-s))

    def proba(self, rows: list[list[str]]) -> np.ndarray:
        s = self.scores(rows)
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_vocab": _text_array(self.vocab), f"{prefix}_coef": self.coef.astype(np.float32),
                f"{prefix}_intercept": self.intercept.astype(np.float32), f"{prefix}_classes": _text_array(self.classes)}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> "LinearModel":
        return cls(_text_list(z[f"{prefix}_vocab"]), z[f"{prefix}_coef"], z[f"{prefix}_intercept"],
                   _text_list(z[f"{prefix}_classes"]))


def _text_array(items: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def _text_list(arr: np.ndarray) -> list[str]:
    text = bytes(arr).decode("utf-8")
    return text.split("\n") if text else []


class CandidateModel:
    """The trained event model: dyad and type models, the calibration and the proposal floor."""

    def __init__(self, dyad: LinearModel, typer: LinearModel, calib_x: np.ndarray, calib_y: np.ndarray,
                 floor: float, meta: dict):
        self.dyad = dyad
        self.typer = typer
        self.calib_x = np.asarray(calib_x, dtype=np.float64)
        self.calib_y = np.asarray(calib_y, dtype=np.float64)
        self.floor = float(floor)
        self.meta = meta
        self._memo: tuple[Doc, dict[int, float]] | None = None

    # -- files
    def arrays(self) -> dict[str, np.ndarray]:
        out = {**self.dyad.arrays("dyad"), **self.typer.arrays("type"),
               "calib_x": self.calib_x.astype(np.float64), "calib_y": self.calib_y.astype(np.float64),
               "floor": np.array([self.floor], dtype=np.float64),
               "meta": _text_array([json.dumps(self.meta, sort_keys=True)])}
        return out

    def save(self, path: Path) -> None:
        from ..quotes.tagger import write_npz

        write_npz(Path(path), self.arrays())

    @classmethod
    def load(cls, path: Path) -> "CandidateModel":
        with np.load(path, allow_pickle=False) as z:
            try:
                meta = json.loads(bytes(z["meta"]).decode("utf-8"))
                return cls(LinearModel.from_arrays(z, "dyad"), LinearModel.from_arrays(z, "type"), z["calib_x"],
                           z["calib_y"], float(z["floor"][0]), meta)
            except KeyError as exc:
                raise ValueError(f"{path}: not a candidate model (no {exc.args[0]} array)") from None

    # -- scoring
    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """Raw P(dyad) × P(type) as the probability that the event is right (the isotonic fit of training)."""
        return np.interp(raw, self.calib_x, self.calib_y)

    def candidate_scores(self, cands) -> tuple[np.ndarray, np.ndarray]:
        """(P(dyad) per candidate, P(type | dyad) per candidate × `self.typer.classes`)."""
        from .candidates import type_features

        if not cands:
            return np.zeros(0), np.zeros((0, len(self.typer.classes)))
        from ..nlp import one_blas_thread

        with one_blas_thread():
            p_dyad = self.dyad.binary_proba([c.features for c in cands])
            p_type = self.typer.proba([type_features(c) for c in cands])
        return p_dyad, p_type

    def propose(self, doc: Doc, actors: list[Actor], article: Article, events: list[Event],
                rules: EventRules) -> list[Event]:
        """Events for candidates whose best type no rule event of the sentence and countries has, at or above
        `floor`; remembers every event's confidence for `score` (rule events' too)."""
        from .candidates import actor_heads, candidates

        cands = candidates(doc, actors, article.published, events, rules)
        p_dyad, p_type = self.candidate_scores(cands)
        classes = self.typer.classes
        col = {t: k for k, t in enumerate(classes)}
        confidence: dict[int, float] = {}
        # the rule events: their pair's dyad probability times their type's
        for c, d, pt in zip(cands, p_dyad, p_type):
            for k in c.events:
                ev = events[k]
                raw = d * (pt[col[ev.type]] if ev.type in col else 0.0)
                confidence[id(ev)] = max(confidence.get(id(ev), 0.0), float(self.calibrate(np.array([raw]))[0]))
        # proposals: the best type of each candidate, one per (sentence, countries, type), where no rule event is
        taken = {(e.start, _country(e.source), _country(e.target), e.type) for e in events}
        taken |= {(e.start, _country(e.target), _country(e.source), e.type) for e in events if e.reciprocal}
        best: dict[tuple, tuple[float, object, str]] = {}
        for c, d, pt in zip(cands, p_dyad, p_type):
            k = int(pt.argmax())
            score = float(self.calibrate(np.array([d * pt[k]]))[0])
            if score < self.floor:
                continue
            typ = classes[k]
            key = (_sentence_start(c.sent), _country(c.source), _country(c.target), typ)
            if key in taken:
                continue
            if key not in best or score > best[key][0]:
                best[key] = (score, c, typ)
        proposed = []
        heads = actor_heads(doc, actors) if best else {}
        for key in sorted(best, key=lambda k: (k[0], best[k][1].source.start, -best[k][0], k[3])):
            score, c, typ = best[key]
            ev = proposed_event(c, typ, score, article, heads, rules)
            confidence[id(ev)] = score
            proposed.append(ev)
        self._memo = (doc, confidence)
        return proposed

    def score(self, doc: Doc, events: list[Event], actors: list[Actor], article: Article) -> list[float]:
        """Every event's confidence (as `propose` found it for this Doc; an event it did not see gets 0)."""
        memo = self._memo
        if memo is None or memo[0] is not doc:
            from .rules import load_event_rules

            self.propose(doc, actors, article, events, load_event_rules())
            memo = self._memo
        confidence = memo[1]
        return [confidence.get(id(e), 0.0) for e in events]


def proposed_event(cand, typ: str, score: float, article: Article, heads: dict, rules: EventRules) -> Event:
    """A candidate's event of type `typ`: its trigger is the pair's common ancestor (the nearest verb above when
    that is one of the two arguments), whose clause gives modality, date and place as for rule events."""
    from .location import location
    from .making import event_date, local_text, sentence_bounds
    from .modality import modality

    sent = cand.sent
    text, start, end = sentence_bounds(sent)
    pred = cand.lca if cand.lca is not None else cand.source_tok.head
    if pred.i in (cand.source_tok.i, cand.target_tok.i if cand.target_tok is not None else -1):
        pred = next((t for t in pred.ancestors if t.pos_ in ("VERB", "AUX")), pred)
    mood, claimed_by = modality(pred, heads, rules)
    date, date_source = event_date(local_text(pred, sent), article.published, mood == "planned")
    coding = rules.plover.get(typ)
    cameo, intensity, quad = (coding.cameo, coding.intensity, coding.quad) if coding else (None, None, None)
    return Event(source=cand.source, target=cand.target, type=typ, sentence=text, start=start, end=end,
                 trigger=pred.text, cameo=cameo, intensity=intensity, quad=quad, modality=mood, claimed_by=claimed_by,
                 date=date, location=location(pred, sent, rules), trigger_start=pred.idx,
                 trigger_end=pred.idx + len(pred), rule="candidates", confidence=round(score, 3),
                 date_source=date_source)


def _country(actor: Actor | None) -> str | None:
    return actor.country if actor is not None else None


def _sentence_start(sent) -> int:
    return sent.start_char + len(sent.text) - len(sent.text.lstrip())


def propose_events(doc: Doc, actors: list[Actor], article: Article, events: list[Event], rules: EventRules,
                   model) -> list[Event]:
    """Events the rules missed (not among `events`), proposed by the candidate `model`; none without one."""
    if model is None:
        return []
    return model.propose(doc, actors, article, events, rules)
