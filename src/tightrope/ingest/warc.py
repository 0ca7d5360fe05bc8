"""WARC (and ARC) web archives from news crawls: each HTML response record becomes one article.

Records are streamed with warcio (per-record gzip in .warc.gz is handled by warcio itself).
A truncated or corrupt archive keeps the articles read before the damage and reports one problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import FieldMap
from .html import article_from_html, decode_html
from .io import UnreadableFile, describe_error
from .limits import HTML_TO_TEXT_RATIO, ReadLimits, as_limits

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
HTML_TYPES = ("text/html", "application/xhtml")


def is_html_response(record: Any) -> bool:
    """A response (or ARC) record whose HTTP payload is HTML and whose status is a success."""
    if record.rec_type not in ("response", "resource"):
        return False
    headers = record.http_headers
    content_type = headers.get_header("Content-Type", "") if headers else record.rec_headers.get_header(
        "Content-Type", "")
    if not any(kind in (content_type or "").lower() for kind in HTML_TYPES):
        return False
    status = headers.get_statuscode() if headers else "200"
    return not status or str(status).startswith("2")


def decode_payload(payload: bytes, content_type: str | None) -> str:
    """The page's text in the charset its HTTP header (or its <meta>) names, else the UTF-8/cp1252 guess."""
    match = _CHARSET.search(content_type or "")
    return decode_html(payload, match.group(1) if match else None)


def read_payload(record: Any, limit: int) -> bytes:
    """At most limit + 1 bytes of the (de-chunked, decompressed) HTTP body: a 1 GB record is not loaded."""
    return record.content_stream().read(limit + 1)


def drain(record: Any) -> int:
    """Read the rest of the record so that a cut-off end shows up as bytes still owed; how many were read."""
    drained = 0
    while chunk := record.raw_stream.read(1 << 16):
        drained += len(chunk)
    return drained


def cut_short(record: Any) -> bool:
    """warcio stops quietly at the end of a truncated file; the record's Content-Length tells.

    A record whose header itself was cut has no length at all (warcio then reads no limit).
    """
    owed = getattr(record.raw_stream, "limit", None)
    return not isinstance(owed, int) or owed > 0


def trailing_junk(stream: Any, end: int) -> bool:
    """Bytes after the last whole record that are not whitespace: a record cut off in its header."""
    stream.seek(end)
    return bool(stream.read(4096).strip())


def record_article(
    record: Any, payload: bytes, where: str, fields: FieldMap, max_chars: int | None
) -> Article | InputProblem:
    """The record's page as an article (source 'path:record'); problems also name the page's URL."""
    url = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri")
    warc_date = record.rec_headers.get_header("WARC-Date") or record.rec_headers.get_header("archive-date")
    result = page_article(record, payload, where, fields, max_chars, url, warc_date_only(warc_date))
    if isinstance(result, InputProblem) and url:
        return InputProblem(f"{where} ({url})", result.reason)
    return result


def page_article(
    record: Any, payload: bytes, where: str, fields: FieldMap, max_chars: int | None,
    url: str | None, fallback_date: str | None,
) -> Article | InputProblem:
    limit = page_limit(max_chars)
    if len(payload) > limit:
        return InputProblem(where, f"HTML page over {limit:,} bytes ({HTML_TO_TEXT_RATIO}x --max-chars)")
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    try:
        html = decode_payload(payload, content_type)
    except UnreadableFile as exc:
        return InputProblem(where, str(exc))
    return article_from_html(html, where, fields, max_chars, url=url, fallback_date=fallback_date)


def page_limit(max_chars: int | None) -> int:
    return as_limits(max_chars).page_chars


def warc_date_only(value: str | None) -> str | None:
    """WARC-Date is '2024-03-05T10:00:00Z'; ARC dates are '20240305100000'."""
    if not value:
        return None
    if re.fullmatch(r"\d{14}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    return value


def read_warc(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    from warcio.archiveiterator import ArchiveIterator

    limits = as_limits(limits)
    max_chars = limits.max_chars
    n = 0
    pages = 0
    read = 0
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for n, record in enumerate(records, start=1):
                html = is_html_response(record)
                payload = read_payload(record, page_limit(max_chars)) if html else b""
                read += len(payload) + drain(record)
                if read > limits.max_file_bytes:
                    yield InputProblem(str(path), limits.file_problem(f"in record {n}"))
                    return
                if cut_short(record):
                    yield InputProblem(str(path), f"WARC cut short in record {n}; the {n - 1} records before it were read")
                    return
                if html:
                    pages += 1
                    yield record_article(record, payload, f"{path}:{n}", fields, max_chars)
            if n and trailing_junk(stream, records.offset):
                yield InputProblem(str(path), f"WARC cut short after record {n} (a partial record follows)")
                return
    except Exception as exc:  # warcio raises ArchiveLoadFailed, ValueError, zlib/EOF errors on damage
        state = f"after record {n}" if n else "at the start"
        yield InputProblem(str(path), f"WARC cut short or corrupt {state} ({describe_error(exc)})")
        return
    if n == 0:
        yield InputProblem(str(path), "empty WARC file (no records)")
    elif pages == 0:
        yield InputProblem(str(path), f"no HTML pages among {n} WARC records")
