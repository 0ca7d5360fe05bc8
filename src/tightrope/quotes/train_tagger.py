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
from pathlib import Path

import numpy as np

from . import tagger as T

DEFAULTS = {"c1": 0.05, "c2": 0.01, "iterations": 100, "min_freq": 1, "cue_min_count": 3, "cue_min_share": 0.25,
            # decoding bias per role, found with --holdout 10 (see tune_bias)
            "bias_cue": 0.0, "bias_src": 0.0, "bias_con": 0.0}
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
    """Docs as extraction makes them; with `cache`, stored there as a DocBin keyed by the texts' hash (a
    development convenience: a parse of the same texts with the same code gives the same Docs)."""
    from ..nlp import load_pipeline, parse_many
    from ..pipeline import keep_segment

    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    nlp = load_pipeline()
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


def build_sequences(articles, docs, candidates_only: bool):
    """(features, labels) per window over the articles, in order, and each doc's token labels."""
    seqs, per_doc = [], []
    for (stem, text, gold), doc in zip(articles, docs):
        lab_of: dict[int, str] = {}
        for w in T.windows(doc, frozenset(), candidates_only=candidates_only):
            labels = token_labels(w, text, gold)
            seqs.append((T.features(w), labels))
            lab_of.update(zip(w.idx, labels))
        per_doc.append((doc, lab_of))
    return seqs, per_doc


# ----------------------------------------------------------------------------- training

def train(articles, docs, params: dict, log=print) -> T.QuoteTagger:
    import pycrfsuite

    t0 = time.perf_counter()
    seqs, per_doc = build_sequences(articles, docs, candidates_only=False)
    log(f"  {len(seqs)} windows, {sum(len(s[1]) for s in seqs)} tokens ({time.perf_counter() - t0:.0f} s)")
    cue_words = learned_cue_words(per_doc, params["cue_min_count"], params["cue_min_share"])
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({"c1": params["c1"], "c2": params["c2"], "max_iterations": params["iterations"],
                        "feature.minfreq": params["min_freq"], "feature.possible_transitions": True})
    for feats, labels in seqs:
        trainer.append(feats, labels)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "crf.model")
        t1 = time.perf_counter()
        trainer.train(path)
        log(f"  CRFsuite: {trainer.logparser.last_iteration['num'] if trainer.logparser.last_iteration else '?'} "
            f"iterations in {time.perf_counter() - t1:.0f} s")
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
            "articles": len(articles), "windows": len(seqs), "features": len(names)}
    # the weights as they will be read back (fp16), so a model trained here tags as the saved one does
    model = T.QuoteTagger(index, state.astype(np.float16), trans.astype(np.float32), frozenset(cue_words), meta)
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
            em = model.emissions(T.features(w))
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
        n_windows = n_tokens = n_sent = n_cand_sent = 0
        t_tag = 0.0
        for doc in docs:
            t1 = time.perf_counter()
            found = model.tag(doc, candidates_only)
            t_tag += time.perf_counter() - t1
            preds.append([Predicted(a.content, (a.source,) if a.source else (), (a.cue,) if a.cue else (), a.direct)
                          for a in found])
            ws = T.windows(doc, model.cue_words, candidates_only)
            n_windows += len(ws)
            n_tokens += sum(len(w) for w in ws)
            sents = list(doc.sents)
            n_sent += len(sents)
            tagged = {i for w in ws for i in w.idx}
            n_cand_sent += sum(1 for s in sents if any(t.i in tagged for t in s))
        systems["tagger"] = preds
        cost = {"tag_seconds": round(t_tag, 2), "parse_seconds": round(t_parse, 2), "windows": n_windows,
                "tagged_tokens": n_tokens, "sentences": n_sent, "tagged_sentences": n_cand_sent,
                "ms_per_tagged_sentence": round(1000 * t_tag / max(1, n_cand_sent), 3)}
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
    ap.add_argument("--holdout", type=int, default=0, metavar="K",
                    help="train on the training articles but every K-th, tune the role biases on those, print them")
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
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
        model.label_bias = np.asarray(model.meta["label_bias"])
        model.meta["params"].update(best)
        print(json.dumps({"best": best, "table": table}))
    model.save(Path(args.out))
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()[:16]
    log(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.2f} MB, sha256 {digest}) "
        f"in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
