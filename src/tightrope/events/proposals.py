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
* the event's confidence: the final scorer (`stack`, `stacked_probability`: a logistic regression fitted on
  story-grouped held-out folds of the real-news gold) reads P(dyad), P(type) and, for a rule event, its rule-based
  confidence (events/confidence.py), and gives the probability that the event is right: its sentence, its two
  countries and its type.
A rule event is scored on the best of its own pairs and its type; a candidate whose best type has no rule event on
the same sentence and countries becomes a proposed event when its confidence reaches `floor` (set at training so
that even `--min-confidence 0` keeps out the proposals that are mostly wrong).
Run time is numpy only: a few sparse dot products per candidate, on one BLAS thread.
"""

from __future__ import annotations

import json
import os
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..langdata import LanguageDataError
from ..records import Actor, Article, Event
from .rules import EventRules

MODEL_PATH = Path(__file__).parent / "model" / "candidates.npz"
DYAD_CUT = 0.05  # below this P(dyad) a candidate proposes nothing, so its type is not worked out
MODEL_ENV = "TIGHTROPE_EVENT_MODEL"  # another model file ("none": the rules alone), for benchmarks of a retrained model


@lru_cache(maxsize=4)
def _load(path: str, named: bool) -> "CandidateModel | None":
    if not Path(path).is_file():
        if named:  # a file the user named must be there: a typo would silently score the rules alone
            raise LanguageDataError(f"{path}: no such event model file (${MODEL_ENV}; 'none' for the rules alone)")
        return None
    return CandidateModel.load(Path(path))


def load_candidate_model() -> "CandidateModel | None":
    """The packaged candidate model (or the file named by $TIGHTROPE_EVENT_MODEL; "none": no model), or None when
    there is none (then nothing is proposed and events/confidence.py scores the rule events by its rules)."""
    named = os.environ.get(MODEL_ENV)
    if named:
        return None if named.lower() == "none" else _load(named, True)
    return _load(str(MODEL_PATH), False)


class LinearModel:
    """A linear model over string features: weights by feature (`vocab` -> column), one row per class."""

    def __init__(self, vocab: list[str], coef: np.ndarray, intercept: np.ndarray, classes: list[str]):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.vocab = list(vocab)
        self.coef = np.asarray(coef, dtype=np.float64)  # (classes or 1, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes = list(classes)
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._weight = dict(zip(self.vocab, self.coef[0].tolist())) if self.coef.shape[0] == 1 else {}

    def scores(self, rows: list[list[str]]) -> np.ndarray:
        """Raw scores (rows × classes) of binary feature rows (a feature counts once)."""
        index = self.index
        out = np.empty((len(rows), self.coef.shape[0]))
        coef_t = self._coef_t
        for r, feats in enumerate(rows):
            cols = sorted({index[f] for f in feats if f in index})
            out[r] = self.intercept + (coef_t[cols].sum(axis=0) if cols else 0.0)
        return out

    def binary_proba(self, rows: list[list[str]]) -> np.ndarray:
        """P(class 1) of a one-row (binary) model, summed in plain Python (faster than numpy for short rows), in
        the row's order: a set's order changes with the process's string hashing, and with it the last bits of
        the sum (the training script's output then differed from run to run)."""
        weight, bias = self._weight, float(self.intercept[0])
        s = np.array([bias + sum(weight.get(f, 0.0) for f in dict.fromkeys(feats)) for feats in rows],
                     dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-s))

    def proba(self, rows: list[list[str]]) -> np.ndarray:
        s = self.scores(rows)
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_vocab": _text_array(self.vocab), f"{prefix}_coef": self.coef.astype(np.float32),
                f"{prefix}_intercept": self.intercept.astype(np.float32),
                f"{prefix}_classes": _text_array(self.classes)}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> "LinearModel":
        return cls(_text_list(z[f"{prefix}_vocab"]), z[f"{prefix}_coef"], z[f"{prefix}_intercept"],
                   _text_list(z[f"{prefix}_classes"]))


def _text_array(items: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def _text_list(arr: np.ndarray) -> list[str]:
    text = bytes(arr).decode("utf-8")
    return text.split("\n") if text else []


_EPS = 1e-4


def _logit(p: float) -> float:
    p = min(1.0 - _EPS, max(_EPS, p))
    return float(np.log(p / (1.0 - p)))


def stack(proposal: bool, rule_probability: float, p_dyad: float, p_type: float,
          rule_type: bool = False) -> list[float]:
    """What the final scorer reads of an event: for a rule event, its rule-based confidence (events/confidence.py),
    its pair's P(dyad) and its type's P(type), as logits, and a bias; for a proposal, P(dyad), P(type), a bias of
    its own (rule events and proposals get separate weights) and whether a rule event of its sentence has its type
    (`rule_type`: the rules saw the event and took another pair for it)."""
    if proposal:
        return [0.0, 0.0, 0.0, 0.0, 1.0, _logit(p_dyad), _logit(p_type), 1.0 if rule_type else 0.0]
    return [1.0, _logit(rule_probability), _logit(p_dyad), _logit(p_type), 0.0, 0.0, 0.0, 0.0]


def stacked_probability(vectors, weights) -> np.ndarray:
    """The final scorer: the logistic function of the stack vectors' weighted sums."""
    z = np.asarray(vectors, dtype=np.float64) @ np.asarray(weights, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))


class CandidateModel:
    """The trained event model: dyad and type models, the final scorer's weights and the proposal floor."""

    def __init__(self, dyad: LinearModel, typer: LinearModel, stack_weights: np.ndarray, floor: float, meta: dict):
        self.dyad = dyad
        self.typer = typer
        self.stack_weights = np.asarray(stack_weights, dtype=np.float64)
        self.floor = float(floor)
        self.meta = meta
        self._memo: tuple[Doc, dict[int, float]] | None = None

    # -- files
    def arrays(self) -> dict[str, np.ndarray]:
        out = {**self.dyad.arrays("dyad"), **self.typer.arrays("type"),
               "stack": self.stack_weights.astype(np.float64),
               "floor": np.array([self.floor], dtype=np.float64),
               "meta": _text_array([json.dumps(self.meta, sort_keys=True)])}
        return out

    def save(self, path: Path) -> None:
        from ..quotes.tagger import write_npz

        write_npz(Path(path), self.arrays())

    @classmethod
    def load(cls, path: Path) -> "CandidateModel":
        try:
            z = np.load(path, allow_pickle=False)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise LanguageDataError(f"{path}: not a candidate model ({exc})") from None
        with z:
            try:
                meta = json.loads(bytes(z["meta"]).decode("utf-8"))
                return cls(LinearModel.from_arrays(z, "dyad"), LinearModel.from_arrays(z, "type"), z["stack"],
                           float(z["floor"][0]), meta)
            except KeyError as exc:
                raise LanguageDataError(f"{path}: not a candidate model (no {exc.args[0]} array)") from None

    # -- scoring
    def candidate_scores(self, cands) -> tuple[np.ndarray, np.ndarray]:
        """(P(dyad) per candidate, P(type | dyad) per candidate × `self.typer.classes`); the type model runs on
        the candidates with a rule event and those with P(dyad) >= `DYAD_CUT` only (the others' rows are 0)."""
        from .candidates import type_features

        p_type = np.zeros((len(cands), len(self.typer.classes)))
        if not cands:
            return np.zeros(0), p_type
        from ..nlp import one_blas_thread

        with one_blas_thread():
            p_dyad = self.dyad.binary_proba([c.features for c in cands])
            typed = [k for k, (c, d) in enumerate(zip(cands, p_dyad)) if c.events or d >= DYAD_CUT]
            if typed:
                p_type[typed] = self.typer.proba([type_features(cands[k]) for k in typed])
        return p_dyad, p_type

    def propose(self, doc: Doc, actors: list[Actor], article: Article, events: list[Event],
                rules: EventRules) -> list[Event]:
        """Events for candidates whose best type no rule event of the sentence and countries has, at or above
        `floor`; remembers every event's confidence for `score` (the rule events' too). `events` are the rule
        events, each with its typer probability as `confidence` (events/making.py)."""
        from .candidates import actor_heads, candidates
        from .confidence import rule_confidence

        cands = candidates(doc, actors, article.published, events, rules)
        p_dyad, p_type = self.candidate_scores(cands)
        classes = self.typer.classes
        col = {t: k for k, t in enumerate(classes)}
        # the rule events: the best of their pairs' (P(dyad), P(type)), with their rule-based confidence
        best_pair: dict[int, tuple[float, float]] = {}
        for c, d, pt in zip(cands, p_dyad, p_type):
            for k in c.events:
                t = events[k].type
                got = (float(d), float(pt[col[t]]) if t in col else 0.0)
                if k not in best_pair or got[0] * got[1] > best_pair[k][0] * best_pair[k][1]:
                    best_pair[k] = got
        vectors = []
        for k, ev in enumerate(events):
            rc = round(rule_confidence(ev, ev.confidence if ev.confidence is not None else 0.0, article.published), 3)
            vectors.append(stack(False, rc, *best_pair.get(k, (0.0, 0.0))))
        confidence: dict[int, float] = {}
        if vectors:
            for ev, p in zip(events, stacked_probability(vectors, self.stack_weights)):
                confidence[id(ev)] = float(p)
        # proposals: the best type of each candidate, one per (sentence, countries, type) no rule event has
        taken = {(e.start, _country(e.source), _country(e.target), e.type) for e in events}
        taken |= {(e.start, _country(e.target), _country(e.source), e.type) for e in events if e.reciprocal}
        typed = {(e.start, e.type) for e in events}
        best: dict[tuple, tuple[float, float, object]] = {}
        for c, d, pt in zip(cands, p_dyad, p_type):
            if d < DYAD_CUT:
                continue
            k = int(pt.argmax())
            key = (c.start, _country(c.source), _country(c.target), classes[k])
            if key in taken:
                continue
            if key not in best or d * pt[k] > best[key][0] * best[key][1]:
                best[key] = (float(d), float(pt[k]), c)
        proposed = []
        heads = None
        for key in sorted(best, key=lambda k: (k[0], best[k][2].source.start, k[3])):
            d, t, c = best[key]
            score = float(stacked_probability([stack(True, 0.0, d, t, (key[0], key[3]) in typed)],
                                              self.stack_weights)[0])
            if score < self.floor:
                continue
            heads = heads if heads is not None else actor_heads(doc, actors)
            ev = proposed_event(c, key[3], score, article, heads, rules)
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


def propose_events(doc: Doc, actors: list[Actor], article: Article, events: list[Event], rules: EventRules,
                   model) -> list[Event]:
    """Events the rules missed (not among `events`), proposed by the candidate `model`; none without one."""
    if model is None:
        return []
    return model.propose(doc, actors, article, events, rules)
