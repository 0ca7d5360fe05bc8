"""CSV and TSV tables: one article per row, columns named by the header and the field map."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..records import Article, InputProblem
from .common import FieldMap
from .io import CHUNK_BYTES, STREAM_ERRORS, OverLimit, UnreadableFile, describe_error, open_text
from .limits import ReadLimits, as_limits
from .tables import article_from_row

MAX_ROW_ERRORS = 1000  # past this many malformed rows the file is not a CSV: stop with one line


class RecordTooLong(Exception):
    """A CSV record (one line, or several lines inside quotes) longer than the per-item limit."""


class RecordLines:
    """The lines the csv module parses, bounded. A record (one line, or several inside quotes) over
    the per-item limit is read on to its end in chunks (the newline after an even number of quote
    marks) and raises RecordTooLong; the csv reader then starts afresh on the next record. Reading
    past the per-file limit raises it too (with file_over set). Sizes count characters."""

    def __init__(self, stream: IO[str], max_record: int, max_file: int, quote: str = '"'):
        self.stream = stream
        self.max_record = max_record
        self.max_file = max_file
        self.quote = quote
        self.record = 0  # characters of the record being parsed
        self.quotes = 0  # quote marks in it: odd means a quoted field is still open
        self.total = 0  # characters read from the file
        self.count = 0  # lines read, oversized ones included (csv's line_num skips those)
        self.file_over = False

    def start_record(self) -> None:
        self.record = self.quotes = 0

    def __iter__(self) -> "RecordLines":
        return self

    def _physical_line(self) -> str | None:
        """The next line, or None when it is over the limit (then read to its end in chunks); '' at the end."""
        line = self.stream.readline(self.max_record + 1)
        size, quotes = len(line), line.count(self.quote)
        whole = len(line) <= self.max_record or line.endswith(("\n", "\r"))
        while not whole:
            chunk = self.stream.readline(CHUNK_BYTES)
            size += len(chunk)
            quotes += chunk.count(self.quote)
            whole = not chunk or chunk.endswith(("\n", "\r"))
            line = None
        if size:
            self.count += 1
            self.total += size
            self.record += size
            self.quotes += quotes
            if self.total > self.max_file:
                self.file_over = True
                raise RecordTooLong
        return line

    def __next__(self) -> str:
        line = self._physical_line()
        if line == "":
            raise StopIteration
        if line is None or self.record > self.max_record:
            while self.quotes % 2 and self._physical_line() != "":
                pass  # inside a quoted field: skip to the line that closes it
            self.start_record()
            raise RecordTooLong
        return line


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


def iter_csv_rows(path: Path, delimiter: str, limits: ReadLimits) -> Iterator[tuple[int, list[str] | InputProblem]]:
    """(line where the record starts, fields or problem), going on past malformed or oversized records."""
    # the record limit bounds every field; csv's own default (128 KiB) would reject real articles
    csv.field_size_limit(limits.item_bytes)
    with open_text(path) as stream:
        delimiter = guess_delimiter(stream.readline(1 << 16), delimiter)
        stream.seek(0)
        lines = RecordLines(stream, limits.item_bytes, limits.max_file_bytes)
        # strict: a quoted field left open at the end of the file (a cut file) is an error, not a short article
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        while True:
            start = lines.count + 1
            lines.start_record()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, InputProblem(f"{path}:{start}", f"malformed CSV row ({exc})")
                continue
            except RecordTooLong:
                if lines.file_over:
                    raise OverLimit(limits.file_problem(f"at line {lines.count}")) from None
                yield start, InputProblem(f"{path}:{start}", limits.item_problem("record", "characters"))
                continue
            yield start, row


def read_delimited(
    path: Path, fields: FieldMap, limits: ReadLimits, delimiter: str
) -> Iterator[Article | InputProblem]:
    header: list[str] | None = None
    errors = 0
    line = 0
    try:
        for line, row in iter_csv_rows(path, delimiter, limits):
            if isinstance(row, list) and not any(cell.strip() for cell in row):
                continue  # blank lines
            if header is None and isinstance(row, list):
                header = [cell.strip().lstrip("\ufeff") for cell in row]
                missing = fields.missing_text_column(header, fixed=True)
                if missing:
                    yield InputProblem(str(path), missing)
                    return
                continue
            if isinstance(row, list) and header is not None:
                problem = row_problem(row, header)
                if not problem:
                    yield article_from_row(dict(zip(header, row)), f"{path}:{line}", fields, limits.max_chars)
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


def read_csv(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    yield from read_delimited(path, fields, as_limits(limits), ",")


def read_tsv(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    yield from read_delimited(path, fields, as_limits(limits), "\t")
