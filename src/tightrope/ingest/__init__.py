"""Ingest: turn files of many formats into `Article` records.

`read_paths` walks files and folders and dispatches each file to the reader for its format
(one small module per format). Readers yield `Article` or `InputProblem`; nothing here raises
for bad input, so one broken file never stops a run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .formats import reader_for

__all__ = ["FieldMap", "make_article", "read_paths", "iter_files", "Article", "InputProblem"]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputProblem]:
    """Files under the given paths, folders walked in sorted order (hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield InputProblem(str(path), "no such file or folder")


def read_paths(
    paths: Iterable[str | Path], fields: FieldMap | None = None, max_chars: int | None = None
) -> Iterator[Article | InputProblem]:
    """Articles (and problems) from files and folders, in a deterministic order."""
    fields = fields or FieldMap()
    for item in iter_files(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        reader = reader_for(item)
        if reader is None:
            yield InputProblem(str(item), f"unsupported file type {item.suffix or '(none)'}")
            continue
        try:
            yield from reader(item, fields, max_chars)
        except Exception as exc:  # a reader bug or an unforeseen format error: name the file, go on
            yield InputProblem(str(item), f"could not read: {type(exc).__name__}: {exc}")
