"""nlp.py: the fast attribute-ruler matcher, name windows for the entity recogniser, selective parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacy.tokens import Doc
from thinc.api import NumpyOps

import tightrope
from tightrope.nlp import ArrayLemmatizer, FastRuleMatcher, join_docs, load_pipeline, name_windows, parse, parse_many

# Our own sentences, written to hit the ruler's special patterns (contractions, "I"/"you" by role,
# multi-token lemmas) as well as ordinary tagging.
SENTENCES = [
    "I told you we ain't gonna sign it, y'all know that.",
    "Let's wait: the minister said it was nothin' and he doin' fine.",
    "You and I met them in Geneva; they gave it to me and I thanked you.",
    "The talks, which were held on Tuesday, ended without a deal.\n\nOfficials gotta try again.",
    "C'mon, the delegation ol' friends said 'em were ready  to   talk.",
]


SAMPLE = Path(tightrope.__file__).parent / "sample"  # the bundled corpus, in our own words


@pytest.fixture(scope="module")
def pipelines():
    return load_pipeline(fast_rules=False), load_pipeline()


def test_fast_ruler_is_installed_and_matches_like_spacy(pipelines):
    slow, fast = pipelines
    slow_ruler, fast_ruler = slow.get_pipe("attribute_ruler"), fast.get_pipe("attribute_ruler")
    assert isinstance(getattr(fast_ruler.match, "__self__", None), FastRuleMatcher)
    assert not isinstance(getattr(slow_ruler.match, "__self__", None), FastRuleMatcher)
    hits = 0
    for text in SENTENCES:
        doc = slow(text, disable=["attribute_ruler", "lemmatizer", "ner"])
        expected, got = slow_ruler.match(doc), fast_ruler.match(doc)
        assert got == expected, text
        hits += len(got)
    assert hits > 40


def _every_annotation(doc: Doc) -> list[tuple]:
    return [(t.text, t.idx, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i,
             t.ent_iob_, t.ent_type_, t.is_sent_start, t.norm_) for t in doc]


def test_fast_pipeline_is_the_stock_model_token_for_token(pipelines):
    """numpy's BLAS, the array lemmatizer and the ruler's array writes change nothing but the time."""
    slow, fast = pipelines
    ruler, lemmatizer = fast.get_pipe("attribute_ruler"), fast.get_pipe("lemmatizer")
    assert isinstance(getattr(ruler.set_annotations, "__self__", None), FastRuleMatcher)
    assert isinstance(lemmatizer, ArrayLemmatizer) and not isinstance(slow.get_pipe("lemmatizer"), ArrayLemmatizer)
    for name in ("tok2vec", "ner"):
        ops = fast.get_pipe(name).model.ops
        assert isinstance(ops, NumpyOps) and not ops.use_blis
        assert slow.get_pipe(name).model.ops.use_blis
    texts = SENTENCES + [path.read_text(encoding="utf-8") for path in sorted(SAMPLE.glob("*.txt"))]
    assert len(texts) > 10
    tokens = 0
    for a, b in zip(slow.pipe(texts), fast.pipe(texts)):
        assert _every_annotation(a) == _every_annotation(b)
        tokens += len(a)
    assert tokens > 3000


def test_join_docs_is_from_docs(pipelines):
    _, fast = pipelines
    pieces = list(fast.pipe(["Pakistan's army chief met the US president.", "  ", "Talks ended on Friday. "]))
    joined = join_docs(pieces)
    expected = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])
    assert joined.text == expected.text
    assert _every_annotation(joined) == _every_annotation(expected)
    assert [(e.text, e.label_) for e in joined.ents] == [(e.text, e.label_) for e in expected.ents]


def test_fast_ruler_gives_identical_annotations(pipelines):
    slow, fast = pipelines
    for a, b in zip(slow.pipe(SENTENCES), fast.pipe(SENTENCES)):
        assert [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in a] == \
               [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in b]
    # a special pattern really applied: the multi-token lemma of "gonna"
    doc = fast("We're gonna talk.")
    assert [t.lemma_ for t in doc if t.lower_ in ("gon", "na")] == ["go", "to"]


def test_name_windows_cover_names_numbers_and_time_words():
    nlp = load_pipeline()
    doc = nlp.make_doc("the talks on water ended and Ada Obi left for home without any deal at all then")
    i = [t.text for t in doc].index("Ada")
    assert name_windows(doc, 2) == [(i - 2, i + 4)]  # "Ada" and "Obi" windows merge
    assert name_windows(nlp.make_doc("no names here at all"), 2) == []
    # a stop word capitalised because it opens a sentence or a quotation is no name; elsewhere it may be
    assert name_windows(nlp.make_doc("The talks ended. He left and \"They were late\" was all."), 1) == []
    doc = nlp.make_doc("the delegates from the US left")
    assert name_windows(doc, 1) == [(3, 6)]
    assert name_windows(nlp.make_doc("it was raised here last week by them all"), 1) == [(4, 7)]
    assert name_windows(nlp.make_doc("they said 40 people were hurt there"), 0) == [(2, 3)]
    doc = nlp.make_doc("Ada met them here after the long and slow talks ended , Obi said")
    assert name_windows(doc, 1) == [(0, 2), (len(doc) - 3, len(doc))]


def test_windowed_entities_match_a_full_pass():
    text = ("Foreign Minister Amara Okafor of Nigeria met her Ghanaian counterpart in Accra on Monday, "
            "and the two discussed a trade deal with the African Union.")
    full = parse(text, keep=lambda s: True)  # keep given: windowed by default
    whole = next(parse_many([text], keep=lambda s: True, windowed_ner=False))
    # names, places, organisations and dates as a full pass finds them (number words are not looked for)
    def named(doc):
        return [(e.text, e.label_) for e in doc.ents if e.label_ not in ("CARDINAL", "ORDINAL")]

    assert named(full) == named(whole)
    assert ("Monday", "DATE") in named(full)
    assert ("Amara Okafor", "PERSON") in [(e.text, e.label_) for e in full.ents]
    # tokens outside every entity are marked outside, as after a full pass
    assert {t.ent_iob_ for t in full if not t.ent_type_} == {"O"}


def test_unparsed_segments_have_no_entities_and_offsets_hold():
    text = "Nothing happened here at all.\nPresident Lena Varga said Hungary would respond."
    doc = parse(text, keep=lambda s: "said" in s)
    assert doc.text == text
    first = [t for t in doc if t.idx < text.index("\n")]
    assert all(t.dep_ in ("unparsed", "ROOT") and not t.ent_type_ for t in first)
    assert any(e.label_ == "PERSON" and "Varga" in e.text for e in doc.ents)
    for t in doc:
        assert text[t.idx:t.idx + len(t.text)] == t.text
