"""Share of gold Source/Target spans in a cameo_ner BIO file that overlap a Tightrope actor mention.

    .venv/bin/python scripts/actors_spans_recall.py ../shared/data/conflibert_cameo/cameo_ner/train.txt [LIMIT]

Who is source or target is the events stage's job (tightrope bench spans); this only asks whether the
actors stage recognised the span as an actor at all.
"""
import sys
from tightrope.actors import load_lexicon, resolve_actors
from tightrope.nlp import parse_many
from tightrope.pipeline import keep_segment
from tightrope.records import Article
path = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10**9
sents, cur = [], []
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip():
        if cur: sents.append(cur); cur = []
        continue
    w, _, tag = line.rpartition(" ")
    cur.append((w, tag))
if cur: sents.append(cur)
sents = sents[:limit]
texts, golds = [], []
for s in sents:
    text, spans, pos, open_ = "", [], 0, None
    for w, tag in s:
        if text: text += " "
        start = len(text); text += w
        if tag.startswith("B-"):
            open_ = [tag[2:], start, len(text)]; spans.append(open_)
        elif tag.startswith("I-") and open_ is not None:
            open_[2] = len(text)
        else:
            open_ = None
    texts.append(text); golds.append(spans)
lex = load_lexicon()
hit = tot = 0; by = {"S": [0, 0], "T": [0, 0]}
for text, spans, doc in zip(texts, golds, parse_many(texts, keep=keep_segment)):
    ms = resolve_actors(doc, Article(id="", title="", text=text), lex)
    for role, s, e in spans:
        ok = any(m.start < e and s < m.end for m in ms)
        tot += 1; hit += ok
        if role in by: by[role][0] += ok; by[role][1] += 1
print({"sentences": len(texts), "gold_spans": tot, "recognised": round(hit / tot, 4),
       **{f"{k}_recognised": round(v[0] / v[1], 4) for k, v in by.items() if v[1]}})
import random
miss = []
