"""Fine-tune the neural PLOVER typer (events/neural.py) on PLV_train and write events/model/neural.npz.

    python -m tightrope.events.train_neural --data /work/shared/data            # the committed model
    python -m tightrope.events.train_neural --data /work/shared/data --cv 5     # + events/model/neural_cv.json

Needs torch (``pip install torch==2.13.0``, CPU is enough) and the ``[neural]`` extra. The bottom layers of
all-MiniLM-L6-v2 stay frozen (their outputs are computed once); the top ``--layers`` layers and a linear head
over the last layer's [CLS; source marker; target marker] are trained with AdamW, dropout and label smoothing, for a fixed
number of epochs (no early stopping, so nothing is tuned on the fold being scored). Seeded and run with a
fixed thread count and data order, so a rerun reproduces the artifact. Only PLV_train is used, for the
reason given in events/train.py (PLOVER GSR and ConfliBERT overlap the held-out PLV test sentences).

``--cv K`` refits the same recipe on each of the K stratified folds used by ``tightrope bench plv`` (shuffled,
random_state 0) and records, per row, the class probabilities of the model that did not see it, plus per-fold
accuracy and macro-F1, in events/model/neural_cv.json (keyed by the data file's sha256; no sentences).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from . import neural
from .train import label, read_plv

CV_PATH = Path(__file__).parent / "model" / "neural_cv.json"
DEFAULTS = dict(layers=3, epochs=8, lr=2e-4, head_lr=2e-3, batch=16, dropout=0.1, smoothing=0.1, wd=0.01,
                seed=0, balance=0.0)


def row_text(r: dict) -> str:
    return neural.marked_text(r.get("sentence", ""), r.get("source"), r.get("target"), r.get("marked_sentence"))


def macro_f1(gold: list[str], pred: list[str]) -> tuple[float, float]:
    labels = sorted(set(gold))
    f = []
    for c in labels:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(g == p for g, p in zip(gold, pred)) / len(gold), sum(f) / len(f)


class Trainer:
    """Holds the base weights and the frozen-layer cache for one data set; fit() runs one training."""

    def __init__(self, texts: list[str], params: dict):
        import numpy as np
        import torch

        self.p = params
        self.torch = torch
        self.first = neural.N_LAYERS - params["layers"]
        self.base = neural.load_base()
        self.enc = neural.encode(texts)
        # frozen part: embeddings + layers below `first`, once, with numpy (the same code as inference)
        self.cache: list = [None] * len(texts)
        for idx in neural.batches(self.enc, 64):
            ids, mask, _, _ = neural.pad(self.enc, idx)
            h = neural.embed(self.base, ids)
            for i in range(self.first):
                h = neural.layer(self.base, i, h, mask)
            for r, i in enumerate(idx):
                self.cache[i] = torch.from_numpy(np.ascontiguousarray(h[r, : len(self.enc[i][0])]))

    def _batch(self, idx):
        torch = self.torch
        T = max(self.cache[i].shape[0] for i in idx)
        h = torch.zeros(len(idx), T, neural.HIDDEN)
        mask = torch.zeros(len(idx), T)
        for r, i in enumerate(idx):
            n = self.cache[i].shape[0]
            h[r, :n] = self.cache[i]
            mask[r, :n] = 1.0
        s = torch.tensor([self.enc[i][1] for i in idx])
        t = torch.tensor([self.enc[i][2] for i in idx])
        return h, mask, s, t

    def _forward(self, P: dict, idx, train: bool):
        torch = self.torch
        F = torch.nn.functional
        drop = self.p["dropout"] if train else 0.0
        h, mask, s, t = self._batch(idx)
        B, T, H = h.shape
        d = H // neural.HEADS
        add = ((1.0 - mask) * -1e9)[:, None, None, :]
        r = torch.arange(B)
        pos = torch.stack([torch.zeros_like(s), s, t], dim=1)
        for i in range(self.first, neural.N_LAYERS):
            p = f"encoder.layer.{i}."
            last = i == neural.N_LAYERS - 1
            hq = h[r[:, None], pos] if last else h  # the last layer is only needed at the pooled positions

            def lin(x, name, p=p):
                return F.linear(x, P[p + name + ".weight"], P[p + name + ".bias"])

            def heads(x):
                return x.reshape(B, x.shape[1], neural.HEADS, d).transpose(1, 2)

            q, k, v = heads(lin(hq, "attention.self.query")), heads(lin(h, "attention.self.key")), heads(lin(h, "attention.self.value"))
            a = torch.softmax(q @ k.transpose(-1, -2) * d ** -0.5 + add, dim=-1)
            a = F.dropout(a, drop, train)
            ctx = (a @ v).transpose(1, 2).reshape(B, hq.shape[1], H)
            x = F.layer_norm(F.dropout(lin(ctx, "attention.output.dense"), drop, train) + hq, (H,),
                             P[p + "attention.output.LayerNorm.weight"], P[p + "attention.output.LayerNorm.bias"],
                             neural.LN_EPS)
            f = lin(F.gelu(lin(x, "intermediate.dense")), "output.dense")
            h = F.layer_norm(F.dropout(f, drop, train) + x, (H,), P[p + "output.LayerNorm.weight"],
                             P[p + "output.LayerNorm.bias"], neural.LN_EPS)
        feats = h.reshape(B, -1)
        return F.linear(F.dropout(feats, drop, train), P["head.weight"], P["head.bias"])

    def fit(self, train_idx: list[int], labels: list[str], classes: list[str], log=print) -> dict:
        """Train on rows train_idx; returns the trained tensors (top layers + head) as float32 numpy arrays."""
        import numpy as np

        torch = self.torch
        torch.manual_seed(self.p["seed"])
        rng = np.random.RandomState(self.p["seed"])
        P = {k: torch.tensor(v, requires_grad=True) for k, v in self.base.items()
             if any(k.startswith(f"encoder.layer.{i}.") for i in range(self.first, neural.N_LAYERS))}
        head_w = torch.empty(len(classes), 3 * neural.HIDDEN)
        torch.nn.init.normal_(head_w, std=0.02)
        P["head.weight"] = head_w.requires_grad_(True)
        P["head.bias"] = torch.zeros(len(classes), requires_grad=True)
        enc_params = [v for k, v in P.items() if not k.startswith("head.")]
        opt = torch.optim.AdamW([{"params": enc_params, "lr": self.p["lr"]},
                                 {"params": [P["head.weight"], P["head.bias"]], "lr": self.p["head_lr"]}],
                                weight_decay=self.p["wd"])
        cid = {c: j for j, c in enumerate(classes)}
        y_all = torch.tensor([cid[labels[i]] for i in range(len(labels))])
        bs = self.p["batch"]
        steps = self.p["epochs"] * ((len(train_idx) + bs - 1) // bs)
        warm = max(1, steps // 10)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm))))
        # class weights (n_c / mean n)^-balance over the training rows: 0 = plain, 0.5 = inverse square root
        counts = np.bincount([cid[labels[i]] for i in train_idx], minlength=len(classes)).astype(np.float64)
        cw = (np.maximum(counts, 1.0) / counts.mean()) ** -self.p.get("balance", 0.0)
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(cw / cw.mean(), dtype=torch.float32),
                                            label_smoothing=self.p["smoothing"])
        for ep in range(self.p["epochs"]):
            order = [int(i) for i in np.asarray(train_idx)[rng.permutation(len(train_idx))]]
            # length buckets: sort chunks of 8 batches by length (little padding), then shuffle the batches
            chunks = [sorted(order[c:c + 8 * bs], key=lambda i: len(self.enc[i][0]))
                      for c in range(0, len(order), 8 * bs)]
            blist = [ch[b:b + bs] for ch in chunks for b in range(0, len(ch), bs)]
            total = 0.0
            for j in rng.permutation(len(blist)):
                idx = blist[j]
                loss = loss_fn(self._forward(P, idx, True), y_all[idx])
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(list(P.values()), 1.0)
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(idx)
            log(f"  epoch {ep + 1}: loss {total / len(order):.4f}")
        return {k: v.detach().numpy().copy() for k, v in P.items()}

    def proba(self, trained: dict, idx: list[int]):
        """Class probabilities for rows idx from trained tensors (torch, eval mode)."""
        import numpy as np

        torch = self.torch
        P = {k: torch.from_numpy(v) for k, v in trained.items()}
        out = np.zeros((len(idx), P["head.bias"].shape[0]))
        with torch.no_grad():
            for b in range(0, len(idx), 64):
                part = idx[b:b + 64]
                out[b:b + len(part)] = torch.softmax(self._forward(P, part, False), -1).double().numpy()
        return out


def save(trained: dict, classes: list[str], meta: dict, path: Path) -> None:
    import numpy as np

    arrays = {k: v.astype(np.float16) for k, v in trained.items()}
    np.savez_compressed(path, classes=np.array(classes), meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data", help="the shared data folder")
    ap.add_argument("--out", default=str(neural.MODEL_PATH))
    ap.add_argument("--cv", type=int, default=0, help="also run K-fold CV and write --cv-out")
    ap.add_argument("--cv-out", default=str(CV_PATH))
    ap.add_argument("--no-final", action="store_true", help="skip training the final model on all rows")
    ap.add_argument("--threads", type=int, default=2)
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    args = ap.parse_args(argv)
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    params = {k: getattr(args, k) for k in DEFAULTS}
    path = Path(args.data) / "plv_zsp" / "PLV_train.tsv"
    rows = read_plv(path)
    labels = [label(r) for r in rows]
    classes = sorted(set(labels))
    t0 = time.perf_counter()
    tr = Trainer([row_text(r) for r in rows], params)
    print(f"{len(rows)} rows, frozen layers cached in {time.perf_counter() - t0:.1f}s; params {params}")
    if args.cv:
        from sklearn.model_selection import StratifiedKFold

        probs = np.zeros((len(rows), len(classes)))
        fold_of = [0] * len(rows)
        per_fold = []
        skf = StratifiedKFold(n_splits=args.cv, shuffle=True, random_state=0)
        for f, (a, b) in enumerate(skf.split(rows, labels)):
            t1 = time.perf_counter()
            trained = tr.fit([int(i) for i in a], labels, classes)
            pb = tr.proba(trained, [int(i) for i in b])
            probs[b] = pb
            gold = [labels[i] for i in b]
            pred = [classes[int(j)] for j in pb.argmax(1)]
            acc, mf1 = macro_f1(gold, pred)
            per_fold.append({"fold": f, "n": len(b), "accuracy": round(acc, 4), "macro_f1": round(mf1, 4),
                             "seconds": round(time.perf_counter() - t1, 1)})
            for i in b:
                fold_of[int(i)] = f
            print(f"fold {f}: accuracy {acc:.4f} macro-F1 {mf1:.4f} ({per_fold[-1]['seconds']}s)", flush=True)
        acc, mf1 = macro_f1(labels, [classes[int(j)] for j in probs.argmax(1)])
        print(f"{args.cv}-fold CV: accuracy {acc:.4f} macro-F1 {mf1:.4f}")
        rec = {"data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "rows": len(rows), "folds": args.cv,
               "params": params, "classes": classes, "per_fold": per_fold, "fold_of": fold_of,
               "accuracy": round(acc, 4), "macro_f1": round(mf1, 4),
               "proba": [[round(float(x), 5) for x in p] for p in probs]}
        Path(args.cv_out).write_text(json.dumps(rec) + "\n", encoding="utf-8")
        print(f"-> {args.cv_out}")
    if not args.no_final:
        t1 = time.perf_counter()
        trained = tr.fit(list(range(len(rows))), labels, classes)
        meta = {"params": params, "first_trained_layer": tr.first, "rows": len(rows), "base": "all-MiniLM-L6-v2"}
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        save(trained, classes, meta, Path(args.out))
        print(f"trained on {len(rows)} rows in {time.perf_counter() - t1:.0f}s -> {args.out} "
              f"({Path(args.out).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
