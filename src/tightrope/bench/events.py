"""`tightrope bench events PATH`: events end to end on real news (a folder like ../shared/data/voa_events/).

Every story is coded from its raw text, as a user would. Matching follows the folder's README, one to one
within a story (a largest matching): a system event matches a gold event when
1. its sentence (Event.start/end) overlaps the gold `sentence` by more than half of the shorter of the two,
   in characters of the story text;
2. its source and target countries equal the gold ones (an unresolved or missing actor has country null, and
   null equals null; the gold codes the UN, EU, AU and NATO as UNO, EUR, AFU, NATO and every other
   intergovernmental or non-state grouping as null (its README, "Countries"), so a system country that is
   another such code, "ECOWAS" or "WTO", is read as null); the swapped pair also counts when the system event is reciprocal or the gold record is
   (first type AGREE, CONSULT or COOPERATE, or a note saying reciprocal or two-sided);
3. its type is among the gold `types`.

Figures
- precision, recall, f1: for (source country, target country, type) as above, over every event Tightrope
  outputs by default;
- dyad_precision, dyad_recall: the same matching without condition 3;
- modality_acc, source_sector_acc, target_sector_acc: on matched pairs (sectors where the gold has one);
- dated_share: the share of system events whose date was resolved from the text (`date_source == "text"`);
- per type: precision of the system's type, recall of the gold's preferred type;
- causes: why gold events were missed and why system events did not match (no event in the sentence, another
  dyad, the right dyad with another type) — the counts to read before changing anything;
- halves: precision, recall and dyad precision on two fixed halves of the stories (`half_of`: the first byte of
  the sha256 of the story id, even or odd). Rules were developed reading only the "dev" half; the "held" half
  estimates how they do on unseen stories of the same kind.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from rich.console import Console

from ..actors import IGO_CODES
from ..records import PLOVER_TYPES, Event
from . import f1, finish
from .voa import GoldFolder, coded, match_one_to_one, occurrences, overlap, ratio

RECIPROCAL_TYPES = {"AGREE", "CONSULT", "COOPERATE"}
GOLD_IGOS = {"UNO", "EUR", "AFU", "NATO"}  # the groupings the gold gives a code; any other is null there
HALVES = ("dev", "held")


def half_of(story_id: str) -> str:
    """"dev" or "held": a fixed split of the stories by the hash of their id (see the module docstring)."""
    return HALVES[hashlib.sha256(str(story_id).encode("utf-8")).digest()[0] % 2]


def gold_reciprocal(gold: dict[str, Any]) -> bool:
    note = (gold.get("note") or "").lower()
    return (gold.get("types") or [""])[0] in RECIPROCAL_TYPES or "reciprocal" in note or "two-sided" in note


def _country(actor: Any) -> str | None:
    """The actor's country as the gold codes it (see the module docstring, matching rule 2)."""
    if actor is None:
        return None
    if isinstance(actor, dict):
        return actor.get("country")
    country = actor.country
    return None if country in IGO_CODES and country not in GOLD_IGOS else country


def _sector(actor: Any) -> str | None:
    if actor is None:
        return None
    return actor.get("sector") if isinstance(actor, dict) else actor.sector


def same_sentence(event: Event, spans: list[tuple[int, int]]) -> bool:
    mine = (event.start, event.end)
    return any(overlap(mine, g) * 2 > min(mine[1] - mine[0], g[1] - g[0]) for g in spans)


def same_dyad(event: Event, gold: dict[str, Any]) -> bool:
    s, t = _country(event.source), _country(event.target)
    gs, gt = _country(gold.get("source")), _country(gold.get("target"))
    if (s, t) == (gs, gt):
        return True
    return (event.reciprocal or gold_reciprocal(gold)) and (t, s) == (gs, gt)


def dated_from_text(event: Event, published: str | None) -> bool:
    source = getattr(event, "date_source", None)
    if source is not None:
        return source == "text"
    # before events carried date_source: a date that is not the publication day came from the text
    return bool(event.date) and event.date[:10] != (published or "")[:10]


def score(path: str, limit: int | None = None, details: bool = False, console: Console | None = None) -> dict[str, Any]:
    """The figures for the stories of a gold folder, each coded by Tightrope from its raw text."""
    return score_folder(coded(str(path), limit), details, console)


def score_folder(folder: GoldFolder, details: bool = False, console: Console | None = None,
                 half: str | None = None) -> dict[str, Any]:
    """The figures for coded stories (`half`: only the stories of that half, see `half_of`; `details` prints
    every miss and extra with its cause)."""
    console = console or Console(stderr=True, highlight=False)
    golds_by_story: dict[str, list[dict]] = {}
    for g in folder.gold["events"]:
        golds_by_story.setdefault(str(g["story"]), []).append(g)

    n_sys = n_gold = matched = dyad_matched = dated = 0
    modality_right = src_sector_n = src_sector_right = tgt_sector_n = tgt_sector_right = 0
    sys_by_type, right_by_type = Counter(), Counter()
    gold_by_type, found_by_type = Counter(), Counter()
    missed_causes, wrong_causes = Counter(), Counter()
    by_half = {h: Counter() for h in HALVES}

    for sid, story in folder.stories.items():
        if half is not None and half_of(sid) != half:
            continue
        text = story.article.text
        events = story.result.events
        golds = golds_by_story.get(sid, [])
        spans = [occurrences(text, g["sentence"]) for g in golds]
        n_sys += len(events)
        n_gold += len(golds)
        dated += sum(dated_from_text(e, story.article.published) for e in events)

        def in_sentence(s: int, g: int) -> bool:
            return same_sentence(events[s], spans[g])

        def dyad_fits(s: int, g: int) -> bool:
            return in_sentence(s, g) and same_dyad(events[s], golds[g])

        def full_fits(s: int, g: int) -> bool:
            return dyad_fits(s, g) and events[s].type in golds[g]["types"]

        pairs = match_one_to_one(len(events), len(golds), full_fits)
        dyad_pairs = match_one_to_one(len(events), len(golds), dyad_fits)
        matched += len(pairs)
        dyad_matched += len(dyad_pairs)
        counts = by_half[half_of(sid)]
        counts.update(stories=1, sys=len(events), gold=len(golds), matched=len(pairs), dyad=len(dyad_pairs))
        for s, g in pairs:
            e, gold = events[s], golds[g]
            right_by_type[e.type] += 1
            found_by_type[gold["types"][0]] += 1
            modality_right += e.modality == gold.get("modality")
            swapped = (_country(e.source), _country(e.target)) != (_country(gold.get("source")), _country(gold.get("target")))
            sys_src, sys_tgt = (e.target, e.source) if swapped else (e.source, e.target)
            if _sector(gold.get("source")):
                src_sector_n += 1
                src_sector_right += _sector(sys_src) == _sector(gold.get("source"))
            if _sector(gold.get("target")):
                tgt_sector_n += 1
                tgt_sector_right += _sector(sys_tgt) == _sector(gold.get("target"))
        for e in events:
            sys_by_type[e.type] += 1
        for g in golds:
            gold_by_type[g["types"][0]] += 1

        matched_sys = {s for s, _ in pairs}
        matched_gold = {g for _, g in pairs}
        for s, e in enumerate(events):
            if s in matched_sys:
                continue
            near = [g for g in range(len(golds)) if in_sentence(s, g)]
            if not near:
                cause = "no gold event in its sentence"
            elif any(same_dyad(e, golds[g]) for g in near):
                cause = "right dyad, another type"
            else:
                cause = "another dyad than the gold's"
            wrong_causes[cause] += 1
            if details:
                console.print(f"[{sid}] extra {_fmt_event(e)} — {cause}", markup=False)
        for g, gold in enumerate(golds):
            if g in matched_gold:
                continue
            near = [s for s in range(len(events)) if in_sentence(s, g)]
            if not near:
                cause = "no system event in its sentence"
            elif any(same_dyad(events[s], gold) for s in near):
                cause = "right dyad, another type"
            else:
                cause = "another dyad"
            missed_causes[cause] += 1
            if details:
                console.print(f"[{sid}] missed {_fmt_gold(gold)} — {cause}; system there: "
                              + "; ".join(_fmt_event(events[s]) for s in near), markup=False)

    precision, recall = ratio(matched, n_sys), ratio(matched, n_gold)
    figures: dict[str, Any] = {
        "n_stories": len(folder.stories), "events_sys": n_sys, "events_gold": n_gold, "matched": matched,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1(precision, recall), 4),
        "dyad_precision": round(ratio(dyad_matched, n_sys), 4), "dyad_recall": round(ratio(dyad_matched, n_gold), 4),
        "modality_acc": round(ratio(modality_right, matched), 4),
        "source_sector_acc": round(ratio(src_sector_right, src_sector_n), 4),
        "target_sector_acc": round(ratio(tgt_sector_right, tgt_sector_n), 4),
        "dated_share": round(ratio(dated, n_sys), 4),
        "events_per_story": round(ratio(n_sys, len(folder.stories)), 2),
        "per_type": {t: {"sys": sys_by_type[t], "precision": round(ratio(right_by_type[t], sys_by_type[t]), 3),
                         "gold": gold_by_type[t], "recall": round(ratio(found_by_type[t], gold_by_type[t]), 3)}
                     for t in PLOVER_TYPES if sys_by_type[t] or gold_by_type[t]},
        "missed_causes": dict(missed_causes.most_common()),
        "extra_causes": dict(wrong_causes.most_common()),
        "halves": {h: {"stories": c["stories"], "events_sys": c["sys"], "events_gold": c["gold"],
                       "precision": round(ratio(c["matched"], c["sys"]), 4),
                       "recall": round(ratio(c["matched"], c["gold"]), 4),
                       "dyad_precision": round(ratio(c["dyad"], c["sys"]), 4)}
                   for h, c in by_half.items() if c["stories"]},
    }
    return figures


def _fmt_event(e: Event) -> str:
    src = f"{e.source.text}={e.source.code}" if e.source else "-"
    tgt = f"{e.target.text}={e.target.code}" if e.target else "-"
    return f"{src} {e.type} {tgt} ({e.modality}, '{e.trigger}')"


def _fmt_gold(g: dict[str, Any]) -> str:
    src, tgt = g.get("source") or {}, g.get("target") or {}
    return (f"{src.get('text')}={src.get('country')}{src.get('sector') or ''} {'/'.join(g['types'])} "
            f"{tgt.get('text', '-')}={tgt.get('country')}{tgt.get('sector') or ''} ({g.get('modality')}) "
            f"in '{g['sentence'][:90]}'")


def run(path: str, limit: int | None = None, details: bool = False) -> dict[str, Any]:
    console = Console(stderr=True, highlight=False)
    figures = score(path, limit, details, console)
    console.print("per type (system precision / gold recall):", markup=False)
    for t, row in figures["per_type"].items():
        console.print(f"  {t:10s} sys {row['sys']:4d} P {row['precision']:.3f}   gold {row['gold']:4d} "
                      f"R {row['recall']:.3f}", markup=False)
    console.print(f"missed gold events by cause: {figures['missed_causes']}", markup=False)
    console.print(f"unmatched system events by cause: {figures['extra_causes']}", markup=False)
    for h, row in figures["halves"].items():
        console.print(f"half {h}: {row['stories']} stories, {row['events_sys']} system / {row['events_gold']} gold "
                      f"events, P {row['precision']:.3f} R {row['recall']:.3f} dyad P {row['dyad_precision']:.3f}",
                      markup=False)
    return finish("events", figures, console)
