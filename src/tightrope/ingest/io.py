"""Opening files: transparent gzip, decoding with a clear error for binary or mis-encoded data."""

from __future__ import annotations

import gzip
from pathlib import Path


class UnreadableFile(ValueError):
    """The file's bytes cannot be turned into text."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz (a truncated gzip raises UnreadableFile)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise UnreadableFile(f"broken gzip data ({exc})") from exc
    return data


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), then UTF-16 with BOM, then cp1252; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 20 + 1:
        raise UnreadableFile("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 or cp1252 text ({exc.reason} at byte {exc.start})") from exc
    return text


def read_text(path: Path) -> str:
    return decode(read_bytes(path))
