"""Candidate mentions: every dictionary form and role word in the text, in one pass of the lexicon's regex."""

from __future__ import annotations

from .lexicon import Entry, Lexicon, Role


class Match:
    """A lexicon match: a proper-name entry (`entry`) or a role word (`role`), never both."""

    __slots__ = ("start", "end", "text", "entry", "role")

    def __init__(self, start: int, end: int, text: str, entry: Entry | None, role: Role | None):
        self.start, self.end, self.text, self.entry, self.role = start, end, text, entry, role

    def __repr__(self) -> str:
        return f"Match({self.text!r}, {self.start}, {self.end})"


def lexicon_matches(text: str, lex: Lexicon) -> list[Match]:
    """Every lexicon form in `text`, left to right, longest first, not overlapping. The regex matches in any
    case; a match that only differs in case from a proper name ("the Kremlin" for "The Kremlin", "china") is
    shortened until it is a known form as written, or dropped."""
    out = []
    regex = lex.regex
    pos = 0
    while True:
        m = regex.search(text, pos)
        if m is None:
            return out
        found = lex.lookup(m.group())
        end = m.end()
        while found is None:
            shorter = regex.match(text, m.start(), end - 1) if end - 1 > m.start() else None
            if shorter is None:
                break
            end = shorter.end()
            found = lex.lookup(shorter.group())
        if found is None:
            pos = m.start() + 1
            continue
        if isinstance(found, Entry):
            out.append(Match(m.start(), end, text[m.start():end], found, None))
        else:
            out.append(Match(m.start(), end, text[m.start():end], None, found))
        pos = end
