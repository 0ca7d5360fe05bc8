"""`tightrope bench stance PATH`: does a report support, deny or only relay a claim?

PATH is Emergent's CSV (claimHeadline, articleHeadline, articleHeadlineStance ∈ for/against/observing, claimId) or
a folder with FNC-1's stances CSV (Headline, Body ID, Stance) and bodies CSV (Body ID, articleBody); FNC labels
map to for (agree), against (disagree), observing (discuss) and unrelated.

Two judges are reported, both fixed before they see the file:
- `rules`: the cue lexicon (quotes/data/stance.tsv: denial, hedging, affirmation cues we wrote) plus word
  overlap between claim and report (FNC "unrelated" below a threshold). No training.
- `learned`: a logistic regression over the same cue counts, the claim-report overlap and the report's word
  n-grams (TF-IDF), trained once on the development part of Emergent by `python -m tightrope.bench.stance
  train ../shared/data/emergent/url-versions-2015-06-14-clean.csv` and committed as bench/data/stance.npz (a
  few hundred KB; the same file gives the same bytes). It is applied unchanged: on a new file every row is
  held out; on Emergent itself the rows of the claims it was trained on are left out of the figures (the
  model lists those claims), so the figure printed is always a held-out one.
The development part is the claims whose SHA-1 of claimId is not 0 modulo 5 (243 of Emergent's 300 claims,
2,105 headlines); the other 57 claims (490 headlines) are never trained on. On FNC-1, "unrelated" comes from the
rules' overlap threshold and the model judges the rest.
The headline figures (accuracy, macro_f1) are the learned judge's on held-out rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import finish

DATA = Path(__file__).resolve().parents[1] / "quotes" / "data" / "stance.tsv"
MODEL_PATH = Path(__file__).resolve().parent / "data" / "stance.npz"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # the n-gram tokens (scikit-learn's default pattern)
# every fifth claim (by the SHA-1 of its id) is held out of training
HOLDOUT_MODULUS = 5
# FNC-1: a report sharing less than this share of the claim's words is unrelated
UNRELATED_BELOW = 0.2
# model hyper-parameters (kept from the cross-validated judge this replaces)
C = 2.0
MIN_DF = 2
DENSE_WEIGHT = 3.0
MAX_REPORT_CHARS = 2000


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


def claim_key(group: str) -> str:
    """A claim's key: the first 16 hex digits of the SHA-1 of its id."""
    return hashlib.sha1(group.encode("utf-8")).hexdigest()[:16]


def held_out(group: str) -> bool:
    """Whether a claim belongs to the part never trained on."""
    return int(claim_key(group), 16) % HOLDOUT_MODULUS == 0


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


# ----------------------------------------------------------------------------- the learned judge

def ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams of a report, lower-cased (the model's vocabulary is made of these)."""
    words = _TOKEN.findall(text[:MAX_REPORT_CHARS].lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def dense_features(claim: str, report: str) -> list[float]:
    """Cue counts per kind (in stance.tsv's kind order), claim-report overlap, and a closing question mark."""
    counts = cue_counts(report)
    return [float(counts.get(k, 0)) for k in sorted(stance_cues())] + [
        overlap(claim, report), float(report.rstrip().endswith("?"))]


class StanceJudge:
    """Logistic regression over TF-IDF n-grams of the report (sublinear tf, l2-normalised) and dense cues."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str], trained_claims: frozenset[str], meta: dict):
        self.index = {w: i for i, w in enumerate(vocabulary)}
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float64)
        self.coef = coef.astype(np.float64)
        self.intercept = intercept.astype(np.float64)
        self.classes = classes
        self.trained_claims = trained_claims
        self.meta = meta

    def vector(self, claim: str, report: str) -> np.ndarray:
        tf: dict[int, int] = {}
        for g in ngrams(report):
            i = self.index.get(g)
            if i is not None:
                tf[i] = tf.get(i, 0) + 1
        x = np.zeros(len(self.vocabulary) + len(self.meta["dense"]))
        for i, n in tf.items():
            x[i] = (1.0 + np.log(n)) * self.idf[i]
        norm = np.linalg.norm(x[:len(self.vocabulary)])
        if norm:
            x[:len(self.vocabulary)] /= norm
        x[len(self.vocabulary):] = np.asarray(dense_features(claim, report)) * DENSE_WEIGHT
        return x

    def predict(self, claim: str, report: str) -> str:
        scores = self.coef @ self.vector(claim, report) + self.intercept
        return self.classes[int(np.argmax(scores))]

    def trained_on(self, group: str) -> bool:
        return claim_key(group) in self.trained_claims

    def save(self, path: Path) -> None:
        arrays = {
            "vocabulary": np.frombuffer("\n".join(self.vocabulary).encode("utf-8"), dtype=np.uint8),
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
            "classes": np.frombuffer("\n".join(self.classes).encode("utf-8"), dtype=np.uint8),
            "trained_claims": np.frombuffer("\n".join(sorted(self.trained_claims)).encode("utf-8"), dtype=np.uint8),
            "meta": np.frombuffer(json.dumps(self.meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(arrays):
                member = io.BytesIO()
                np.save(member, arrays[name], allow_pickle=False)
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, member.getvalue())
        path.write_bytes(buf.getvalue())

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "StanceJudge":
        with np.load(path, allow_pickle=False) as z:
            def lines(key: str) -> list[str]:
                return bytes(z[key]).decode("utf-8").split("\n")
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            return cls(lines("vocabulary"), z["idf"], z["coef"], z["intercept"], lines("classes"),
                       frozenset(lines("trained_claims")), meta)


def train(path: Path, out: Path = MODEL_PATH) -> StanceJudge:
    """Fit the learned judge on the development claims of an Emergent CSV and write it to `out`."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [r for r in _read(path, None) if not held_out(r[3])]
    if not rows:
        raise SystemExit(f"{path}: no development rows (an Emergent CSV with claimId is expected)")
    reports = [a for _, a, _, _ in rows]
    vec = TfidfVectorizer(analyzer=ngrams, min_df=MIN_DF, sublinear_tf=True)
    text_x = vec.fit_transform(reports)
    dense = csr_matrix(np.array([dense_features(c, a) for c, a, _, _ in rows]) * DENSE_WEIGHT)
    model = LogisticRegression(max_iter=2000, C=C, class_weight="balanced")
    model.fit(hstack([text_x, dense]).tocsr(), [r[2] for r in rows])
    vocabulary = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    judge_ = StanceJudge(vocabulary, vec.idf_, model.coef_, model.intercept_, [str(c) for c in model.classes_],
                         frozenset(claim_key(r[3]) for r in rows),
                         {"dense": sorted(stance_cues()) + ["overlap", "question"], "rows": len(rows),
                          "claims": len({r[3] for r in rows}), "source": path.name,
                          "trained_by": "python -m tightrope.bench.stance train PATH"})
    judge_.save(out)
    return StanceJudge.load(out)


@lru_cache(maxsize=1)
def learned_judge() -> StanceJudge:
    return StanceJudge.load(MODEL_PATH)


# ----------------------------------------------------------------------------- the bench

def run(path: str, limit: int | None = None, model: StanceJudge | None = None) -> dict:
    """The judges' figures on the rows of `path` the learned judge (`model`, default the committed one) was
    not trained on."""
    from sklearn.metrics import accuracy_score, f1_score

    rows = _read(Path(path), limit)
    model = model or learned_judge()
    scored = [r for r in rows if not model.trained_on(r[3])]
    labels = [r[2] for r in scored]
    has_unrelated = "unrelated" in {r[2] for r in rows}
    threshold = UNRELATED_BELOW if has_unrelated else None
    rule_pred = [judge(c, a, threshold) for c, a, _, _ in scored]
    pred = [("unrelated" if threshold is not None and overlap(c, a) < threshold else model.predict(c, a))
            for c, a, _, _ in scored]
    figures = {
        "n": len(scored),
        "accuracy": round(accuracy_score(labels, pred), 4) if scored else 0.0,
        "macro_f1": round(f1_score(labels, pred, average="macro"), 4) if scored else 0.0,
        "rules_accuracy": round(accuracy_score(labels, rule_pred), 4) if scored else 0.0,
        "rules_macro_f1": round(f1_score(labels, rule_pred, average="macro"), 4) if scored else 0.0,
        "rows_trained_on_left_out": len(rows) - len(scored),
    }
    return finish("stance", figures)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "train":
        raise SystemExit("usage: python -m tightrope.bench.stance train EMERGENT_CSV")
    judge_ = train(Path(args[1]))
    print(f"{MODEL_PATH}: {len(judge_.vocabulary)} n-grams, {judge_.meta['rows']} rows of "
          f"{judge_.meta['claims']} development claims")


if __name__ == "__main__":
    main()
