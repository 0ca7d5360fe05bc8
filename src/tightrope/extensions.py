"""What Tightrope adds to a spaCy Doc, in one place, and what its components share.

Doc attributes (registered once, on import of this module):

    doc._.article   the `records.Article` the Doc was made from (id, title, outlet, published date, source).
                    Tightrope's own pipeline sets it; on a Doc of your own the first Tightrope component
                    makes one from `doc.text` (no title, no date).
    doc._.actors    list[Actor], set by `tightrope_actors`
    doc._.events    list[Event], set by `tightrope_events`
    doc._.quotes    list[Quote], set by `tightrope_quotes`
    doc._.claims    list[Claim], set by `tightrope_quotes`
    doc.spans["tightrope_actors"]   one span per actor mention, labelled with the actor's code
                    ("USAGOV", "IND", ...) or "UNRESOLVED"

`records.ArticleResult.from_doc(doc)` reads them back as one record.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from spacy.tokens import Doc

from .langdata import LanguageData
from .records import Article

DOC_ATTRIBUTES = ("article", "actors", "events", "quotes", "claims")
ACTOR_SPANS = "tightrope_actors"
UNRESOLVED = "UNRESOLVED"

for _name in DOC_ATTRIBUTES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def article_of(doc: Doc) -> Article:
    """The article behind `doc`: `doc._.article`, else one made from its text (and set on the Doc)."""
    article = doc._.article
    if article is None:
        from .ingest.common import article_id

        article = Article(id=article_id(doc.text), title="", text=doc.text, source="doc")
        doc._.article = article
    return article


def earlier(doc: Doc, attribute: str, needed_by: str, made_by: str):
    """`doc._.<attribute>`, or an error saying which component must come first."""
    value = getattr(doc._, attribute)
    if value is None:
        raise ValueError(f"{needed_by} reads doc._.{attribute}: add {made_by} before it in the pipeline")
    return value


class DataComponent:
    """A Tightrope component's language data: the packaged `folder`, each file overridable by a user's file
    (the component's `data` config), saved with `nlp.to_disk` and read back by `spacy.load`.

    Nothing is read at construction: a pipeline loaded on another machine gets its data from `from_disk`,
    not from the paths in its config. Subclasses load what they need in `load()` and keep it in
    `self.loaded`; that is the only state a component keeps."""

    folder: Path
    extra_files: tuple[str, ...] = ()  # other settings that are files, saved beside the data (by attribute name)

    def __init__(self, name: str, data: Mapping[str, str] | None = None):
        self.name = name
        self.data = LanguageData(self.folder, data or {})
        self.loaded = None

    def load(self):
        raise NotImplementedError

    def rules(self):
        """What `load()` made, made on first use."""
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.data.to_disk(path / "data")
        for attr in self.extra_files:
            user_file = getattr(self, attr)
            if user_file:
                shutil.copyfile(user_file, path / f"{attr}{Path(user_file).suffix}")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> DataComponent:
        path = Path(path)
        self.data = LanguageData(path / "data")
        for attr in self.extra_files:
            saved = sorted(path.glob(f"{attr}.*"))
            setattr(self, attr, str(saved[0]) if saved else None)
        self.loaded = None
        return self
