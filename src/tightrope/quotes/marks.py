"""Direct quotes on the raw text: the passages between quotation marks, before any parse.

Marks are read on the text, not on tokens, because the tokenizer splits them inconsistently and a quote
may run over several sentences and paragraphs. The styles (quotes/data/quote_marks.tsv) are tried in
order; a passage already inside an earlier passage is left to it (a single-quoted passage inside a
double-quoted one is a quote within the quote, not a quote of its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .rules import default_quote_rules

# (open_mark_start, content_start, content_end, close_mark_end)
Marked = tuple[int, int, int, int]


def find_direct(text: str, styles: Sequence[tuple[re.Pattern, re.Pattern]] | None = None) -> list[Marked]:
    """(open_mark_start, content_start, content_end, close_mark_end) for every quoted passage, in text order.

    A quote whose paragraph ends without a closing mark goes on when the next paragraph opens with the
    same mark (the multi-paragraph convention); otherwise the opening mark is not a quote. Content is
    trimmed of the white space inside the marks; an empty passage is none.
    """
    found: list[Marked] = []
    for opening, closing in styles if styles is not None else default_quote_rules().quote_styles:
        pos = 0
        while True:
            m = opening.search(text, pos)
            if not m:
                break
            if any(o <= m.start() < c for o, _, _, c in found):
                pos = m.end()
                continue
            close, stop = _closing(text, m, opening, closing)
            if close is None:
                pos = m.end() if stop == -1 else max(m.end(), stop)
                continue
            o, cs, ce, cend = m.start(), m.end(), close.start(), close.end()
            if text[cs:ce].strip() and not any(o < c2 and o2 < cend for o2, _, _, c2 in found):
                while cs < ce and text[cs].isspace():
                    cs += 1
                while ce > cs and text[ce - 1].isspace():
                    ce -= 1
                found.append((o, cs, ce, cend))
            pos = cend
    found.sort()
    return found


def _closing(text: str, m: re.Match, opening: re.Pattern, closing: re.Pattern) -> tuple[re.Match | None, int]:
    """The closing mark of the passage opened by `m`, looking across paragraph breaks where the next
    paragraph reopens with the same mark; (None, position of the paragraph break that ended the search,
    or -1) when there is none."""
    j = m.end()
    while True:
        close = closing.search(text, j)
        newline = text.find("\n", j)
        if newline != -1 and (close is None or newline < close.start()):
            k = newline
            while k < len(text) and text[k].isspace():
                k += 1
            reopened = opening.match(text, k)
            if reopened and k > newline and text[k] == text[m.start()]:
                j = reopened.end()
                continue
            return None, newline
        return close, newline
