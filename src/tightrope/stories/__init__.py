"""Stories: group articles from different outlets into stories, and compare how each outlet tells one.

Public API (the CLI and the web app call these):

    group_store(db_path) -> list[Story]         assign new stored articles to stories, write the tables
    list_stories(store, order="size"|"recent")  {id, articles, outlets, size, start, end, headline}
    story_comparison(store, story_id) -> dict   {id, title, articles, shared, only_in, conflicts,
                                                 quote_variants, corroboration, entities, tone, ...}
    group_articles(articles) -> list[list[str]] pure grouping of Article/ArticleResult (the benchmark's)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..store import Store
from .compare import compare_results, tone
from .grouping import Grouper, GroupingParams, group_articles
from .storage import Story, group_store, list_stories, story_headline, story_results

__all__ = [
    "Grouper", "GroupingParams", "Story", "compare_results", "group_articles", "group_store",
    "list_stories", "story_comparison", "tone",
]


def story_comparison(store: Store | str | Path, story_id: str) -> dict[str, Any] | None:
    """The comparison of one stored story (see compare.compare_results), or None if there is no such story."""
    results = story_results(store, story_id)
    if not results:
        return None
    return compare_results(results, story_id, title=story_headline(store, story_id))
