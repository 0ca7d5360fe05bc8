"""Row-shaped JSON sources: JSON Lines and JSON arrays/objects (CSV: csvfile.py, Parquet: parquet.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import DATE_FIELDS, OUTLET_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS, FieldMap, make_article
from .io import (STREAM_ERRORS, LineTooLong, UnreadableFile, bounded_lines, describe_error, looks_binary, open_binary,
                 read_head, read_text, utf16_codec)
from .limits import ReadLimits, as_limits


def article_from_row(row: Any, where: str, fields: FieldMap, max_chars: int | None) -> Article | InputProblem:
    """One table row (a dict) as an article, using the field map and the usual column names."""
    if not isinstance(row, dict):
        return InputProblem(where, f"row is {type(row).__name__}, not an object")
    return make_article(
        fields.pick(row, "text", TEXT_FIELDS), where,
        title=fields.pick(row, "title", TITLE_FIELDS),
        outlet=fields.pick(row, "outlet", OUTLET_FIELDS),
        published=fields.pick(row, "published", DATE_FIELDS),
        url=fields.pick(row, "url", URL_FIELDS),
        max_chars=max_chars,
    )


def parse_json_line(line: bytes | str, where: str) -> Any:
    """One JSON Lines row, or an InputProblem saying why it is not one."""
    if (b"\x00" if isinstance(line, bytes) else "\x00") in line:
        return InputProblem(where, "NUL bytes in line: binary data, not JSON")
    try:
        return json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return InputProblem(where, f"malformed JSON ({describe_error(exc)})")
    except RecursionError:
        return InputProblem(where, "malformed JSON (nested too deeply)")


MAX_BAD_LINES = 1000  # past this many malformed lines the file is not JSON Lines: stop with one line


@contextmanager
def json_lines(path: Path, codec: str | None, max_line: int) -> Iterator[Iterator[bytes | str | LineTooLong]]:
    """The file's lines, none over max_line: bytes for UTF-8 (json reads them as they are), text for UTF-16."""
    with open_binary(path) as raw:
        if codec is None:
            yield bounded_lines(raw, max_line)
            return
        with io.TextIOWrapper(raw, encoding=codec, errors="replace") as text:
            yield bounded_lines(text, max_line)


def read_jsonl(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    """One article per line, streamed (a gzip cut short keeps the rows before the cut)."""
    limits = as_limits(limits)
    n = 0
    bad = 0
    read = 0
    seen_object = False
    try:
        head = read_head(path)
        codec = utf16_codec(head)  # UTF-16 (with or without a byte-order mark) is text, not binary
        if codec is None and looks_binary(head):  # one problem for a binary file, not one per "line"
            yield InputProblem(str(path), "binary file, not text")
            return
        with json_lines(path, codec, limits.item_bytes) as lines:
            for n, line in enumerate(lines, start=1):
                where = f"{path}:{n}"
                if isinstance(line, LineTooLong):
                    read += line.size
                    yield InputProblem(where, limits.item_problem("line"))
                else:
                    read += len(line)
                if read > limits.max_file_bytes:
                    yield InputProblem(str(path), limits.file_problem(f"at line {n}"))
                    return
                if isinstance(line, LineTooLong) or not line.strip():
                    continue
                row = parse_json_line(line, where)
                if isinstance(row, InputProblem):
                    bad += 1
                    if bad > MAX_BAD_LINES:
                        yield InputProblem(str(path), f"stopped after {MAX_BAD_LINES} malformed lines: not JSON Lines")
                        return
                    yield row
                    continue
                if isinstance(row, dict) and not seen_object:
                    seen_object = True
                    missing = fields.missing_text_column(row.keys())
                    if missing:  # the file's rows share their keys: say it once, not once per row
                        yield InputProblem(str(path), f"{missing} (first row)")
                        return
                yield article_from_row(row, where, fields, limits.max_chars)
    except STREAM_ERRORS as exc:
        yield InputProblem(str(path), f"file cut short or corrupt after line {n} ({describe_error(exc)})")


def read_json(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    """A JSON array of articles, an object with an array under a key, or one article object."""
    limits = as_limits(limits)
    max_chars = limits.max_chars
    try:
        data = json.loads(read_text(
            path, limits.max_document_bytes,
            f"JSON file over {limits.max_document_bytes:,} bytes, the limit for a file read whole "
            "(max_document_bytes); JSON Lines (.jsonl) is read line by line with no such limit"))
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            # one object per line saved as .json: read it as the JSON Lines it is
            yield from read_jsonl(path, fields, limits)
            return
        yield InputProblem(str(path), f"malformed JSON ({exc})")
        return
    except RecursionError:
        yield InputProblem(str(path), "malformed JSON (nested too deeply)")
        return
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        rows = lists[0] if lists and fields.pick(data, "text", TEXT_FIELDS) is None else [data]
    elif isinstance(data, list):
        rows = data
    else:
        yield InputProblem(str(path), "JSON holds neither an article object nor a list of them")
        return
    for n, row in enumerate(rows, start=1):
        yield article_from_row(row, f"{path}:{n}" if len(rows) > 1 else str(path), fields, max_chars)
