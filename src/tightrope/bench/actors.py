"""`tightrope bench actors PATH`: actor resolution on real news (a folder like ../shared/data/voa_events/).

Every story is coded from its raw text. For each gold actor {story, mention, country, sector}, the system
mentions that overlap an occurrence of `mention` in the story text (character offsets) are its candidates:
it is *found* if there is one, *country right* if one candidate has the gold country (null = null), and
*country+sector right* if one candidate has both.

The figures are also given by kind of gold mention — persons, organisations, places acting as governments,
and other (titles, anaphors, groups) — told apart by spaCy's entity recogniser on the story text (PERSON;
ORG or NORP; GPE, LOC or FAC; anything else), which is independent of Tightrope's resolver.

Also printed: the share of system person mentions (kind "person") left without a country, and how well
pronouns are resolved (coreference): for every gold quote whose speaker is "he"/"she" with the person named in
parentheses ("he (Bobi Wine)"), the system's pronoun mention nearest the quote (within `PRONOUN_WINDOW`
characters) must name that person (a word of three letters or more of its name in the gold's).

Halves: every figure is also given on two fixed halves of the stories (`bench.events.half_of`: the first byte
of the sha256 of the story id). Rules are developed reading only the "dev" half's misses (`--details --half
dev`); the "held" half is the honest estimate of how the resolver does on unseen stories.

Codes: the gold codes intergovernmental actors with four codes only (UNO, EUR, AFU, NATO) and gives other
groupings (ECOWAS, G7, the WTO) and international NGOs no country (its README); Tightrope's other codes of
international bodies (data/igo_codes.txt: "ECOWAS", "WTO", "AMN") are therefore compared as no country.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rich.console import Console

from . import finish
from .events import HALVES, half_of
from .voa import coded, occurrences, overlap, ratio

KINDS = {"PERSON": "persons", "ORG": "organisations", "NORP": "organisations", "GPE": "places", "LOC": "places",
         "FAC": "places"}


GOLD_IGO_CODES = frozenset({"UNO", "EUR", "AFU", "NATO"})  # the gold's codes of intergovernmental actors


def gold_country(country: str | None) -> str | None:
    """A system country in the gold's convention: an international body without one of its four codes → None."""
    from ..actors import IGO_CODES

    return None if country in IGO_CODES and country not in GOLD_IGO_CODES else country


def gold_kind(doc, spans: list[tuple[int, int]]) -> str:
    """persons / organisations / places / other, by the entity the recogniser puts over the mention."""
    for start, end in spans:
        for ent in doc.ents:
            if overlap((ent.start_char, ent.end_char), (start, end)) and ent.label_ in KINDS:
                return KINDS[ent.label_]
    return "other"


def _rates(total: Counter, found: Counter, country: Counter, both: Counter, key: str, digits: int = 3) -> dict:
    return {"n": total[key], "found": round(ratio(found[key], total[key]), digits),
            "country_acc": round(ratio(country[key], total[key]), digits),
            "country_sector_acc": round(ratio(both[key], total[key]), digits)}


def score(path: str, limit: int | None = None, details: bool = False, console: Console | None = None,
          half: str | None = None) -> dict[str, Any]:
    """The figures on every story and on each half; `details` prints the misses (of `half` only, when given)."""
    from ..nlp import load_pipeline

    if half is not None and half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    console = console or Console(stderr=True, highlight=False)
    folder = coded(str(path), limit)
    nlp = load_pipeline()
    docs = {sid: nlp(s.article.text) for sid, s in folder.stories.items()}
    total, found, country, both = Counter(), Counter(), Counter(), Counter()
    for gold in folder.gold["actors"]:
        sid = str(gold["story"])
        story = folder.stories[sid]
        spans = occurrences(story.article.text, gold["mention"])
        kind = gold_kind(docs[sid], spans)
        cands = [m for m in story.result.actors if any(overlap((m.start, m.end), s) for s in spans)]
        c_right = any(gold_country(m.country) == gold.get("country") for m in cands)
        b_right = any(gold_country(m.country) == gold.get("country") and m.sector == gold.get("sector") for m in cands)
        which = half_of(sid)
        for key in ("all", kind, which, f"{which}:{kind}"):
            total[key] += 1
            found[key] += bool(cands)
            country[key] += c_right
            both[key] += b_right
        if details and not b_right and (half is None or which == half):
            got = "; ".join(f"{m.text}={m.code} ({m.kind})" for m in cands) or "nothing"
            console.print(f"[{sid}] {kind}: '{gold['mention']}' gold {gold.get('country')}/{gold.get('sector')} "
                          f"got {got}", markup=False)
    pronouns = pronoun_speakers(folder, details, console, half)
    persons = [m for s in folder.stories.values() for m in s.result.actors if m.kind == "person"]
    figures: dict[str, Any] = {k: v for k, v in _rates(total, found, country, both, "all", 4).items()}
    for kind in KIND_NAMES:
        figures[kind] = _rates(total, found, country, both, kind)
    figures["halves"] = {}
    for h in HALVES:
        if total[h]:
            row = _rates(total, found, country, both, h)
            row["stories"] = sum(half_of(sid) == h for sid in folder.stories)
            for kind in KIND_NAMES:
                row[kind] = _rates(total, found, country, both, f"{h}:{kind}")
            figures["halves"][h] = row
    figures["pronoun_speakers"] = pronouns
    figures["system_persons"] = len(persons)
    figures["system_persons_without_country"] = round(ratio(sum(m.country is None for m in persons), len(persons)), 4)
    return figures


KIND_NAMES = ("persons", "organisations", "places", "other")


PRONOUN_WINDOW = 200
_PRONOUN_SPEAKER = re.compile(r"^\s*(he|she)\s*\((.+)\)\s*$", re.IGNORECASE)


def pronoun_speakers(folder, details: bool, console: Console, half: str | None = None) -> dict[str, Any]:
    """Pronoun speakers of the gold quotes resolved to the right person (see the module docstring); `details`
    prints the misses of `half` only, when given."""
    n = found = right = 0
    for q in folder.gold.get("quotes") or []:
        m = _PRONOUN_SPEAKER.match(str(q.get("speaker") or ""))
        story = folder.stories.get(str(q.get("story")))
        if m is None or story is None:
            continue
        shown = details and (half is None or half_of(story.id) == half)
        pronoun, person = m.group(1).lower(), m.group(2).lower()
        spans = occurrences(story.article.text, q["text"])
        if not spans:
            continue
        n += 1
        near = [(min(abs(a.start - s), abs(a.start - e)), a) for a in story.result.actors
                for s, e in spans if a.kind == "pronoun" and a.text.lower() == pronoun
                and s - PRONOUN_WINDOW <= a.start <= e + PRONOUN_WINDOW]
        if not near:
            if shown:
                console.print(f"[{q['story']}] pronoun: '{m.group(0)}' for '{q['text'][:40]}' got nothing", markup=False)
            continue
        found += 1
        chosen = min(near, key=lambda x: x[0])[1]
        ok = any(len(w) >= 3 and w in person for w in (chosen.name or "").lower().split())
        right += ok
        if shown and not ok:
            console.print(f"[{q['story']}] pronoun: '{m.group(0)}' got {chosen.name} ({chosen.code})", markup=False)
    return {"n": n, "found": round(ratio(found, n), 3), "right": round(ratio(right, n), 3)}


def run(path: str, limit: int | None = None, details: bool = False, half: str | None = None) -> dict[str, Any]:
    console = Console(stderr=True, highlight=False)
    figures = score(path, limit, details, console, half)
    for kind in KIND_NAMES:
        row = figures[kind]
        console.print(f"  {kind:14s} n {row['n']:4d}  found {row['found']:.3f}  country {row['country_acc']:.3f}  "
                      f"country+sector {row['country_sector_acc']:.3f}", markup=False)
    for h, row in figures["halves"].items():
        console.print(f"half {h}: {row['stories']} stories, n {row['n']}  found {row['found']:.3f}  country "
                      f"{row['country_acc']:.3f}  country+sector {row['country_sector_acc']:.3f}  (persons "
                      f"{row['persons']['country_acc']:.3f}/{row['persons']['country_sector_acc']:.3f})", markup=False)
    return finish("actors", figures, console)
