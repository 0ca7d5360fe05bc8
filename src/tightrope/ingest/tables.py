"""Row-shaped sources: JSON Lines, JSON arrays/objects (CSV and Parquet: see readers below)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import DATE_FIELDS, OUTLET_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS, FieldMap, make_article
from .io import UnreadableFile, read_bytes, read_text


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


def read_jsonl(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    try:
        data = read_bytes(path)
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield InputProblem(where, f"malformed JSON ({exc.__class__.__name__}: {exc})")
            continue
        yield article_from_row(row, where, fields, max_chars)


def read_json(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    """A JSON array of articles, an object with an array under a key, or one article object."""
    try:
        data = json.loads(read_text(path))
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    except json.JSONDecodeError as exc:
        yield InputProblem(str(path), f"malformed JSON ({exc})")
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
