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
from .limits import DEFAULT_MAX_CHARS, in_date_window

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

    def missing_text_column(self, columns: Any, fixed: bool = False) -> str | None:
        """One line when the named --text-field is not among a table's columns, or (`fixed`: every row has
        these columns, as in a CSV or Parquet file) when none was named and no column has a usual text name:
        else every row fails with a message of its own."""
        shown = ", ".join(str(c) for c in list(columns)[:12]) or "none"
        if self.text and self.text not in columns:
            return f"no column '{self.text}' (--text-field); columns are: {shown}"
        if fixed and not self.text and "text" not in self.defaults and not any(c in columns for c in TEXT_FIELDS):
            return (f"no text column (looked for {', '.join(TEXT_FIELDS)}); columns are: {shown}; "
                    "name the text column with --text-field")
        return None

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


# control characters and lone surrogates (JSON "\\ud800" decodes to one; it cannot be encoded as UTF-8)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_DATE_CHARS = 100  # longer "dates" are prose or junk; dateparser is slow on them


def clean_text(text: str) -> str:
    """Drop NULs and control characters, normalise newlines; keep everything else as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def normalise_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from whatever the source wrote; None if unreadable, not a date, or
    outside the sane window (limits.EARLIEST_DATE..LATEST_DATE: year 1 or 9999 is junk, not news)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if in_date_window(value) else None
    if not isinstance(value, str):  # numbers, lists, objects: no safe reading
        return None
    return _normalise_date_text(value.strip())


def _checked(year: str, month: str, day: str) -> str | None:
    """The ISO date if it exists and lies in the window ("2024-13-45" and "0001-01-01" do not)."""
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value.isoformat() if in_date_window(value) else None


@lru_cache(maxsize=4096)
def _normalise_date_text(text: str) -> str | None:
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.match(r"(\d{4})-(\d{2})-(\d{2})[T ]\d", text)
    if m:
        return _checked(*m.groups())
    import dateparser

    try:
        parsed = dateparser.parse(
            clean_text(text), languages=["en"],
            settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except Exception:  # dateparser raises assorted errors (OverflowError, ValueError...) on junk
        return None
    return parsed.date().isoformat() if parsed and in_date_window(parsed.date()) else None


# The commonest English function words: in English news they are a third of all tokens, in other
# languages (even ones written in Latin script) a few per cent. Past the threshold we skip langid,
# which costs about 1 ms an article and dominated ingest time.
_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on it with as was said by at from he his has be are have an not "
    "this its but were they will who which their been had would".split()
)
ENGLISH_SHARE = 0.2


def looks_english(words: list[str]) -> bool:
    common = sum(1 for w in words if w.lower() in _ENGLISH_WORDS)
    return common >= ENGLISH_SHARE * len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid); None for texts too short to tell."""
    sample = text[:2000]
    words = sample.split()
    if len(words) < 5:
        return None
    if len(words) >= 40 and looks_english(words):
        return "en"
    import py3langid

    lang, _ = py3langid.classify(sample)
    return lang


def as_field_text(value: Any, limit: int = 1000) -> str | None:
    """A metadata field (title, outlet, url) as clean one-line text; None for missing or non-scalar."""
    if value is None or isinstance(value, (dict, list, tuple, set, bytes, bytearray)):
        return None
    text = " ".join(clean_text(str(value)[: limit * 4]).split())[:limit]
    return text or None


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
    title = as_field_text(title) or ""
    lang = detect_language(text)
    if lang not in (None, "en"):
        return InputProblem(where, f"language is '{lang}', not English")
    return Article(
        id=article_id(text),
        title=title,
        text=text,
        outlet=as_field_text(outlet, 300),
        published=normalise_date(published),
        url=as_field_text(url, 2000),
        language=lang or "en",
        source=where,
    )
