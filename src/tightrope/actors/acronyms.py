"""Acronyms the text defines: "the National Congress Party (NCP)", "the Baloch Liberation Army, or BLA" —
every later "NCP" is the party, with its country and sector (resolved_by "coreference").

A definition is a body mention (an organisation, an international body, a named group, an outlet) followed by
its acronym in parentheses or after ", or"; the acronym's letters must be the initials of the name's words, in
order (some words may be skipped: "ISIS" for "Islamic State of Iraq and Syria"), so that "(AFP)" after a
ministry is no definition. The acronym's own mentions without a country take the body's; where the acronym is
no mention yet, it becomes one.
"""

from __future__ import annotations

import re

from .context import ArticleContext, make_actor, recode
from .kinds import ORG_KINDS

_WORD = re.compile(r"[\w’'\-]+")
_CONFIDENCE = 0.9  # the body's confidence is multiplied by this for its acronym


def acronym_of(acronym: str, name: str, article_start: re.Pattern) -> bool:
    """Whether `acronym`'s capital letters (and digits) are the initials of words of `name`, in order, starting
    with its first word after an article ("BLA" of "Baloch Liberation Army", "ISIS" of "Islamic State of Iraq
    and Syria"; not "AFP" of "the foreign ministry")."""
    letters = [c for c in acronym if c.isupper() or c.isdigit()]
    words = _WORD.findall(article_start.sub("", name))
    if len(letters) < 2 or not words or words[0][0].upper() != letters[0]:
        return False
    i = 0
    for w in words:
        if i < len(letters) and w[0].upper() == letters[i]:
            i += 1
    return i == len(letters)


def acronyms(ctx: ArticleContext) -> None:
    """Later mentions of an acronym the text defined are the body it stands for (module docstring)."""
    text = ctx.text
    defined: dict[str, object] = {}
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if m.kind not in ORG_KINDS or not (m.country or m.sector):
            continue
        dm = ctx.words.acronym_defined.match(text, m.end)
        if dm is None:
            continue
        acronym = dm.group(1) or dm.group(2)
        if acronym in defined or not any(acronym_of(acronym, n, ctx.words.article_start) for n in (m.name or "", m.text)):
            continue
        defined[acronym] = (m, dm.start(1) if dm.group(1) else dm.start(2))
    for acronym, (body, first) in defined.items():
        for am in re.finditer(r"(?<![\w.])" + re.escape(acronym) + r"(?![\w])", text[first:]):
            s, e = first + am.start(), first + am.end()
            near = ctx.overlapping(s, e)
            confidence = round((body.confidence or 0.8) * _CONFIDENCE, 3)
            if not near:
                ctx.add(make_actor(text, s, e, body.name, body.country, body.sector, body.kind, None, "coreference",
                                   confidence))
                continue
            same = [x for x in near if x.start == s and x.end == e and x.country is None and
                    x.kind in ORG_KINDS]
            for x in same:
                x.name, x.country = body.name, body.country
                x.sector = x.sector or body.sector
                x.resolved_by, x.confidence = "coreference", confidence
                recode(x)
