"""Tightrope: political event data, quotes and stories from news articles — local, offline, checkable.

The public Python API (the CLI and the web app are thin layers over it):

    import tightrope
    results = tightrope.extract_texts(["Washington imposed sanctions on Moscow on Monday."])
    summary = tightrope.extract_paths(["articles/"], db="tightrope.duckdb")
    store = tightrope.Store("tightrope.duckdb", read_only=True)

Settings (`tightrope.Settings`, `tightrope.load_settings`) are described in tightrope/config.py; the same
stages run as spaCy components (`nlp.add_pipe("tightrope_actors")`, see tightrope/extensions.py).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tightrope")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.1.0"

from .config import Settings, SettingsError, load_settings
from .ingest import FieldMap, read_paths
from .pipeline import RunSummary, StageError, extract_results, run_extract
from .records import Actor, Article, ArticleResult, Claim, Event, InputProblem, Quote


def __getattr__(name: str):
    # `tightrope.Store` on first use: importing DuckDB costs each coding worker process 24 MB it never uses
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(f"module 'tightrope' has no attribute {name!r}")


__all__ = [
    "Actor", "Article", "ArticleResult", "Claim", "Event", "FieldMap", "InputProblem", "Quote",
    "RunSummary", "Settings", "SettingsError", "StageError", "Store", "extract_articles", "extract_paths",
    "extract_texts", "load_settings", "read_paths", "__version__",
]


def extract_articles(articles, workers: int | None = None, actors_file: str | None = None,
                     settings: Settings | None = None, on_problem=None) -> list[ArticleResult]:
    """Code Article records (no store): actors, events, quotes and claims for each, in order.

    An article a stage failed on goes to `on_problem(InputProblem)` and is left out; without `on_problem`
    it raises `StageError`."""
    from .pipeline import extract_stream

    stream = extract_stream(list(articles), settings, on_problem=on_problem, workers=workers,
                            user_dictionary=actors_file)
    return [r for batch in stream for r in batch]


def extract_texts(texts, published: str | None = None, outlet: str | None = None,
                  settings: Settings | None = None) -> list[ArticleResult]:
    """Code plain strings as articles (the first line is not taken as a title)."""
    from .ingest import make_article

    articles = []
    for i, text in enumerate(texts):
        item = make_article(text, f"text:{i}", published=published, outlet=outlet)
        if isinstance(item, InputProblem):
            raise ValueError(str(item))
        articles.append(item)
    return extract_articles(articles, settings=settings)


def extract_paths(paths, db: str = "tightrope.duckdb", settings: Settings | None = None, **options) -> RunSummary:
    """Read files/folders, code new articles and store them in `db`; see pipeline.run_extract (options:
    settings by keyword, `fields`, `executor`, `on_problem`, ...)."""
    return run_extract(paths, db, settings, **options)
