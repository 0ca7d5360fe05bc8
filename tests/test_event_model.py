"""The learned event model (events/candidates.py, proposals.py, confidence.py, train_candidates.py).

Sentences written by us for these tests; the data-backed ones skip without ../shared/data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from tightrope.events import extract_events, load_event_rules
from tightrope.events import proposals
from tightrope.events.candidates import candidates, type_features
from tightrope.langdata import LanguageDataError
from tightrope.records import Actor, Article

PUBLISHED = "2025-10-22"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="module")
def nlp():
    from tightrope.nlp import load_pipeline

    return load_pipeline()


def _actors(text: str, names: dict[str, str], kind: str = "country") -> list[Actor]:
    out = []
    for word, code in names.items():
        i = text.find(word)
        while i >= 0:
            out.append(Actor(text=word, start=i, end=i + len(word), name=word, country=code, code=code,
                             sector="GOV", kind=kind, entity=word))
            i = text.find(word, i + 1)
    return sorted(out, key=lambda a: a.start)


def _article(text: str) -> Article:
    return Article(id="t", title="", text=text, published=PUBLISHED)


def _rule_events(nlp, text, actors, monkeypatch):
    monkeypatch.setenv(proposals.MODEL_ENV, "none")
    return extract_events(nlp(text), actors, _article(text), min_confidence=0.0)


# --- candidates ----------------------------------------------------------------------------------------------


def test_candidates_are_ordered_pairs_of_a_sentence_with_the_path_between_them(nlp, monkeypatch):
    text = "Norway imposed sanctions on Chile. Peru stayed calm."
    actors = _actors(text, {"Norway": "NOR", "Chile": "CHL", "Peru": "PER"})
    events = _rule_events(nlp, text, actors, monkeypatch)
    doc = nlp(text)
    cands = candidates(doc, actors, PUBLISHED, events, load_event_rules())
    pairs = {(c.source.text, c.target.text if c.target else None) for c in cands}
    assert pairs == {("Norway", "Chile"), ("Chile", "Norway")}  # nothing across sentences, no lone Peru
    fwd = next(c for c in cands if c.source.text == "Norway")
    assert "frame:nsubj:impose:dobj" in fwd.features and "lca:impose" in fwd.features
    assert "order:st" in fwd.features and "samec" not in fwd.features
    # the rule event on this pair is a feature, and it is not on the reversed pair
    assert fwd.events and "rt:SANCTION" in fwd.features
    back = next(c for c in cands if c.source.text == "Chile")
    assert not back.events and "rt:none" in back.features and "rswap" in back.features
    assert fwd.start == 0 and back.start == 0
    words = type_features(fwd)
    assert "w:sanction" in words and "w:calm" not in words  # the clause's words only


def test_no_candidates_without_actors_and_none_for_a_stateless_pair(nlp, monkeypatch):
    text = "The committee met the board. Rebels attacked a village."
    assert candidates(nlp(text), [], PUBLISHED, [], load_event_rules()) == []
    actors = [Actor(text="committee", start=4, end=13, kind="group"), Actor(text="board", start=24, end=29,
                                                                             kind="group")]
    assert candidates(nlp(text), actors, PUBLISHED, [], load_event_rules()) == []


def test_a_saying_verb_above_the_clause_and_its_speaker(nlp, monkeypatch):
    text = "Norway said Chile attacked Peru."
    actors = _actors(text, {"Norway": "NOR", "Chile": "CHL", "Peru": "PER"})
    doc = nlp(text)
    cands = {(c.source.text, c.target.text): c for c in candidates(doc, actors, PUBLISHED, [], load_event_rules())
             if c.target is not None}
    inner = cands[("Chile", "Peru")].features
    assert "say1" in inner and "aspeaker" not in inner and "lcalex:ASSAULT" in inner
    outer = cands[("Norway", "Peru")].features
    assert "frame:nsubj:say:ccomp" in outer


# --- the linear models and the file --------------------------------------------------------------------------


def _toy_model(floor: float = 0.5) -> proposals.CandidateModel:
    dyad = proposals.LinearModel(["lca:impose", "rt:none"], np.array([[3.0, -1.0]]), np.array([-1.0]), ["event"])
    typer = proposals.LinearModel(["lca:impose", "w:sanction"], np.array([[2.0, 2.0], [0.0, 0.0]]),
                                  np.array([0.0, 0.0]), ["SANCTION", "CONSULT"])
    return proposals.CandidateModel(dyad, typer, np.array([0.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 0.5]), floor,
                                    {"toy": True})


def test_linear_model_equals_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    from tightrope.events.train_candidates import design, vocabulary

    rows = [["a", "b"], ["b", "c"], ["a", "c", "d"], ["d"], ["a", "a", "b"], ["c"]]
    y = ["X", "Y", "Z", "Y", "X", "Z"]
    vocab = vocabulary(rows, min_df=1)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(design(rows, vocab), y)
    mine = proposals.LinearModel(vocab, lr.coef_, lr.intercept_, list(lr.classes_))
    new = [["a", "d", "unknown"], [], ["c", "c"]]
    assert np.allclose(mine.proba(new), lr.predict_proba(design(new, vocab)))
    lb = LogisticRegression(C=1.0, solver="liblinear").fit(design(rows, vocab), [1, 0, 1, 0, 1, 0])
    binary = proposals.LinearModel(vocab, lb.coef_, lb.intercept_, ["event"])
    assert np.allclose(binary.binary_proba(new), lb.predict_proba(design(new, vocab))[:, 1])


def test_model_file_round_trip_is_byte_stable(tmp_path):
    model = _toy_model()
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    model.save(a)
    loaded = proposals.CandidateModel.load(a)
    loaded.save(b)
    assert a.read_bytes() == b.read_bytes()
    assert loaded.typer.classes == ["SANCTION", "CONSULT"] and loaded.floor == 0.5 and loaded.meta == {"toy": True}
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    np.savez(tmp_path / "other.npz", x=np.zeros(1))
    for bad in ("bad.npz", "other.npz"):
        with pytest.raises(LanguageDataError, match=f"{bad}: not a candidate model"):
            proposals.CandidateModel.load(tmp_path / bad)


def test_a_named_model_file_must_exist_and_none_means_the_rules(monkeypatch, tmp_path):
    """$TIGHTROPE_EVENT_MODEL with a typo must not silently benchmark the rules alone."""
    proposals._load.cache_clear()
    monkeypatch.setenv(proposals.MODEL_ENV, str(tmp_path / "missing.npz"))
    with pytest.raises(LanguageDataError, match="missing.npz: no such event model file"):
        proposals.load_candidate_model()
    monkeypatch.setenv(proposals.MODEL_ENV, "None")
    assert proposals.load_candidate_model() is None
    _toy_model().save(tmp_path / "toy.npz")
    monkeypatch.setenv(proposals.MODEL_ENV, str(tmp_path / "toy.npz"))
    assert proposals.load_candidate_model().meta == {"toy": True}
    proposals._load.cache_clear()


def test_binary_scores_sum_a_row_in_its_order_once_per_feature():
    """The sum runs in the row's order (a set's order changes between processes, and with it the last bits of
    the training script's output); a repeated feature counts once, an unknown one not at all."""
    w = [0.1, 0.2, 0.7, 1e-17]
    model = proposals.LinearModel(["a", "b", "c", "d"], np.array([w]), np.array([-0.3]), ["event"])
    for row in (["a", "b", "c", "d"], ["d", "c", "b", "a"], ["c", "a", "a", "x", "d"]):
        s = -0.3
        for f in dict.fromkeys(row):
            s += dict(zip("abcd", w)).get(f, 0.0)
        assert model.binary_proba([row])[0] == 1.0 / (1.0 + np.exp(-s))


def test_stack_keeps_rule_events_and_proposals_apart():
    rule = proposals.stack(False, 0.6, 0.5, 0.9)
    prop = proposals.stack(True, 0.0, 0.5, 0.9, rule_type=True)
    assert rule[0] == 1.0 and rule[4:] == [0.0, 0.0, 0.0, 0.0]
    assert prop[:4] == [0.0, 0.0, 0.0, 0.0] and prop[4] == 1.0 and prop[7] == 1.0
    p = proposals.stacked_probability([rule, prop], np.ones(8))
    assert ((0 < p) & (p < 1)).all()


# --- proposals and confidence in the detector --------------------------------------------------------------


def test_a_toy_model_proposes_what_the_rules_missed_with_a_full_event(nlp, monkeypatch, tmp_path):
    """A pair the rules leave (here the reversed one of a rule event is not it: the model's own pair) becomes an
    event with trigger, modality, date and PLOVER coding; nothing is proposed below the floor."""
    text = "Norway imposed sanctions on Chile on Monday."
    actors = _actors(text, {"Norway": "NOR", "Chile": "CHL"})
    path = tmp_path / "toy.npz"
    _toy_model(floor=0.5).save(path)
    monkeypatch.setenv(proposals.MODEL_ENV, str(path))
    proposals._load.cache_clear()
    try:
        events = extract_events(nlp(text), actors, _article(text), min_confidence=0.0)
        made = [e for e in events if e.rule == "candidates"]
        rules = [e for e in events if e.rule != "candidates"]
        assert rules and all(0.0 <= e.confidence <= 1.0 for e in events)
        # the toy dyad model likes 'lca:impose': the reversed pair Chile -> Norway, which no rule took, is proposed
        # (once: one event per sentence, countries and type), the rule's own pair is not proposed again
        assert [(e.source.text, e.target.text, e.type) for e in made] == [("Chile", "Norway", "SANCTION")]
        for e in made:
            assert e.trigger == "imposed" and e.cameo and e.quad and e.date_source in ("text", "published")
            assert e.type in ("SANCTION", "CONSULT") and e.confidence >= 0.5
        _toy_model(floor=1.0).save(path)
        proposals._load.cache_clear()
        events = extract_events(nlp(text), actors, _article(text), min_confidence=0.0)
        assert not [e for e in events if e.rule == "candidates"]
    finally:
        proposals._load.cache_clear()


def test_no_model_scores_by_the_rules(nlp, monkeypatch):
    from tightrope.events.confidence import rule_confidence

    monkeypatch.setenv(proposals.MODEL_ENV, "none")
    assert proposals.load_candidate_model() is None
    text = "Norway condemned Chile."
    events = extract_events(nlp(text), _actors(text, {"Norway": "NOR", "Chile": "CHL"}), _article(text),
                            min_confidence=0.0)
    assert events and all(e.rule != "candidates" for e in events)
    assert all(0.0 < e.confidence <= 1.0 for e in events)
    assert rule_confidence(events[0], 0.9, PUBLISHED) > 0


@pytest.mark.parametrize("text,names,absent", [
    # a place called by a name, a name-calling, stock-market 'attacks', a sale: no event of those types
    ("A small town in Peru called Hope was flooded.", {"Peru": "PER"}, {"CONSULT"}),
    ("Trump calls the Chinese cheaters.", {"Trump": "USA", "Chinese": "CHN"}, {"CONSULT"}),
    ("Shares fell in Japan as traders renewed their attacks on the yen.", {"Japan": "JPN"}, {"ASSAULT"}),
    ("Kenya sold only $165 billion of services to Peru.", {"Kenya": "KEN", "Peru": "PER"}, {"AID"}),
])
def test_the_default_detector_codes_no_event_the_rules_rightly_leave_out(nlp, text, names, absent):
    """At the default minimum confidence (what counts, series and exports use), with whatever candidate model is
    installed (none is packaged)."""
    events = extract_events(nlp(text), _actors(text, names), _article(text))
    assert not [e for e in events if e.type in absent]


# --- training ------------------------------------------------------------------------------------------------


def test_plv_rows_train_the_type_model_only():
    """PLV_train's sentences hold one marked event each, every pair in them a candidate: other conventions than
    real news, so they train the type model and never the dyad model."""
    from tightrope.events import train_candidates

    plv = train_candidates.Row(["x"], ["x"], [["AID"]], "plv", 0.3, dyad=False)
    voa = [train_candidates.Row(["y", "z"], ["y"], [], "s", 1.0),
           train_candidates.Row(["y"], ["y"], [["AID"]], "s", 1.0),
           train_candidates.Row(["y"], ["y", "v"], [["REQUEST"]], "s", 1.0)]
    dyad = train_candidates.fit_dyad([plv] * 3 + voa * 3)
    assert "x" not in dyad.vocab and "y" in dyad.vocab
    typer = train_candidates.fit_type([plv] * 3 + voa * 3)
    assert "x" in typer.vocab and set(typer.classes) == {"AID", "REQUEST"}
    assert "z" not in typer.vocab  # a candidate without gold event trains no type


@pytest.mark.slow
def test_fitting_is_deterministic_on_voa_stories(tmp_path):
    """Two fits of the dyad and type models and the scorer on the same stories give the same bytes."""
    from tightrope.events import train_candidates as tc

    if not (DATA / "voa_events" / "gold.yaml").is_file():
        pytest.skip("no ../shared/data/voa_events")
    stories = tc.voa_stories(DATA, None)[:6]
    rows = [r for s in stories for r in s.rows]
    digests = []
    for k in range(2):
        outputs = tc.held_out_outputs(stories, [], folds=3)
        _, vecs, rights, _ = tc.flat_outputs(stories, outputs)
        model = proposals.CandidateModel(tc.fit_dyad(rows), tc.fit_type(rows), tc.fit_stacker(vecs, rights), 1.0,
                                         {"k": 0})
        path = tmp_path / f"m{k}.npz"
        model.save(path)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert sum(1 for r in rows if r.gold) > 10  # the gold labelled some candidates
