"""`tightrope bench plv PATH`: PLOVER type given the sentence and the gold source/target spans.

Macro-F1 over the 15 PLV classes (CONCEDE and RETREAT count as YIELD). When PATH is the development file the
typer is trained on (PLV_train.tsv), the numbers are k-fold cross-validated (the model refitted per fold);
on any other file the committed model in events/model is used.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import finish


def _macro(gold: list[str], pred: list[str]) -> tuple[float, float, dict[str, float]]:
    labels = sorted(set(gold))
    per = {}
    for c in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        per[c] = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return acc, sum(per.values()) / len(per) if per else 0.0, per


def _is_training_file(path: str) -> bool:
    return Path(path).name == "PLV_train.tsv"


def run(path: str, folds: int = 5, limit: int | None = None) -> dict:
    from ..events.train import fit, label, read_plv, row_features
    from ..events.typer import split_yield

    rows = read_plv(path, limit)
    gold = [label(r) for r in rows]
    t0 = time.perf_counter()
    feats = row_features(rows)
    if _is_training_file(path):
        from sklearn.model_selection import StratifiedKFold

        pred = [""] * len(rows)
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for tr, te in skf.split(rows, gold):
            model = fit([rows[i] for i in tr], [feats[i] for i in tr])
            out = model.predict([feats[i] for i in te])
            for i, p in zip(te, out):
                pred[i] = str(p)
        mode = f"{folds}-fold cross-validated"
    else:
        from ..events.typer import load_model

        model = load_model()
        pred = [split_yield(p, r["sentence"]) for p, r in zip(model.predict(feats), rows)]
        mode = "committed model"
    pred = ["YIELD" if p in ("CONCEDE", "RETREAT") else p for p in pred]
    secs = time.perf_counter() - t0
    acc, mf1, per = _macro(gold, pred)
    print(f"PLV {path}: {len(rows)} rows, {mode}")
    for c, v in sorted(per.items()):
        print(f"  {c:10s} F1 {v:.3f}  (n={gold.count(c)})")
    return finish("plv", {"n": len(rows), "accuracy": round(acc, 4), "macro_f1": round(mf1, 4), "evaluation": mode,
                          "seconds": round(secs, 2)})
