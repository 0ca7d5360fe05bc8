"""Train the PLOVER typer and write events/model/typer.joblib.

    python -m tightrope.events.train --data /work/shared/data

Reads <data>/plv_zsp/PLV_train.tsv only (columns sentence, source, target, gold_root; the ZSP system-output
columns are ignored). PLOVER GSR and the ConfliBERT CAMEO train split are deliberately NOT used: both overlap the
held-out PLV_test sentences (see their SOURCE.md), so training on them would contaminate any test number.
The fit is deterministic (liblinear-free lbfgs, fixed data order), so rerunning reproduces the artifact.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from .typer import MODEL_PATH, LinearTyper, build_model, features


def read_plv(path: str | Path, limit: int | None = None) -> list[dict[str, str]]:
    """Rows of a PLV-style TSV (gold_root, sentence, source, target), skipping rows without a label."""
    csv.field_size_limit(10**8)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if (r.get("gold_root") or "").strip()]
    return rows[:limit] if limit else rows


def label(row: dict[str, str]) -> str:
    g = row["gold_root"].strip().upper()
    return "YIELD" if g in ("CONCEDE", "RETREAT") else g


def row_features(rows: list[dict[str, str]]) -> list[str]:
    """Feature strings for PLV rows (sentences parsed in one batch)."""
    from .typer import _nlp, span_root

    docs = _nlp().pipe([r["sentence"] for r in rows], batch_size=64)
    return [features(r["sentence"], r.get("source"), r.get("target"),
                     (span_root(d, r.get("source")), span_root(d, r.get("target")))) for r, d in zip(rows, docs)]


def fit(rows: list[dict[str, str]], feats: list[str] | None = None):
    model = build_model()
    model.fit(feats if feats is not None else row_features(rows), [label(r) for r in rows])
    return model


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data", help="the shared data folder")
    ap.add_argument("--out", default=str(MODEL_PATH))
    args = ap.parse_args(argv)
    rows = read_plv(Path(args.data) / "plv_zsp" / "PLV_train.tsv")
    model = LinearTyper.from_sklearn(fit(rows))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    model.save(Path(args.out))
    print(f"trained on {len(rows)} rows -> {args.out} ({Path(args.out).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
