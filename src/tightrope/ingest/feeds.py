"""RSS and Atom feeds (feedparser): one article per entry, the feed's title as the outlet."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .html import html_fragment_to_text
from .io import UnreadableFile, describe_error, read_bytes
from .limits import ReadLimits, as_limits

# An .xml file is read as a feed only when its root element is one (sitemaps, TEI... are not articles).
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)[\s>/]")
SNIFF_BYTES = 4096


_FEED_END = re.compile(rb"</(?:[\w-]+:)?(rss|feed|RDF)>\s*$")


def cut_short(data: bytes) -> bool:
    """A feed that does not end with its root's closing tag was cut (download stopped, disk full)."""
    return not _FEED_END.search(data[-200:])


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_ROOT.search(data[:SNIFF_BYTES]))


def entry_html(entry: Any) -> str:
    """The fullest body an entry has: content (Atom / content:encoded), else summary/description."""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if value and value.strip():
            return value
    return entry.get("summary") or entry.get("description") or ""


def entry_date(entry: Any) -> str | None:
    """Published (or updated) date as ISO: feedparser's parsed struct first, the raw string second."""
    with warnings.catch_warnings():  # feedparser warns when it maps updated -> published for us
        warnings.simplefilter("ignore", DeprecationWarning)
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            parsed = entry.get(key)
            if parsed:
                try:
                    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
                except AttributeError:
                    continue
        return entry.get("published") or entry.get("updated")


def feed_problem(parsed: Any) -> str | None:
    """One line for a malformed feed (feedparser's 'bozo' flag), or None when it parsed cleanly."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    # a feed that merely declares a different encoding than it uses is still a good feed
    if exc is not None and type(exc).__name__ in ("CharacterEncodingOverride",):
        return None
    return f"malformed feed ({describe_error(exc) if exc else 'unknown error'})"


def read_feed_bytes(
    data: bytes, where: str, fields: FieldMap, max_chars: int | None
) -> Iterator[Article | InputProblem]:
    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is lenient, but its SAX/lxml layers can still raise
        yield InputProblem(where, f"malformed feed ({describe_error(exc)})")
        return
    problem = feed_problem(parsed)
    entries = parsed.get("entries") or []
    if problem:
        if entries and cut_short(data):
            # the entry open at the cut is incomplete: a shortened article would pass for the real one
            entries = entries[:-1]
            problem += "; cut short, the last entry dropped"
        kept = f"; {len(entries)} entries kept" if entries else ""
        yield InputProblem(where, problem + kept)
    elif not entries:
        yield InputProblem(where, "feed has no entries")
    outlet = (parsed.get("feed") or {}).get("title") or fields.defaults.get("outlet")
    for n, entry in enumerate(entries, start=1):
        text = html_fragment_to_text(entry_html(entry))
        yield make_article(
            text, f"{where}:{n}", title=entry.get("title"), outlet=outlet,
            published=entry_date(entry), url=entry.get("link"), max_chars=max_chars,
        )


def read_document(path: Path, limits: ReadLimits) -> bytes:
    """A feed's bytes (read whole: feedparser needs them), no more than limits.max_document_bytes."""
    return read_bytes(path, limits.max_document_bytes,
                      f"feed over {limits.max_document_bytes:,} bytes, the limit for a file read whole "
                      "(max_document_bytes)")


def read_feed(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    """An .rss/.atom file (or an .xml file whose root is a feed). Feeds are small: read whole."""
    limits = as_limits(limits)
    try:
        data = read_document(path, limits)
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    if not data.strip():
        yield InputProblem(str(path), "empty file")
        return
    yield from read_feed_bytes(data, str(path), fields, limits.max_chars)


def read_xml(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    """.xml: a feed is read as one; any other XML is named as unsupported."""
    limits = as_limits(limits)
    try:
        data = read_document(path, limits)
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    if not looks_like_feed(data):
        yield InputProblem(str(path), "XML file is not an RSS/Atom feed (unsupported XML)")
        return
    yield from read_feed_bytes(data, str(path), fields, limits.max_chars)
