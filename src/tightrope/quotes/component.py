"""`tightrope_quotes`: the quotes and claims stage as a spaCy component (after `tightrope_actors`).

    nlp.add_pipe("tightrope_quotes")

Reads `doc._.actors` and `doc._.article`; writes `doc._.quotes` (list[Quote]) and `doc._.claims`
(list[Claim]). Config: `data` replaces packaged files of quotes/data/ with the user's own (see
`tightrope.langdata`).
"""

from pathlib import Path
from typing import Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import DataComponent, article_of, earlier
from . import extract_quotes, load_quote_rules

DATA = Path(__file__).parent / "data"


class QuotesComponent(DataComponent):
    """Who said what, and who disputes which claim."""

    folder = DATA

    def __init__(self, name: str = "tightrope_quotes", data: Optional[Dict[str, str]] = None):
        super().__init__(name, data)

    def load(self):
        packaged = not self.data.overrides and self.data.folder == DATA
        return load_quote_rules(None if packaged else self.data)

    def __call__(self, doc: Doc) -> Doc:
        actors = earlier(doc, "actors", self.name, "tightrope_actors")
        doc._.quotes, doc._.claims = extract_quotes(doc, actors, article_of(doc), self.rules())
        return doc


@Language.factory(
    "tightrope_quotes",
    default_config={"data": {}},
    requires=["doc._.actors"],
    assigns=["doc._.quotes", "doc._.claims"],
)
def make_quotes_component(nlp: Language, name: str, data: Dict[str, str]) -> QuotesComponent:
    return QuotesComponent(name, data)
