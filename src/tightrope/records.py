"""The typed records that flow through the pipeline, in one place.

Every stage is a function from records to records. Field names here are the public output
contract (see README "Output contract"): keep them stable, add fields freely.
Offsets (`start`, `end`) are always character offsets into `Article.text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = ("asserted", "negated", "planned", "hypothetical", "claimed")
# Where an event's date came from: a date expression of the text, the article's publication date, or nowhere.
DATE_SOURCES = ("text", "published", "none")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a source. `id` is a hash of the normalised text."""

    id: str
    title: str
    text: str
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as precise as the source says
    url: str | None = None
    language: str | None = None
    source: str | None = None  # where it was read: "path" or "path:row"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Where an actor's resolution came from: the knowledge base (a known person or body, on the article's date), a
# pattern of the text itself ("Sen. Jane Roe (D-Vt.)", "the Iraqi ambassador"), a dictionary entry or role word,
# an earlier mention of the same entity (a surname, title, pronoun or anaphor), or the context (the country of
# the sentence or the article).
RESOLVED_BY = ("kb", "pattern", "lexicon", "coreference", "context")


@dataclass(slots=True)
class Actor:
    """A mention in the text and whom it stands for.

    country: ISO 3166-1 alpha-3, an IGO code ("UNO", "NATO", ...) or None.
    sector: PLOVER/CAMEO agent type (GOV, MIL, BUS, REB, COP, JUD, LEG, MED, CVL, ...) or None.
    code: country + sector as one code ("USAGOV"), or the bare country/IGO code.
    kind: how it was recognised: country, capital, demonym, igo, organisation, group, person, pronoun, ...
    entity: a stable key for the person/organisation within the article (coreference chains share it).
    resolved_by: where the country/sector came from, one of RESOLVED_BY (None: nothing resolved).
    confidence: how sure that resolution is, 0..1 (None: nothing resolved).
    """

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    kind: str | None = None
    entity: str | None = None
    resolved_by: str | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    """Who did what to whom, with the sentence that says so."""

    source: Actor | None
    target: Actor | None
    type: str  # one of PLOVER_TYPES
    sentence: str
    start: int  # sentence offsets in the article text
    end: int
    trigger: str
    mode: str | None = None
    cameo: str | None = None  # CAMEO root code, two digits ("19")
    intensity: float | None = None  # Goldstein scale -10..+10
    quad: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    modality: str = "asserted"  # one of MODALITIES
    claimed_by: Actor | None = None
    date: str | None = None  # ISO date the event happened or is planned for
    location: str | None = None
    reciprocal: bool = False
    trigger_start: int | None = None
    trigger_end: int | None = None
    rule: str | None = None  # which rule or model decided the type
    confidence: float | None = None
    date_source: str | None = None  # one of DATE_SOURCES (None: made before events carried it)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


QUOTE_KINDS = ("direct", "indirect", "partial", "mixed")


@dataclass(slots=True)
class Quote:
    """One statement someone made. `start`/`end` cover its content, from the first part to the last.

    kind: direct (all of it between quotation marks), indirect (none of it), partial (a quoted fragment set in
    the reporter's words, "called it “a disgrace”"), mixed (reported speech with quoted parts, or an indirect
    statement continued by direct quotes). parts: the content's (start, end) ranges in text order, several when
    the statement is split ("“...,” she said, “...”"); `text` is their words joined by " … ".
    """

    text: str
    direct: bool
    cue: str | None
    speaker: Actor | None
    start: int
    end: int
    cue_start: int | None = None
    cue_end: int | None = None
    kind: str | None = None  # one of QUOTE_KINDS
    parts: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["parts"] = [list(p) for p in self.parts]  # as JSON has them: the same from a run and from the store
        return data


@dataclass(slots=True)
class Claim:
    """Attributed content that can be disputed: Trump claimed that ..., India disputes it."""

    claimer: Actor | None
    text: str
    cue: str | None
    start: int
    end: int
    modality: str = "claimed"
    disputed_by: list[Actor] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ArticleResult:
    """Everything Tightrope extracted from one article."""

    article: Article
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @classmethod
    def from_doc(cls, doc) -> ArticleResult:
        """The result a Doc holds after Tightrope's components ran on it (see `tightrope.extensions`): the
        article, its actors, events, quotes and claims (a component not in the pipeline leaves its list empty)."""
        attrs = doc._
        if attrs.article is None:
            raise ValueError("this Doc has no doc._.article: run the tightrope_actors component on it first")
        return cls(attrs.article, list(attrs.actors or ()), list(attrs.events or ()), list(attrs.quotes or ()),
                   list(attrs.claims or ()))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the output contract (one per article in `extract --json`)."""
        a = self.article
        return {
            "id": a.id,
            "title": a.title,
            "outlet": a.outlet,
            "published": a.published,
            "url": a.url,
            "language": a.language,
            "source": a.source,
            "actors": [m.to_dict() for m in self.actors],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A file, row or article that could not be used, with a one-line reason for the user.

    A stage that failed on one article is reported as one too (`InputProblem.stage_failed`): the article is
    not stored, so a rerun tries it again."""

    where: str  # "path" or "path:row", or "article <id> (<path:row>)"
    reason: str
    article_id: str | None = None  # set when a stage failed on an article
    stage: str | None = None  # "nlp", "actors", "events" or "quotes"

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    @classmethod
    def stage_failed(cls, article: Article, stage: str, error: BaseException) -> InputProblem:
        """`article 3f2a… (feed.jsonl:17): events stage failed: KeyError: 'x'`"""
        where = f"article {article.id}" + (f" ({article.source})" if article.source else "")
        message = (str(error).splitlines() or [""])[0]
        reason = f"{stage} stage failed: {type(error).__name__}" + (f": {message}" if message else "")
        return cls(where, reason, article.id, stage)
