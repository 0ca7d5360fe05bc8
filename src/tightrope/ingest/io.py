"""Opening files: transparent gzip, streaming, decoding with a clear error for binary or mis-encoded data."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Errors a (possibly gzipped) stream can raise half-way: truncated or corrupt compressed data.
STREAM_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)
SNIFF_BYTES = 64 * 1024


class UnreadableFile(ValueError):
    """The file's bytes cannot be turned into text."""


def is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def open_binary(path: Path) -> BinaryIO:
    """A binary stream of the file's content, gunzipped on the fly when it ends in .gz."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz (a truncated gzip raises UnreadableFile)."""
    data = path.read_bytes()
    if is_gzip(path):
        try:
            data = gzip.decompress(data)
        except (*STREAM_ERRORS,) as exc:
            raise UnreadableFile(f"broken gzip data ({describe_error(exc)})") from exc
    return data


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def oversize_problem(path: Path, max_chars: int, what: str = "file") -> str | None:
    """Refuse a plain file too big to hold an article under the limit, before reading a byte of it.

    A UTF-8 character takes at most 4 bytes, so more than 4 * max_chars bytes is surely over the limit.
    """
    if is_gzip(path):
        return None  # size unknown until decompressed; the article limit still applies later
    size = path.stat().st_size
    if size > 4 * max_chars:
        return f"{what} has {size:,} bytes, surely over the limit of {max_chars:,} characters (--max-chars)"
    return None


def looks_binary(sample: bytes) -> bool:
    """Many NUL or other control bytes (outside UTF-16) mean images, archives, executables: not text."""
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(b"\x00") > len(sample) // 20 + 1 or controls > len(sample) // 20 + 1


def sniff_encoding(sample: bytes) -> str:
    """The codec to read a stream with, judged from its first bytes; binary data is refused."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(sample):
        raise UnreadableFile("binary file, not text")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the end of the sample is still UTF-8
        if exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3:
            return "utf-8"
        return "cp1252"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), then UTF-16 with BOM, then cp1252; binary data is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"broken UTF-16 text ({exc.reason} at byte {exc.start})") from exc
    if looks_binary(data[:4096]):
        raise UnreadableFile("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        # cp1252 leaves five bytes undefined: the file is in some other encoding
        raise UnreadableFile(f"not UTF-8 or cp1252 text ({exc.reason} at byte {exc.start})") from exc


def read_text(path: Path) -> str:
    return decode(read_bytes(path))


def open_text(path: Path) -> io.TextIOWrapper:
    """A text stream for line/row readers: encoding sniffed from the start, undecodable bytes replaced.

    Raises UnreadableFile for binary files and broken gzip at the start.
    """
    raw = open_binary(path)
    try:
        buffered = io.BufferedReader(raw, SNIFF_BYTES) if not isinstance(raw, io.BufferedReader) else raw
        encoding = sniff_encoding(buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES])
    except STREAM_ERRORS as exc:
        raw.close()
        raise UnreadableFile(f"broken gzip data ({describe_error(exc)})") from exc
    except UnreadableFile:
        raw.close()
        raise
    # newline="" so that the csv module sees quoted newlines as written
    return io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of the (gunzipped) content, to judge what kind of file it is."""
    with open_binary(path) as stream:
        return stream.read(size)


def iter_lines(path: Path) -> Iterator[bytes]:
    """Lines of a (possibly gzipped) file as bytes, streamed; stream errors propagate to the caller."""
    with open_binary(path) as stream:
        yield from stream


def describe_error(exc: BaseException) -> str:
    """`Type: message` on one line, short enough for a summary."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
