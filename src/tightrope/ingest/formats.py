"""Which reader reads which file, by suffix (a trailing .gz is opened transparently)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap
from .limits import ReadLimits
from . import csvfile, feeds, html, parquet, tables, txt, warc

Reader = Callable[[Path, FieldMap, ReadLimits], Iterator["Article | InputProblem"]]

READERS: dict[str, Reader] = {
    ".txt": txt.read_txt,
    ".text": txt.read_txt,
    ".jsonl": tables.read_jsonl,
    ".ndjson": tables.read_jsonl,
    ".json": tables.read_json,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".xhtml": html.read_html,
    ".csv": csvfile.read_csv,
    ".tsv": csvfile.read_tsv,
    ".parquet": parquet.read_parquet,
    ".rss": feeds.read_feed,
    ".atom": feeds.read_feed,
    ".xml": feeds.read_xml,
    ".warc": warc.read_warc,
    ".arc": warc.read_warc,
}


def format_suffix(path: Path) -> str:
    """The suffix that names the format: 'a.jsonl.gz' -> '.jsonl'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def reader_for(path: Path) -> Reader | None:
    return READERS.get(format_suffix(path))
