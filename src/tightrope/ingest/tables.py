"""Row-shaped JSON sources: JSON Lines and JSON arrays/objects (CSV: csvfile.py, Parquet: parquet.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import DATE_FIELDS, OUTLET_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS, FieldMap, make_article
from .io import STREAM_ERRORS, UnreadableFile, describe_error, iter_lines, looks_binary, read_head, read_text


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


def parse_json_line(line: bytes, where: str) -> Any:
    """One JSON Lines row, or an InputProblem saying why it is not one."""
    if b"\x00" in line:
        return InputProblem(where, "NUL bytes in line: binary data, not JSON")
    try:
        return json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return InputProblem(where, f"malformed JSON ({describe_error(exc)})")
    except RecursionError:
        return InputProblem(where, "malformed JSON (nested too deeply)")


MAX_BAD_LINES = 1000  # past this many malformed lines the file is not JSON Lines: stop with one line


def read_jsonl(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    """One article per line, streamed (a gzip cut short keeps the rows before the cut)."""
    n = 0
    bad = 0
    seen_object = False
    try:
        if looks_binary(read_head(path)):  # one problem for a binary file, not one per "line"
            yield InputProblem(str(path), "binary file, not text")
            return
        for n, line in enumerate(iter_lines(path), start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
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
            yield article_from_row(row, where, fields, max_chars)
    except STREAM_ERRORS as exc:
        yield InputProblem(str(path), f"file cut short or corrupt after line {n} ({describe_error(exc)})")


def read_json(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    """A JSON array of articles, an object with an array under a key, or one article object."""
    try:
        data = json.loads(read_text(path))
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            # one object per line saved as .json: read it as the JSON Lines it is
            yield from read_jsonl(path, fields, max_chars)
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
