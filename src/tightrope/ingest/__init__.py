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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .formats import reader_for
from .io import describe_error

__all__ = ["FieldMap", "make_article", "read_paths", "read_file", "iter_files", "Article", "InputProblem"]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputProblem]:
    """Files under the given paths, folders walked in sorted order (hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                children = sorted(p for p in path.rglob("*") if p.is_file())
            elif path.is_file():
                children = [path]
            else:
                yield InputProblem(str(path), "no such file or folder")
                continue
        except OSError as exc:  # name too long, unreadable folder, symlink loop...
            yield InputProblem(str(path)[:300], f"cannot list: {describe_error(exc)}")
            continue
        for child in children:
            if child == path or not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child


def read_paths(
    paths: Iterable[str | Path], fields: FieldMap | None = None, max_chars: int | None = None
) -> Iterator[Article | InputProblem]:
    """Articles (and problems) from files and folders, in a deterministic order."""
    fields = fields or FieldMap()
    for item in iter_files(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        yield from read_file(item, fields, max_chars)


def read_file(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    """One file through its reader; a file that yields nothing at all is named too, so none goes unseen."""
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
        for item in reader(path, fields, max_chars):
            count += 1
            yield item
    except Exception as exc:  # a reader bug or an unforeseen format error: name the file, go on
        count += 1
        yield InputProblem(str(path), f"could not read ({describe_error(exc)})")
    if count == 0:
        yield InputProblem(str(path), "no articles in file")
