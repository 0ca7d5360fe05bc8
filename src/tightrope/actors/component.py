"""`tightrope_actors`: the actors stage as a spaCy component.

    nlp.add_pipe("tightrope_actors", config={"user_dictionary": "my_actors.yaml",
                                             "data": {"people.yaml": "my_people.yaml"}})

Writes `doc._.actors` (list[Actor], text order) and `doc.spans["tightrope_actors"]` (one span per mention,
labelled with the actor's code or "UNRESOLVED"); reads `doc._.article` (made from the text when absent).
Config: `data` replaces packaged files of actors/data/ with the user's own (see `tightrope.langdata`);
`user_dictionary` is a YAML/CSV file adding or overriding entries (the CLI's `--actors`); `spans_key` is the
`doc.spans` key of the actor spans (None: no spans; Tightrope's own extract reads `doc._.actors` only).
"""

from pathlib import Path
from typing import Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import ACTOR_SPANS, UNRESOLVED, DataComponent, article_of
from . import load_lexicon, resolve_actors

DATA = Path(__file__).parent / "data"


class ActorsComponent(DataComponent):
    """Finds actor mentions and resolves each to whom it stands for."""

    folder = DATA
    extra_files = ("user_dictionary",)

    def __init__(self, name: str = "tightrope_actors", data: Optional[Dict[str, str]] = None,
                 user_dictionary: Optional[str] = None, spans_key: Optional[str] = ACTOR_SPANS):
        super().__init__(name, data)
        self.user_dictionary = user_dictionary
        self.spans_key = spans_key

    def load(self):
        packaged = not self.data.overrides and self.data.folder == DATA
        return load_lexicon(self.user_dictionary, None if packaged else self.data)

    def to_disk(self, path, exclude=()) -> None:
        """The data files, and the knowledge base (data/kb/, a user's kb/ overrides in place of the packaged
        files), so that a saved pipeline resolves actors as it did when it was saved."""
        from .words import kb_data

        super().to_disk(path, exclude)
        kb_data(self.data).to_disk(Path(path) / "data" / "kb")

    def __call__(self, doc: Doc) -> Doc:
        actors = resolve_actors(doc, article_of(doc), self.rules())
        doc._.actors = actors
        if self.spans_key:
            spans = []
            for actor in actors:
                span = doc.char_span(actor.start, actor.end, label=actor.code or UNRESOLVED, alignment_mode="expand")
                if span is not None and len(span):
                    spans.append(span)
            doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "tightrope_actors",
    default_config={"data": {}, "user_dictionary": None, "spans_key": ACTOR_SPANS},
    assigns=["doc._.actors", "doc._.article", f"doc.spans"],
)
def make_actors_component(nlp: Language, name: str, data: Dict[str, str], user_dictionary: Optional[str],
                          spans_key: Optional[str]) -> ActorsComponent:
    return ActorsComponent(name, data, user_dictionary, spans_key)
