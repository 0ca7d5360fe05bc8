"""`tightrope bench quotes PATH`: who said what on real news (a folder like ../shared/data/voa_events/).

Every story is coded from its raw text. A gold quote {story, text, speaker, speaker_country} is *found* when
a system quote's content, with curly quotes made straight and white space collapsed, contains the gold
`text` (normalised the same way), and *right* when one such quote's speaker has the gold country (null =
null), as the folder's README says. The gold lists at most ten quotes per story, so precision cannot be
read off it; quotes per story is printed instead (fewer, whole statements are better than many fragments).

Figures: n, found (content found), speaker_country_acc (found with the right speaker country, over all gold
quotes), speaker_named (found with a speaker that names the gold speaker: the gold speaker's last capitalised word
— of the name in parentheses when the gold resolves a pronoun, "he (Wynter Mmolotsi)" — is a word of the speaker's
name or text; approximate, it tells the quotes stage's share of a miss from the actors stage's), quotes_per_story,
kinds (quotes per kind), and the causes of the misses (content not found; found, no speaker; found, speaker
without a country; found, speaker with another country), each split by whether the speaker was named right.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rich.console import Console

from . import finish
from .voa import coded, normalise, ratio


def score(path: str, limit: int | None = None, details: bool = False, console: Console | None = None) -> dict[str, Any]:
    console = console or Console(stderr=True, highlight=False)
    folder = coded(str(path), limit)
    n = found = right = named = 0
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
        is_named = any(names(q.speaker, gold["speaker"]) for q in holding)
        named += is_named
        if any((q.speaker.country if q.speaker else None) == country for q in holding):
            right += 1
            continue
        speakers = [q.speaker for q in holding]
        cause = ("found, no speaker" if all(s is None for s in speakers)
                 else "found, speaker without a country" if all(s is None or s.country is None for s in speakers)
                 else "found, speaker of another country")
        cause += " (speaker named)" if is_named else ""
        causes[cause] += 1
        if details:
            got = "; ".join(f"{s.text}={s.code}" if s else "-" for s in speakers)
            console.print(f"[{sid}] {cause}: '{gold['text']}' gold {gold['speaker']} = {country}; got {got}",
                          markup=False)
    n_quotes = sum(len(s.result.quotes) for s in folder.stories.values())
    kinds = Counter(q.kind for s in folder.stories.values() for q in s.result.quotes)
    return {
        "n": n, "found": round(ratio(found, n), 4), "speaker_country_acc": round(ratio(right, n), 4),
        "speaker_named": round(ratio(named, n), 4),
        "quotes_sys": n_quotes, "quotes_per_story": round(ratio(n_quotes, len(folder.stories)), 2),
        "kinds": {k: kinds[k] for k in sorted(kinds, key=str)},
        "causes": dict(sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*")


def names(speaker, gold_speaker: str) -> bool:
    """Whether a system speaker names the gold speaker: the gold's last capitalised word (in its parentheses
    when it has them) is a word of the speaker's name or text (case-insensitive)."""
    if speaker is None:
        return False
    inner = re.search(r"\(([^)]*)\)", gold_speaker)
    gold = inner.group(1) if inner else gold_speaker
    caps = _CAPITALISED.findall(gold)
    key = (caps[-1] if caps else (gold.split() or [""])[-1]).strip(".,’'").lower()
    words = set(re.findall(r"[\w'’-]+", f"{speaker.name or ''} {speaker.text}".lower()))
    return bool(key) and key in words


def run(path: str, limit: int | None = None, details: bool = False) -> dict[str, Any]:
    console = Console(stderr=True, highlight=False)
    figures = score(path, limit, details, console)
    console.print(f"misses by cause: {figures['causes']}", markup=False)
    return finish("quotes", figures, console)
