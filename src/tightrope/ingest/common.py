"""What every reader shares: field mapping, article ids, dates, language, size limits."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..records import Article, InputProblem

DEFAULT_MAX_CHARS = 2_000_000  # an article longer than this is refused with a message

# Column names tried in order for each field when reading tables (JSON, CSV, Parquet).
TEXT_FIELDS = ("text", "body", "content", "content_original", "article", "articleBody", "maintext")
TITLE_FIELDS = ("title", "headline", "name")
OUTLET_FIELDS = ("outlet", "source", "publisher", "site_name", "domain", "sitename")
DATE_FIELDS = ("published", "date", "date_publish", "publish_date", "pubdate", "datetime", "time")
URL_FIELDS = ("url", "link", "source_url", "uri")


@dataclass(frozen=True)
class FieldMap:
    """Which column holds which field; a named field wins over the built-in guesses."""

    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    # extra (column -> value) defaults applied to every article, e.g. an outlet for a folder
    defaults: dict[str, str] = field(default_factory=dict)

    def pick(self, row: dict[str, Any], name: str, guesses: tuple[str, ...]) -> Any:
        wanted = getattr(self, name)
        if wanted:
            return row.get(wanted)
        for key in guesses:
            value = row.get(key)
            if value not in (None, ""):
                return value
        return self.defaults.get(name)


def article_id(text: str) -> str:
    """Content hash: the same text (up to whitespace) always gets the same id."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop NULs and control characters, normalise newlines; keep everything else as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


@lru_cache(maxsize=4096)
def normalise_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) or datetime from whatever the source wrote; None if unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", text)
    if m:
        return m.group(1)
    import dateparser

    parsed = dateparser.parse(
        text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    )
    return parsed.date().isoformat() if parsed else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid); None for texts too short to tell."""
    sample = text[:2000]
    if len(sample.split()) < 5:
        return None
    import py3langid

    lang, _ = py3langid.classify(sample)
    return lang


def make_article(
    text: Any,
    where: str,
    title: Any = None,
    outlet: Any = None,
    published: Any = None,
    url: Any = None,
    max_chars: int | None = None,
) -> Article | InputProblem:
    """Validate one article's fields and build the record, or say in one line what is wrong."""
    if text is None:
        return InputProblem(where, "no text field")
    if not isinstance(text, str):
        return InputProblem(where, f"text is {type(text).__name__}, not a string")
    text = clean_text(text)
    if not text:
        return InputProblem(where, "empty text")
    limit = max_chars or DEFAULT_MAX_CHARS
    if len(text) > limit:
        return InputProblem(where, f"text has {len(text):,} characters, over the limit of {limit:,} (--max-chars)")
    title = clean_text(str(title)) if title not in (None, "") else ""
    lang = detect_language(text)
    if lang not in (None, "en"):
        return InputProblem(where, f"skipped: language is '{lang}', not English")
    return Article(
        id=article_id(text),
        title=title[:1000],
        text=text,
        outlet=clean_text(str(outlet)) or None if outlet not in (None, "") else None,
        published=normalise_date(published) if not isinstance(published, (int, float)) else None,
        url=str(url).strip() or None if url not in (None, "") else None,
        language=lang or "en",
        source=where,
    )
