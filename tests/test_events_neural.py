"""The neural PLOVER typer (events/neural.py): marking, shapes, labels, determinism.

The model tests skip when the optional [neural] deps, the base model package or the artifact are missing.
"""

from __future__ import annotations

import pytest

from tightrope.events import neural

PLV_CLASSES = {"ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONSULT", "COOPERATE", "MOBILIZE", "PROTEST",
               "REJECT", "REQUEST", "SANCTION", "SUPPORT", "THREATEN", "YIELD"}

SENTENCES = [  # our own sentences: (sentence, source, target)
    ("The foreign ministry of Ruritania sharply criticised Borduria over the border incident.",
     "The foreign ministry of Ruritania", "Borduria"),
    ("Russian troops shelled Ukrainian positions near the town overnight, killing four soldiers.", "Russian troops",
     "Ukrainian positions"),
    ("Ruritania pledged 20 million dollars in food assistance to flood victims in Borduria.", "Ruritania",
     "flood victims in Borduria"),
    ("The prime minister met his Bordurian counterpart in the capital on Tuesday.", "The prime minister",
     "his Bordurian counterpart"),
    ("Iran rejected the proposal put forward by the European Union.", "Iran", "the European Union"),
]


def test_marked_text_from_spans_and_from_tags():
    s, src, tgt = SENTENCES[0]
    out = neural.marked_text(s, src, tgt)
    assert out.startswith("@ The foreign ministry of Ruritania @ sharply")
    assert "# Borduria #" in out
    tagged = "<s>The foreign ministry of Ruritania</s> sharply criticised <t>Borduria</t> over the border incident."
    assert neural.marked_text(s, None, None, tagged) == out
    # a span that is not in the sentence is left unmarked; overlapping spans are marked once
    assert neural.marked_text("A met B.", "A", "Z") == "@ A @ met B."
    assert neural.marked_text("A met B.", "A met", "met B") == "@ A met @ B."


needs_model = pytest.mark.skipif(not neural.available(), reason="neural typer deps or artifact not installed")


@needs_model
def test_encode_finds_the_markers():
    enc = neural.encode([neural.marked_text(*SENTENCES[1])])
    ids, s, t = enc[0]
    assert 0 < s < t < len(ids)
    assert neural.encode(["no markers here"])[0][1:] == (0, 0)


@needs_model
def test_neural_typer_shapes_labels_and_determinism():
    import numpy as np

    model = neural.load_model()
    texts = [neural.marked_text(*x) for x in SENTENCES]
    p1 = model.predict_proba(texts)
    assert p1.shape == (len(texts), len(model.classes_))
    assert set(model.classes_) == PLV_CLASSES
    assert np.allclose(p1.sum(1), 1.0)
    # batching and order do not change a sentence's result
    p2 = model.predict_proba(texts[::-1])[::-1]
    assert np.allclose(p1, p2, atol=1e-5)
    assert np.allclose(model.predict_proba(texts[:1]), p1[:1], atol=1e-5)
    labels = model.predict(texts)
    assert all(lab in PLV_CLASSES for lab in labels)
    # clear cases (our own sentences): a criticism, an attack, a meeting, a refusal
    assert [labels[i] for i in (0, 1, 3, 4)] == ["ACCUSE", "ASSAULT", "CONSULT", "REJECT"]


@needs_model
def test_partial_last_layer_equals_full_layer():
    import numpy as np

    model = neural.load_model()
    enc = neural.encode([neural.marked_text(*x) for x in SENTENCES])
    ids, mask, s, t = neural.pad(enc, list(range(len(enc))))
    h = neural.embed(model.w, ids)
    for i in range(neural.N_LAYERS - 1):
        h = neural.layer(model.w, i, h, mask)
    full = neural.layer(model.w, neural.N_LAYERS - 1, h, mask)
    pos = neural.pool_positions(s, t)
    part = neural.layer(model.w, neural.N_LAYERS - 1, h, mask, pos)
    assert np.allclose(full[np.arange(len(enc))[:, None], pos], part, atol=1e-4)


@needs_model
def test_classify_event_typer_choice(monkeypatch):
    from tightrope.events.typer import classify_event

    sentence, src, tgt = SENTENCES[1]
    marked = neural.marked_text(sentence, src, tgt)
    (n_kind, n_prob), = neural.classify_marked([marked])
    linear = classify_event(sentence, src, tgt)
    assert classify_event(sentence, src, tgt, typer="linear") == linear
    kind, prob = classify_event(sentence, src, tgt, typer="neural")
    assert kind == n_kind == "ASSAULT" and prob == pytest.approx(n_prob) and prob != pytest.approx(linear[1])
    # the ensemble: the mean of both typers' probabilities (both say ASSAULT here)
    assert linear[0] == "ASSAULT"
    assert classify_event(sentence, src, tgt, typer="ensemble") == ("ASSAULT", pytest.approx((n_prob + linear[1]) / 2))
    # the environment does not choose the typer: the caller does
    monkeypatch.setenv("TIGHTROPE_TYPER", "neural")
    assert classify_event(sentence, src, tgt) == linear
