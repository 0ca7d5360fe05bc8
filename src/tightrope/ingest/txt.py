"""Plain text: the first non-empty line is the title, after an optional `key: value` header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .io import UnreadableFile, read_text
from .limits import ReadLimits, as_limits

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z_ -]{0,30}):\s*(.*)$")
_HEADER_KEYS = {
    "outlet": "outlet", "source": "outlet", "publisher": "outlet",
    "published": "published", "date": "published", "url": "url", "link": "url", "title": "title",
}


def parse_txt(text: str) -> dict[str, str]:
    """Split a text file into header fields, title and body."""
    lines = text.replace("\r\n", "\n").split("\n")
    fields: dict[str, str] = {}
    i = 0
    # A header block is a run of known `key: value` lines at the top, ended by a blank line.
    while i < len(lines):
        m = _HEADER_LINE.match(lines[i].strip())
        if not m or m.group(1).strip().lower() not in _HEADER_KEYS:
            break
        fields[_HEADER_KEYS[m.group(1).strip().lower()]] = m.group(2).strip()
        i += 1
    if fields and i < len(lines) and lines[i].strip():
        # not a real header (e.g. "Date: ..." inside prose): treat everything as body
        fields, i = {}, 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if "title" not in fields and i < len(lines):
        fields["title"] = lines[i].strip()
        i += 1
    fields["text"] = "\n".join(lines[i:]).strip()
    return fields


def read_txt(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    limits = as_limits(limits)
    max_chars = limits.max_chars
    try:
        # a UTF-8 character takes at most 4 bytes: more bytes than that is surely too long (a .gz is
        # read no further than that, however far it would expand)
        raw = read_text(path, limits.text_file_bytes,
                        f"text over {limits.text_file_bytes:,} bytes, surely over the limit of {max_chars:,} "
                        "characters (--max-chars)")
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    parts = parse_txt(raw)
    body = parts.get("text") or ""
    yield make_article(
        body, str(path), title=parts.get("title"),
        outlet=parts.get("outlet") or fields.defaults.get("outlet"),
        published=parts.get("published"), url=parts.get("url"), max_chars=max_chars,
    )
