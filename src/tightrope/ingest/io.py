"""Opening files: transparent gzip, streaming, decoding with a clear error for binary or mis-encoded data."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

# Errors a (possibly gzipped) stream can raise half-way: truncated or corrupt compressed data.
STREAM_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1 << 20  # what one read takes from a stream whose size is not known


class UnreadableFile(ValueError):
    """The file's bytes cannot be turned into text."""


def is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def open_binary(path: Path) -> BinaryIO:
    """A binary stream of the file's content, gunzipped on the fly when it ends in .gz."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


class OverLimit(UnreadableFile):
    """More content than a limit allows; the message names the limit (and the setting that raises it)."""


def read_bytes(path: Path, limit: int, over: str) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz, read no further than `limit` bytes.

    More than `limit` raises OverLimit with the message `over` (which names the limit): a gzip bomb
    costs `limit` bytes of memory, never its expanded size. A truncated gzip raises UnreadableFile.
    """
    if not is_gzip(path) and path.stat().st_size > limit:
        raise OverLimit(over)  # refused before reading a byte
    chunks: list[bytes] = []
    size = 0
    try:
        with open_binary(path) as stream:
            while size <= limit:
                chunk = stream.read(min(CHUNK_BYTES, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (*STREAM_ERRORS,) as exc:
        raise UnreadableFile(f"broken gzip data ({describe_error(exc)})") from exc
    if size > limit:
        raise OverLimit(over)
    return b"".join(chunks)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def looks_binary(sample: bytes) -> bool:
    """Many NUL or other control bytes (outside UTF-16) mean images, archives, executables: not text."""
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(b"\x00") > len(sample) // 20 + 1 or controls > len(sample) // 20 + 1


_ASCII_TEXT = bytes([9, 10, 13, *range(32, 127)])
_CONTROLS = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for UTF-16 text written without a byte-order mark, else None.

    Text in a Latin script has a NUL as the high byte of (nearly) every character, and as the low byte
    letters, spaces and punctuation (ASCII, or Latin-1 letters such as 'é') but hardly any control
    character; binary data with many NULs does not keep both halves so regular.
    """
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    for codec, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        ascii_share = (half - len(low.translate(None, _ASCII_TEXT))) / half
        control_share = (half - len(low.translate(None, _CONTROLS))) / half
        if high.count(0) > 0.9 * half and control_share < 0.05 and ascii_share >= 0.1:
            return codec
    # Text of other scripts (CJK, or characters outside the Basic Multilingual Plane, written as surrogate
    # pairs) has no NUL high bytes: it is UTF-16 when it decodes strictly as such and a tenth of it is still
    # ASCII text (JSON or CSV punctuation, digits, spaces) with hardly a control character. Binary data
    # almost never decodes (a lone surrogate), and UTF-8 text decodes to code units far above ASCII.
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict_utf16(sample, codec)
        if text:
            ascii_text = sum(1 for ch in text if " " <= ch < "\x7f" or ch in "\t\n\r")
            controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r")
            if ascii_text >= 0.1 * len(text) and controls < 0.05 * len(text):
                return codec
    return None


def _strict_utf16(sample: bytes, codec: str) -> str | None:
    """`sample` decoded strictly, allowing a surrogate pair cut by its end; None when it is not UTF-16."""
    for cut in (sample, sample[:-2]):
        try:
            return cut.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def utf16_codec(sample: bytes) -> str | None:
    """The UTF-16 codec of text that starts with a UTF-16 byte-order mark or looks like UTF-16 without one."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_without_bom(sample)


def sniff_encoding(sample: bytes) -> str:
    """The codec to read a stream with, judged from its first bytes; binary data is refused."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    utf16 = utf16_codec(sample)
    if utf16:
        return utf16
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
    utf16 = utf16_codec(data[:4096])
    if utf16:
        try:
            return data.decode(utf16)
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


def read_text(path: Path, limit: int, over: str) -> str:
    return decode(read_bytes(path, limit, over))


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


class LineTooLong:
    """Stands in for a line longer than the limit, which was skipped (read in chunks, never held whole)."""

    def __init__(self, size: int):
        self.size = size  # the line's length (bytes or characters), at least the limit + 1


def skip_rest_of_line(stream: IO, newline: bytes | str) -> int:
    """Read on to the end of the current line in chunks; how much was skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(CHUNK_BYTES)
        skipped += len(chunk)
        if not chunk or chunk.endswith(newline):
            return skipped


def bounded_lines(stream: IO, max_line: int) -> Iterator[bytes | str | LineTooLong]:
    """The stream's lines (bytes or text), none longer than max_line: a longer one is skipped and
    stands as a LineTooLong, so an endless line costs max_line of memory, not its length."""
    newline: bytes | str | None = None
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if newline is None:
            newline = b"\n" if isinstance(line, bytes) else "\n"
        if len(line) > max_line and not line.endswith(newline):
            yield LineTooLong(len(line) + skip_rest_of_line(stream, newline))
            continue
        yield line


def describe_error(exc: BaseException) -> str:
    """`Type: message` on one line, short enough for a summary."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
