"""User-facing messages as plain text: one line per problem, nothing in them interpreted.

Problem locations and reasons carry text from the input (file names, WARC URLs, CSV headers, JSON
keys). Printed with Rich markup on, a `[/quote]` in a URL raised MarkupError and stopped the run;
printed raw, a newline in a file name forged a second "skipped" line and an ANSI escape reached the
terminal. Here every message is a rich `Text` (never parsed for markup or emoji), and every control
character, line separator and bidirectional override in it is written as a visible escape (`\\n`,
`\\x1b`, `\\u202e`), so one problem is always exactly one line of what the input said.
"""

from __future__ import annotations

import unicodedata
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

# Format characters that reorder or hide what follows ("Trojan source"); other Cf characters (soft
# hyphen, zero-width joiner in emoji and Indic scripts) are harmless and kept.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    # Cc: C0/C1 controls, ESC and CSI (\x9b) among them; Zl/Zp: line/paragraph separators; Cs: lone surrogates
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in _BIDI_CONTROLS


def plain(value: Any) -> str:
    """`value` as one line of inert text: control characters and the like written as escapes."""
    text = str(value)
    if text.isprintable():  # the common case: nothing to escape (isprintable is False for all of the above)
        return text
    return "".join(_escape_char(ch) if _unsafe(ch) else ch for ch in text)


def problem_line(problem: Any, prefix: str = "skipped") -> str:
    """'skipped WHERE: REASON' for an InputProblem (anything with .where and .reason), as one safe line."""
    return f"{prefix} {plain(problem.where)}: {plain(problem.reason)}"


def print_line(console: Console, message: str, label: str | None = None, style: str = "yellow") -> None:
    """Print one message as plain text (`label` styled in front of it); the message is escaped here."""
    line = Text(label + " ", style=style) if label else Text()
    line.append(plain(message))
    console.print(line, soft_wrap=True, highlight=False)


def print_problem(console: Console, problem: Any, label: str = "skipped") -> None:
    """One line per problem: 'skipped WHERE: REASON', the label in yellow when the console has colour."""
    print_line(console, f"{plain(problem.where)}: {plain(problem.reason)}", label)


def write_problem(stream: TextIO, problem: Any, label: str = "skipped") -> None:
    """The same line for a plain stream (no Rich console at hand)."""
    stream.write(problem_line(problem, label) + "\n")
