"""Ingest: turn files of many formats into `Article` records.

`read_paths` walks files and folders and dispatches each file to the reader for its format
(one small module per format, chosen by suffix in formats.py; `.gz` of any format works):

  .txt .text            txt.py      first line = title, optional `key: value` header
  .json .jsonl .ndjson  tables.py   rows; FieldMap names the columns (--text-field, ...)
  .csv .tsv             csvfile.py  rows, streamed; `;`-separated .csv recognised
  .parquet              parquet.py  rows, one record batch at a time
  .html .htm .xhtml     html.py     trafilatura: main text, title, date, site name
  .rss .atom .xml       feeds.py    feedparser: one article per entry (.xml only when it is a feed)
  .warc .arc            warc.py     warcio: one article per HTML response record

Readers yield `Article` or `InputProblem`; nothing here raises for bad input, so one broken file
never stops a run. Every problem names the file (and row/record) with a one-line reason; a file
that yields nothing at all is named too. Articles over --max-chars are refused with a message.

What one input may cost is bounded while it is read (limits.py: decompressed bytes per file and per
item, line length, temporary files); a named pipe, socket or device in a folder is skipped with a
message, never opened.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .formats import reader_for
from .io import describe_error
from .limits import ReadLimits, with_max_chars

__all__ = ["FieldMap", "ReadLimits", "make_article", "read_paths", "read_file", "iter_files", "Article",
           "InputProblem"]

# What a folder entry is when it is neither a folder nor a regular file (opening a FIFO blocks for ever).
_SPECIAL_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def special_kind(path: Path) -> str | None:
    """'a named pipe (FIFO)' etc. for a path that is no regular file or folder; None otherwise."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):  # gone, unreadable, or a name no file can have (a NUL in it)
        return None
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), None)


def _hidden(child: Path, root: Path) -> bool:
    return child != root and any(part.startswith(".") for part in child.relative_to(root).parts)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputProblem]:
    """Files under the given paths, folders walked in sorted order (hidden files skipped); a named pipe,
    socket or device is named as a problem and never opened."""
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                children = sorted(p for p in path.rglob("*") if not p.is_dir() and not _hidden(p, path))
            elif path.is_file() or special_kind(path):
                children = [path]
            else:
                yield InputProblem(str(path), "no such file or folder")
                continue
        except OSError as exc:  # name too long, unreadable folder, symlink loop...
            yield InputProblem(str(path)[:300], f"cannot list: {describe_error(exc)}")
            continue
        for child in children:
            if child.is_file():
                yield child
                continue
            kind = special_kind(child)
            if kind:
                yield InputProblem(str(child), f"not a regular file: {kind}")
            # else a broken symlink or an entry gone since the listing: nothing to read


def read_paths(
    paths: Iterable[str | Path], fields: FieldMap | None = None, max_chars: int | None = None, *,
    limits: ReadLimits | None = None, strict: bool = False,
) -> Iterator[Article | InputProblem]:
    """Articles (and problems) from files and folders, in a deterministic order.

    `limits` bounds what one input may cost (limits.py; `max_chars`, when given, overrides its
    max_chars). `strict` lets an unexpected exception inside a reader propagate instead of becoming
    a one-line problem: for the fuzz tests, where it must count as a crash.
    """
    fields = fields or FieldMap()
    limits = with_max_chars(limits, max_chars)
    for item in iter_files(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        yield from read_file(item, fields, limits, strict=strict)


def read_file(
    path: Path, fields: FieldMap, limits: ReadLimits | int | None = None, *, strict: bool = False
) -> Iterator[Article | InputProblem]:
    """One file through its reader; a file that yields nothing at all is named too, so none goes unseen."""
    limits = limits if isinstance(limits, ReadLimits) else with_max_chars(None, limits)
    reader = reader_for(path)
    if reader is None:
        yield InputProblem(str(path), f"unsupported file type {path.suffix or '(none)'}")
        return
    try:
        if path.stat().st_size == 0:
            yield InputProblem(str(path), "empty file")
            return
    except OSError as exc:
        yield InputProblem(str(path), f"unreadable file ({describe_error(exc)})")
        return
    count = 0
    try:
        for item in reader(path, fields, limits):
            count += 1
            yield item
    except Exception as exc:  # a reader bug or an unforeseen format error: name the file, go on
        if strict:
            raise
        count += 1
        yield InputProblem(str(path), f"could not read ({describe_error(exc)})")
    if count == 0:
        yield InputProblem(str(path), "no articles in file")
