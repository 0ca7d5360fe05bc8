"""`tightrope bench gsr PATH`: PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt format).

The file is a JSON array of records {id, event, text, source: [{actorText, code, sector}], target: ...,
textInfo: {markup}}; the markup wraps actors as "(SRC: ...)", "(TAR: ...)" or "(SRC/TAR: ...)".
The DOCUMENT record is skipped.

Figures
- source_country_acc / target_country_acc: for each gold actor, the Tightrope mention that overlaps its
  span (largest overlap) must have the same country; a gold actor with no overlapping mention counts as
  wrong. Codes are compared after mapping old CAMEO codes (JAP→JPN, ITL→ITA, VTN→VNM) and every
  international organisation to "IGO" (the gold file codes all of them so).
- sector_acc: same matching, over gold actors that carry a standard agent type (the first three
  letters of e.g. "CVLalb"; "***" and missing sectors are not scored).
- n, precision, recall, f1: (source country, target country, PLOVER type) triples from the events stage
  against the gold triples of each record (old labels mapped: DEMAND→REQUEST, DISAPPROVE→ACCUSE,
  FIGHT→ASSAULT, INVESTIGATE→ACCUSE); one gold triple per source × target (target None when absent).
  A joint record (actors tagged SRC/TAR, no target list: "A and B agreed") is one reciprocal gold triple per
  pair of its actors. A reciprocal triple, gold or predicted (Event.reciprocal: "A met B"), matches in either
  direction; each gold and each predicted triple is matched at most once.
- halves: precision, recall and f1, and the source/target/sector accuracies of the actors, on two fixed halves of
  the records (`half_of`: the first byte of the sha256 of the record id, even "dev" or odd "held"), so that rules
  developed reading one can be judged on the other.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from typing import Any

from rich.console import Console

from . import f1, finish

OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
OLD_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
SECTORS = {"GOV", "MIL", "REB", "CVL", "OPP", "COP", "REF", "LEG", "ELI", "JUD", "UAF", "MED", "EDU", "LAB",
           "MOS", "JRN", "CIV", "PTY", "CRM", "SPY", "SOC", "REL", "BUS", "AGR", "NGO", "IGO"}
TAG = re.compile(r"\(([A-Z]{2,4}(?:/[A-Z]{2,4})?)\s*:\s*")  # SRC, TAR, SRC/TAR, EVT, LOC, ...


HALVES = ("dev", "held")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1(p, r), 4)}


def _actor_rates(c: Counter) -> dict[str, float]:
    return {f"{k}_acc": round(c[f"{k}_ok"] / c[f"{k}_n"], 4) if c[f"{k}_n"] else 0.0
            for k in ("source", "target", "sector")}


def half_of(record_id: str) -> str:
    """"dev" or "held": a fixed split of the records by the hash of their id."""
    return HALVES[hashlib.sha256(str(record_id).encode("utf-8")).digest()[0] % 2]


def parse_markup(markup: str) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Clean text and [(role, start, end, text)] for the SRC/TAR tags (nested brackets allowed)."""
    out: list[str] = []
    spans: list[tuple[str, int, int, str]] = []
    pos = 0
    length = 0
    while True:
        m = TAG.search(markup, pos)
        if m is None:
            out.append(markup[pos:])
            break
        out.append(markup[pos:m.start()])
        length += m.start() - pos
        depth, j = 1, m.end()
        while j < len(markup) and depth:
            if markup[j] == "(":
                depth += 1
            elif markup[j] == ")":
                depth -= 1
            j += 1
        inner_raw = markup[m.end():j - 1] if depth == 0 else markup[m.end():j]
        inner, nested = parse_markup(inner_raw)  # "(LOC: (SRC: in Dili))"
        spans.extend((r, s + length, e + length, t) for r, s, e, t in nested)
        tag = m.group(1).replace("/LOC", "").replace("LOC/", "")
        if tag in ("SRC", "TAR", "SRC/TAR", "TGT"):
            spans.append((tag if tag != "TGT" else "TAR", length, length + len(inner), inner))
        out.append(inner)
        length += len(inner)
        pos = j
    return "".join(out), spans


def norm_country(code: str | None) -> str | None:
    from ..actors import IGO_CODES

    if not code:
        return None
    code = OLD_CODES.get(code, code)
    if code in IGO_CODES and code not in ("NGO", "IMG"):
        return "IGO"
    return code


def _gold_actors(value: Any) -> list[dict]:
    return [a for a in value if isinstance(a, dict) and a.get("actorText")] if isinstance(value, list) else []


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _locate(actor_text: str, role: str, text: str, spans: list[tuple[str, int, int, str]],
            used: set[int]) -> tuple[int, int] | None:
    want = _norm(actor_text)
    roles = ("SRC", "SRC/TAR") if role == "source" else ("TAR", "SRC/TAR")
    for pref in (roles, ("SRC", "TAR", "SRC/TAR")):
        for k, (r, s, e, inner) in enumerate(spans):
            if r in pref and _norm(inner) == want and k not in used:
                used.add(k)
                return s, e
    # "Bosnian Serbs ... forces" style gold texts: first and last words
    words = [w for w in re.split(r"\s*\.\.\.?\s*|\s+", actor_text) if w]
    for k, (r, s, e, inner) in enumerate(spans):
        if r in roles and words and _norm(inner).startswith(_norm(words[0])):
            return s, e
    idx = text.find(actor_text)
    if idx >= 0:
        return idx, idx + len(actor_text)
    # the gold list spells the actor differently from the markup ("Greek-Cypriot" for "Greek"):
    # the next unused span of the same role
    for k, (r, s, e, inner) in enumerate(spans):
        if r in roles and k not in used:
            used.add(k)
            return s, e
    if words:
        idx = text.find(words[0])
        if idx >= 0:
            return idx, idx + len(words[0])
    return None


def _best(mentions, s: int, e: int, hint: str = ""):
    """The mention overlapping [s, e) the most; in a coordinated span ("French and Egyptian warships")
    the one that holds the gold actor's first word."""
    first = hint.split()[0] if hint.split() else ""
    first = first.lower() if first[:1].isupper() else ""  # a name or adjective, not "rebel"
    best, overlap = None, 0
    for m in mentions:
        o = min(e, m.end) - max(s, m.start)
        if o > 0 and first and first in m.text.lower():
            o += 1000
        if o > overlap or (o == overlap and o > 0 and best is not None and (m.end - m.start) < (best.end - best.start)):
            best, overlap = m, o
    return best


def match_triples(gold: list[tuple], pred: list[tuple]) -> int:
    """How many (source, target, type, reciprocal) predictions match a gold triple one to one; a reciprocal
    triple on either side also matches with source and target swapped. Exact matches are taken first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for swapped in (False, True):
        for j, p in enumerate(pred):
            if j in used_pred:
                continue
            for k, g in enumerate(gold):
                if k in used_gold or g[2] != p[2]:
                    continue
                if swapped and not (g[3] or p[3]):
                    continue
                if (g[0], g[1]) == ((p[1], p[0]) if swapped else (p[0], p[1])):
                    used_gold.add(k)
                    used_pred.add(j)
                    break
    return len(used_pred)


def run(path: str, limit: int | None = None, console: Console | None = None, show_errors: int = 0,
        errors_half: str | None = None) -> dict:
    """The figures (module docstring); `show_errors` prints that many actor errors (country or sector), of
    `errors_half` only when given."""
    from ..actors import load_lexicon, resolve_actors
    from ..nlp import parse_many
    from ..pipeline import keep_segment
    from ..records import Article

    console = console or Console(stderr=True, highlight=False)
    records = [r for r in json.load(open(path, encoding="utf-8")) if isinstance(r, dict) and r.get("event") != "DOCUMENT"
               and r.get("text")]
    if limit:
        records = records[:limit]
    from ..events import extract_events

    lex = load_lexicon(None)
    texts = []
    golds = []
    for r in records:
        info = r.get("textInfo")
        markup = (info.get("markup") if isinstance(info, dict) else None) or ""
        clean, spans = parse_markup(markup) if markup else ("", [])
        # the markup is the coded sentence: run on it without the tags (it differs from "text" in a few
        # records by a word or a typo); without markup, find gold actors by their text
        text = clean if clean.strip() and "(SRC" not in clean and "(TAR" not in clean else r["text"]
        if text is not clean:
            spans = []
        texts.append(text)
        golds.append(spans)

    t0 = time.perf_counter()
    docs = list(parse_many(texts, keep=keep_segment))
    t_parse = time.perf_counter() - t0
    if docs:  # warm the lexicon's lazy indexes so that the timing is the steady state
        resolve_actors(docs[0], Article(id="", title="", text=texts[0]), lex)
    counts: Counter = Counter()
    t_actors = 0.0
    errors: list[str] = []
    tp = n_pred = n_gold = 0
    by_half = {h: Counter() for h in HALVES}
    for r, text, spans, doc in zip(records, texts, golds, docs):
        art = Article(id=r.get("id", ""), title="", text=text)
        t = time.perf_counter()
        mentions = resolve_actors(doc, art, lex)
        t_actors += time.perf_counter() - t
        sides: dict[str, list[str | None]] = {"source": [], "target": []}
        for side in ("source", "target"):
            used: set[int] = set()
            for g in _gold_actors(r.get(side)):
                gold_c = norm_country(g.get("code"))
                sides[side].append(gold_c)
                loc = _locate(g["actorText"], side, text, spans, used)
                m = _best(mentions, *loc, hint=g["actorText"]) if loc else None
                pred_c = norm_country(m.country) if m else None
                ok = pred_c == gold_c
                half = half_of(r.get("id", ""))
                for c in (counts, by_half[half]):
                    c[f"{side}_n"] += 1
                    c[f"{side}_ok"] += ok
                shown = errors_half is None or half == errors_half
                if not ok and shown and len(errors) < 10_000:
                    errors.append(f"{side[:3]} {g['actorText']!r:40} gold {gold_c} got "
                                  f"{(m.text + ' → ' + str(m.code)) if m else 'nothing'}")
                gsec = (g.get("sector") or "")[:3].upper()
                if gsec in SECTORS:
                    sector_ok = bool(m and m.sector == gsec)
                    for c in (counts, by_half[half]):
                        c["sector_n"] += 1
                        c["sector_ok"] += sector_ok
                    if not sector_ok and shown and len(errors) < 10_000:
                        errors.append(f"sec {g['actorText']!r:40} gold {gsec} got "
                                      f"{(m.text + ' → ' + str(m.code)) if m else 'nothing'}")
        gold_type = OLD_LABELS.get(r["event"], r["event"])
        joint = sum(1 for role, *_ in spans if role == "SRC/TAR")
        if joint >= 2 and not sides["target"] and len(sides["source"]) >= 2:
            src = sides["source"]
            gold = [(src[a], src[b], gold_type, True) for a in range(len(src)) for b in range(a + 1, len(src))]
        else:
            gold = [(s, t, gold_type, False) for s in (sides["source"] or [None])
                    for t in (sides["target"] or [None])]
        try:
            events = extract_events(doc, mentions, art)
        except Exception as exc:  # a broken events stage must not hide the actor figures
            events = []
            counts["event_errors"] += 1
            if counts["event_errors"] == 1:
                console.print(f"[yellow]events stage failed: {exc!r}[/]")
        pred = [(norm_country(e.source.country) if e.source else None,
                 norm_country(e.target.country) if e.target else None, e.type,
                 bool(e.reciprocal and e.source and e.target)) for e in events]
        hits = match_triples(gold, pred)
        tp += hits
        n_pred += len(pred)
        n_gold += len(gold)
        by_half[half_of(r.get("id", ""))].update(tp=hits, pred=len(pred), gold=len(gold))

    for line in errors[:show_errors]:
        console.print(line)
    words = sum(len(t.split()) for t in texts)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    figures = {
        "n": len(records),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1(precision, recall), 4),
        "source_country_acc": round(counts["source_ok"] / counts["source_n"], 4) if counts["source_n"] else 0.0,
        "target_country_acc": round(counts["target_ok"] / counts["target_n"], 4) if counts["target_n"] else 0.0,
        "sector_acc": round(counts["sector_ok"] / counts["sector_n"], 4) if counts["sector_n"] else 0.0,
        "gold_sources": counts["source_n"],
        "gold_targets": counts["target_n"],
        "gold_sectors": counts["sector_n"],
        "events_predicted": n_pred,
        "events_gold": n_gold,
        "event_errors": counts["event_errors"],  # records whose events stage failed (the first is printed)
        "parse_s": round(t_parse, 2),
        "actors_ms_per_1000_words": round(t_actors * 1000 / max(words, 1) * 1000, 3),
        "halves": {h: {**_prf(c["tp"], c["pred"], c["gold"]), **_actor_rates(c)} for h, c in by_half.items()},
    }
    return finish("gsr", figures, console=console)
