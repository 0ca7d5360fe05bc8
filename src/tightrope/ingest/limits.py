"""What one input may cost, in one place: every reader enforces these while it reads, never after.

A file or item over a limit is refused with one line naming the file (and row) and the limit; the run
goes on with the next item. Memory stays bounded whatever a file claims or expands to: a gzip bomb is
read no further than the limit, an endless line is skipped in chunks, a temporary file stops growing.

`ReadLimits` carries the limits from the run's settings through `read_paths` to every reader. The
defaults are generous for real news data (a Common Crawl WARC is ~5 GB uncompressed; a news article
rarely passes 100,000 characters) and small next to the memory of a laptop.

Dates are bounded here too: a publication date or an event date outside [EARLIEST_DATE, LATEST_DATE]
is junk or a typo in news data, and arithmetic near year 1 or 9999 overflows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30

DEFAULT_MAX_CHARS = 2_000_000  # characters of one article's text (--max-chars)
DEFAULT_MAX_FILE_BYTES = 32 * GIB  # decompressed bytes read from one streamed file (JSONL, CSV, WARC)
DEFAULT_MAX_DOCUMENT_BYTES = 256 * MIB  # a file parsed whole: a .json array, an RSS/Atom feed
DEFAULT_MAX_TEMP_BYTES = 2 * GIB  # a .parquet.gz gunzipped to a temporary file (Parquet needs random access)

UTF8_BYTES_PER_CHAR = 4  # the most a character takes in UTF-8
JSON_BYTES_PER_CHAR = 12  # the most a character takes in JSON text (an emoji escaped: "\ud83d\ude00")
ROW_METADATA_BYTES = 1 * MIB  # title, url, outlet and other columns beside the text of one row
HTML_TO_TEXT_RATIO = 3  # an HTML page may hold this many characters of markup per character of text

EARLIEST_DATE = date(1800, 1, 1)
LATEST_DATE = date(2199, 12, 31)


@dataclass(frozen=True)
class ReadLimits:
    """The limits one run reads under. None for a derived limit means: follow `max_chars`."""

    max_chars: int = DEFAULT_MAX_CHARS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # one JSONL line or one CSV record, decompressed; default: room for max_chars escaped in JSON
    max_item_bytes: int | None = None
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_temp_bytes: int = DEFAULT_MAX_TEMP_BYTES

    @property
    def item_bytes(self) -> int:
        if self.max_item_bytes is not None:
            return self.max_item_bytes
        return JSON_BYTES_PER_CHAR * self.max_chars + ROW_METADATA_BYTES

    def item_problem(self, what: str, unit: str = "bytes") -> str:
        """Why an item (a JSONL line, a CSV record) over item_bytes was refused, naming the limit."""
        if self.max_item_bytes is not None:
            return f"{what} over the limit of {self.item_bytes:,} {unit} per item (max_item_bytes)"
        return (f"{what} over {self.item_bytes:,} {unit}: surely over the limit of {self.max_chars:,} characters "
                "(--max-chars)")

    def file_problem(self, where: str) -> str:
        return f"stopped {where}: over the limit of {self.max_file_bytes:,} bytes read from one file (max_file_bytes)"

    @property
    def text_file_bytes(self) -> int:
        """A .txt article: more bytes than this is surely over max_chars characters."""
        return UTF8_BYTES_PER_CHAR * self.max_chars

    @property
    def page_bytes(self) -> int:
        """An HTML page (a file or a WARC record's body)."""
        return UTF8_BYTES_PER_CHAR * HTML_TO_TEXT_RATIO * self.max_chars

    @property
    def page_chars(self) -> int:
        return HTML_TO_TEXT_RATIO * self.max_chars


def as_limits(value: ReadLimits | int | None) -> ReadLimits:
    """Readers take ReadLimits; a bare number is --max-chars (the older calling convention)."""
    if isinstance(value, ReadLimits):
        return value
    return ReadLimits(max_chars=value) if value else ReadLimits()


def with_max_chars(limits: ReadLimits | None, max_chars: int | None) -> ReadLimits:
    limits = limits or ReadLimits()
    return replace(limits, max_chars=max_chars) if max_chars else limits


def in_date_window(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def year_in_window(year: int) -> bool:
    return EARLIEST_DATE.year <= year <= LATEST_DATE.year
