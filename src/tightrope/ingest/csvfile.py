"""CSV and TSV tables: one article per row, columns named by the header and the field map."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from ..records import Article, InputProblem
from .common import FieldMap
from .io import STREAM_ERRORS, UnreadableFile, describe_error, open_text
from .tables import article_from_row

# News bodies are long: the csv default (128 KiB) would reject real articles. make_article applies
# the real limit with a clear message; this only guards memory.
FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)
MAX_ROW_ERRORS = 1000  # past this many malformed rows the file is not a CSV: stop with one line


def row_problem(row: list[str], header: list[str]) -> str | None:
    """Why a data row does not fit the header, or None."""
    if len(row) != len(header):
        return f"row has {len(row)} fields, the header has {len(header)}"
    return None


def guess_delimiter(first_line: str, default: str) -> str:
    """Spreadsheet exports in many locales separate .csv columns with ';' (or tabs): judge by the header."""
    if default == "," and "," not in first_line:
        for other in (";", "\t", "|"):
            if other in first_line:
                return other
    return default


def iter_csv_rows(path: Path, delimiter: str) -> Iterator[tuple[int, list[str] | InputProblem]]:
    """(line where the record starts, fields or problem), going on past malformed records."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    with open_text(path) as stream:
        delimiter = guess_delimiter(stream.readline(1 << 16), delimiter)
        stream.seek(0)
        # strict: a quoted field left open at the end of the file (a cut file) is an error, not a short article
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, InputProblem(f"{path}:{start}", f"malformed CSV row ({exc})")
                continue
            yield start, row


def read_delimited(
    path: Path, fields: FieldMap, max_chars: int | None, delimiter: str
) -> Iterator[Article | InputProblem]:
    header: list[str] | None = None
    errors = 0
    line = 0
    try:
        for line, row in iter_csv_rows(path, delimiter):
            if isinstance(row, list) and not any(cell.strip() for cell in row):
                continue  # blank lines
            if header is None and isinstance(row, list):
                header = [cell.strip().lstrip("\ufeff") for cell in row]
                missing = fields.missing_text_column(header)
                if missing:
                    yield InputProblem(str(path), missing)
                    return
                continue
            if isinstance(row, list) and header is not None:
                problem = row_problem(row, header)
                if not problem:
                    yield article_from_row(dict(zip(header, row)), f"{path}:{line}", fields, max_chars)
                    continue
                row = InputProblem(f"{path}:{line}", problem)
            errors += 1
            if errors > MAX_ROW_ERRORS:
                yield InputProblem(str(path), f"stopped after {MAX_ROW_ERRORS} malformed rows: not a {delimiter!r}-separated table")
                return
            yield row
    except UnreadableFile as exc:
        yield InputProblem(str(path), str(exc))
        return
    except STREAM_ERRORS as exc:
        yield InputProblem(str(path), f"file cut short or corrupt after line {line} ({describe_error(exc)})")
        return
    if header is None:
        yield InputProblem(str(path), "empty CSV file (no header row)")


def read_csv(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    yield from read_delimited(path, fields, max_chars, ",")


def read_tsv(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    yield from read_delimited(path, fields, max_chars, "\t")
