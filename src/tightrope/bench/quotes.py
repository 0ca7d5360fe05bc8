"""`tightrope bench quotes PATH`: who said what on real news (a folder like ../shared/data/voa_events/).

Every story is coded from its raw text. A gold quote {story, text, speaker, speaker_country} is *found* when
a system quote's content, with curly quotes made straight and white space collapsed, contains the gold
`text` (normalised the same way), and *right* when one such quote's speaker has the gold country (null =
null), as the folder's README says. The gold lists at most ten quotes per story, so precision cannot be
read off it; quotes per story is printed instead (fewer, whole statements are better than many fragments).

Figures: n, found (content found), speaker_country_acc (found with the right speaker country, over all gold
quotes), quotes_per_story, and the causes of the misses (content not found; found, speaker without a country;
found, speaker with another country).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console

from . import finish
from .voa import coded, normalise, ratio


def score(path: str, limit: int | None = None, details: bool = False, console: Console | None = None) -> dict[str, Any]:
    console = console or Console(stderr=True, highlight=False)
    folder = coded(str(path), limit)
    n = found = right = 0
    causes = Counter()
    contents = {sid: [(normalise(q.text), q) for q in s.result.quotes] for sid, s in folder.stories.items()}
    for gold in folder.gold["quotes"]:
        sid = str(gold["story"])
        want = normalise(gold["text"])
        holding = [q for text, q in contents[sid] if want in text]
        n += 1
        if not holding:
            causes["content not found"] += 1
            if details:
                console.print(f"[{sid}] not found: '{gold['text']}' ({gold['speaker']})", markup=False)
            continue
        found += 1
        country = gold.get("speaker_country")
        if any((q.speaker.country if q.speaker else None) == country for q in holding):
            right += 1
            continue
        speakers = [q.speaker for q in holding]
        cause = ("found, no speaker" if all(s is None for s in speakers)
                 else "found, speaker without a country" if all(s is None or s.country is None for s in speakers)
                 else "found, speaker of another country")
        causes[cause] += 1
        if details:
            got = "; ".join(f"{s.text}={s.code}" if s else "-" for s in speakers)
            console.print(f"[{sid}] {cause}: '{gold['text']}' gold {gold['speaker']} = {country}; got {got}",
                          markup=False)
    n_quotes = sum(len(s.result.quotes) for s in folder.stories.values())
    return {
        "n": n, "found": round(ratio(found, n), 4), "speaker_country_acc": round(ratio(right, n), 4),
        "quotes_sys": n_quotes, "quotes_per_story": round(ratio(n_quotes, len(folder.stories)), 2),
        "causes": dict(causes.most_common()),
    }


def run(path: str, limit: int | None = None, details: bool = False) -> dict[str, Any]:
    console = Console(stderr=True, highlight=False)
    figures = score(path, limit, details, console)
    console.print(f"misses by cause: {figures['causes']}", markup=False)
    return finish("quotes", figures, console)
