"""`tightrope bench stance PATH`: does a report support, deny or only relay a claim?

PATH is Emergent's CSV (claimHeadline, articleHeadline, articleHeadlineStance ∈ for/against/observing) or a
folder with FNC-1's stances CSV (Headline, Body ID, Stance) and bodies CSV (Body ID, articleBody); FNC labels
map to for (agree), against (disagree), observing (discuss) and unrelated.

Two judges are reported:
- `rules`: the cue lexicon (quotes/data/stance.tsv: denial, hedging, affirmation cues we wrote) plus word
  overlap between claim and report (FNC "unrelated" below a threshold). No training.
- `learned`: logistic regression over the same cue counts, the similarity and word n-grams of the report;
  cross-validated by claim group (GroupKFold) on the file given, never scored on its own training rows.
The headline figures (accuracy, macro_f1) are the learned judge's cross-validated ones.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from . import finish

DATA = Path(__file__).resolve().parents[1] / "quotes" / "data" / "stance.tsv"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def stance_cues() -> dict[str, list[re.Pattern]]:
    out: dict[str, list[re.Pattern]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, phrase = line.split("\t")[:2]
        out.setdefault(kind, []).append(re.compile(r"(?<!\w)" + phrase.strip() + r"(?!\w)", re.IGNORECASE))
    return out


def cue_counts(text: str) -> dict[str, int]:
    text = text.replace("’", "'")
    return {kind: sum(1 for p in pats if p.search(text)) for kind, pats in stance_cues().items()}


def judge(claim: str, report: str, unrelated_below: float | None = None) -> str:
    """Rule judge: against on a denial cue, observing on a hedge or question, else for."""
    if unrelated_below is not None and overlap(claim, report) < unrelated_below:
        return "unrelated"
    c = cue_counts(report)
    if c.get("deny", 0):
        return "against"
    if c.get("hedge", 0) or report.rstrip().endswith("?"):
        return "observing"
    return "for"


def overlap(a: str, b: str) -> float:
    wa, wb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return len(wa & wb) / len(wa) if wa else 0.0


def _read(path: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """(claim, report, label, group) rows with labels for/against/observing/unrelated."""
    rows = []
    if path.is_dir():
        stances = sorted(p for p in path.rglob("*.csv") if "stance" in p.name.lower())
        bodies_f = sorted(p for p in path.rglob("*.csv") if "bodies" in p.name.lower())
        bodies = {}
        for bf in bodies_f:
            with bf.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    bodies[r["Body ID"]] = r["articleBody"]
        fnc = {"agree": "for", "disagree": "against", "discuss": "observing", "unrelated": "unrelated"}
        for sf in stances[:1]:
            with sf.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    if r.get("Body ID") in bodies and r.get("Stance") in fnc:
                        rows.append((r["Headline"], bodies[r["Body ID"]], fnc[r["Stance"]], r["Headline"]))
    else:
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                label = (r.get("articleHeadlineStance") or "").strip()
                if label in ("for", "against", "observing"):
                    rows.append((r["claimHeadline"], r["articleHeadline"], label, r.get("claimId") or r["claimHeadline"]))
    return rows[:limit] if limit else rows


def run(path: str, limit: int | None = None, folds: int = 5) -> dict:
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import GroupKFold

    rows = _read(Path(path), limit)
    labels = [r[2] for r in rows]
    has_unrelated = "unrelated" in labels
    rule_pred = [judge(c, a, 0.2 if has_unrelated else None) for c, a, _, _ in rows]
    rule_acc = accuracy_score(labels, rule_pred)
    rule_f1 = f1_score(labels, rule_pred, average="macro")

    kinds = sorted(stance_cues())

    def dense(c: str, a: str) -> list[float]:
        counts = cue_counts(a)
        return [counts.get(k, 0) for k in kinds] + [overlap(c, a), float(a.rstrip().endswith("?"))]

    dense_x = np.array([dense(c, a) for c, a, _, _ in rows])
    reports = [a[:2000] for _, a, _, _ in rows]
    groups = [g for *_, g in rows]
    pred = [""] * len(rows)
    n_groups = len(set(groups))
    k = min(folds, n_groups) if n_groups > 1 else 0
    if k >= 2:
        for train, test in GroupKFold(n_splits=k).split(reports, labels, groups):
            vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            xt = hstack([vec.fit_transform([reports[i] for i in train]), csr_matrix(dense_x[train] * 3)]).tocsr()
            xs = hstack([vec.transform([reports[i] for i in test]), csr_matrix(dense_x[test] * 3)]).tocsr()
            model = LogisticRegression(max_iter=2000, C=2.0, class_weight="balanced")
            model.fit(xt, [labels[i] for i in train])
            for i, p in zip(test, model.predict(xs)):
                pred[i] = p
    else:
        pred = rule_pred
    figures = {
        "n": len(rows),
        "accuracy": round(accuracy_score(labels, pred), 4),
        "macro_f1": round(f1_score(labels, pred, average="macro"), 4),
        "rules_accuracy": round(rule_acc, 4),
        "rules_macro_f1": round(rule_f1, 4),
        "folds": k,
    }
    return finish("stance", figures)
