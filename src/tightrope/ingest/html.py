"""HTML pages: the article text and metadata (title, date, site name, url) via trafilatura.

`article_from_html` is shared with the WARC reader; `html_fragment_to_text` with the feed reader.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, InputProblem
from .common import FieldMap, make_article
from .io import UnreadableFile, decode, describe_error, read_bytes
from .limits import HTML_TO_TEXT_RATIO, ReadLimits, as_limits

# Pages much larger than the article limit are refused before parsing (trafilatura takes ~1 s per MB):
# limits.HTML_TO_TEXT_RATIO characters of page per character of article.
# trafilatura falls back to "all the text" on pages with no article (menus, index pages): a few words
# of navigation are not an article.
MIN_ARTICLE_WORDS = 15

# trafilatura logs every page it finds no article in; our InputProblem says it once, in our words.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def extract_page(html: str, url: str | None = None) -> dict[str, Any] | None:
    """trafilatura's main text and metadata as a dict, or None when the page holds no article."""
    import trafilatura

    result = trafilatura.extract(
        html, url=url, output_format="json", with_metadata=True,
        include_comments=False, include_tables=False, deduplicate=False,
    )
    if not result:
        return None
    return json.loads(result)


def drop_repeated_title(text: str, title: str | None) -> str:
    """trafilatura keeps the <h1> as the first line; the title is its own field, so drop the copy."""
    first, _, rest = text.strip().partition("\n")
    if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()):
        return rest
    return text


def too_big_html(html: str, max_chars: int | None) -> str | None:
    limit = as_limits(max_chars).page_chars
    if len(html) > limit:
        return f"HTML page has {len(html):,} characters, over {limit:,} ({HTML_TO_TEXT_RATIO}x --max-chars)"
    return None


def article_from_html(
    html: str, where: str, fields: FieldMap, max_chars: int | None = None,
    url: str | None = None, fallback_date: str | None = None,
) -> Article | InputProblem:
    """One page as an article; 'no article' pages (menus, indexes, empty bodies) as InputProblem."""
    problem = too_big_html(html, max_chars)
    if problem:
        return InputProblem(where, problem)
    if not html.strip():
        return InputProblem(where, "empty HTML page")
    try:
        page = extract_page(html, url)
    except Exception as exc:  # lxml/trafilatura errors on hostile markup
        return InputProblem(where, f"invalid HTML ({describe_error(exc)})")
    words = len((page or {}).get("text", "").split())
    if words < MIN_ARTICLE_WORDS:
        return InputProblem(where, f"HTML with no article text ({words} words found)")
    return make_article(
        drop_repeated_title(page["text"], page.get("title")), where,
        title=page.get("title"),
        # trafilatura's JSON names the site name "source-hostname"
        outlet=page.get("sitename") or page.get("source-hostname") or page.get("hostname")
        or fields.defaults.get("outlet"),
        published=page.get("date") or fallback_date,
        url=url or page.get("url") or page.get("source"),
        max_chars=max_chars,
    )


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]+)""", re.I)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Page bytes as text: the charset the server or the page's <meta> declares, else UTF-8/cp1252.

    Binary data is refused (UnreadableFile) whatever the page claims.
    """
    match = None if declared else _META_CHARSET.search(data[:4096])
    charset = declared or (match.group(1).decode("ascii", "replace") if match else None)
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            return decode(data)
        if "\x00" in text[:4096] and text[:4096].count("\x00") > 200:
            raise UnreadableFile("binary file, not text")
        return text
    return decode(data)


def read_html(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    limits = as_limits(limits)
    try:
        data = read_bytes(path, limits.page_bytes,
                          f"HTML page over {limits.page_bytes:,} bytes, surely over {limits.page_chars:,} characters "
                          f"({HTML_TO_TEXT_RATIO}x --max-chars)")
        html = decode_html(data)
    except (UnreadableFile, OSError) as exc:
        yield InputProblem(str(path), str(exc))
        return
    yield article_from_html(html, str(path), fields, limits.max_chars)


_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "template")


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of a short HTML snippet (feed summaries): scripts dropped, block tags become newlines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some junk outright (e.g. only control characters)
        return fragment
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
