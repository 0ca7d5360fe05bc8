"""Tightrope as spaCy components on a user's own pipeline: registration by entry point, results on the Doc,
language data from the config and from disk, and the README's example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from tightrope.nlp import MODEL_NAMES
from tightrope.records import Actor, ArticleResult, Event

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = ("Washington imposed new sanctions on Moscow on Monday. "
        '"We will respond," said Russian Foreign Minister Sergei Lavrov. The weather was mild.')


def _model() -> str:
    for name in MODEL_NAMES:
        if spacy.util.is_package(name):
            return name
    pytest.skip("no English spaCy model installed")


@pytest.fixture(scope="module")
def model_name() -> str:
    return _model()


@pytest.fixture(scope="module")
def nlp(model_name):
    nlp = spacy.load(model_name)
    for name in ("tightrope_actors", "tightrope_events", "tightrope_quotes"):
        nlp.add_pipe(name)
    return nlp


def _events(doc) -> list[tuple]:
    return [(e.source.code if e.source else None, e.type, e.target.code if e.target else None)
            for e in doc._.events]


def test_components_code_a_users_own_docs(nlp):
    doc = nlp(TEXT)
    assert nlp.pipe_names[-3:] == ["tightrope_actors", "tightrope_events", "tightrope_quotes"]
    actors = doc._.actors
    assert all(isinstance(a, Actor) for a in actors)
    assert [(a.text, a.code) for a in actors][:2] == [("Washington", "USAGOV"), ("Moscow", "RUSGOV")]
    # one span per actor, labelled with its code, at the actor's offsets
    spans = doc.spans["tightrope_actors"]
    assert [(s.start_char, s.end_char, s.label_) for s in spans] == [(a.start, a.end, a.code or "UNRESOLVED")
                                                                     for a in actors]
    assert ("USAGOV", "SANCTION", "RUSGOV") in _events(doc)
    assert all(isinstance(e, Event) for e in doc._.events)
    sanction = next(e for e in doc._.events if e.type == "SANCTION")
    assert (sanction.cameo, sanction.intensity, sanction.quad) == ("16", -4.0, 4)  # the PLOVER table's row
    assert sanction.date is None  # a Doc of one's own has no publication date to read "Monday" against
    assert not any("weather" in e.sentence for e in doc._.events)
    assert [q.text for q in doc._.quotes] == ["We will respond,"]
    assert doc._.quotes[0].speaker.name == "Sergei Lavrov"
    # the article the components made from the text, and the result read back off the Doc
    result = ArticleResult.from_doc(doc)
    assert result.article.text == TEXT and result.article.published is None and result.article.id
    assert result.events == doc._.events and result.actors == actors and result.claims == doc._.claims


def test_an_article_on_the_doc_gives_the_date(nlp):
    from tightrope.ingest import make_article

    doc = nlp.make_doc(TEXT)
    doc._.article = make_article(TEXT, "t", published="2025-10-29")  # a Wednesday
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    sanction = next(e for e in doc._.events if e.type == "SANCTION")
    assert sanction.date == "2025-10-27"


def test_events_without_actors_before_them_is_a_clear_error(model_name):
    nlp = spacy.load(model_name, disable=["ner"])
    nlp.add_pipe("tightrope_events")
    with pytest.raises(ValueError, match="add tightrope_actors before it"):
        nlp("Washington imposed new sanctions on Moscow.")


@pytest.mark.slow
def test_factories_are_found_without_importing_tightrope(model_name):
    """The spacy_factories entry points: a fresh interpreter that only imports spaCy."""
    script = (f"import spacy, sys\nnlp = spacy.load({model_name!r})\nnlp.add_pipe('tightrope_actors')\n"
              "nlp.add_pipe('tightrope_events')\ndoc = nlp('Washington imposed new sanctions on Moscow.')\n"
              "print([e.type for e in doc._.events], 'tightrope' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("]")[0] == "['SANCTION'"


def test_to_disk_and_spacy_load_round_trip_with_a_user_dictionary(tmp_path, model_name):
    user = tmp_path / "mine.yaml"
    user.write_text("- name: Ruritania\n  country: RUR\n  kind: country\n", encoding="utf-8")
    nlp = spacy.load(model_name)
    nlp.add_pipe("tightrope_actors", config={"user_dictionary": str(user)})
    nlp.add_pipe("tightrope_events")
    nlp.add_pipe("tightrope_quotes")
    text = "Ruritania accused Moscow of meddling on Monday."
    before = nlp(text)
    assert "RUR" in {a.country for a in before._.actors}

    saved = tmp_path / "pipeline"
    nlp.to_disk(saved)
    assert (saved / "tightrope_events" / "data" / "plover.tsv").is_file()
    assert (saved / "tightrope_actors" / "user_dictionary.yaml").is_file()
    user.unlink()  # the saved pipeline carries its own copy
    loaded = spacy.load(saved)
    after = loaded(text)
    assert ArticleResult.from_doc(after).to_dict() == ArticleResult.from_doc(before).to_dict()
    assert "RUR" in {a.country for a in after._.actors}


def test_a_users_data_file_replaces_the_packaged_one(tmp_path, model_name):
    """A trigger list without 'impose'/'sanction(s)': the sanctions event is no longer coded as one."""
    from tightrope.events.component import DATA

    lines = (DATA / "triggers.tsv").read_text(encoding="utf-8").splitlines()
    dropped = [ln for ln in lines if re.match(r"(impose|sanction|sanctions)\t", ln)]
    assert dropped, "the packaged trigger list should hold the sanction triggers"
    mine = tmp_path / "my_triggers.tsv"
    mine.write_text("\n".join(ln for ln in lines if ln not in dropped) + "\n", encoding="utf-8")

    text = "Washington imposed new sanctions on Moscow on Monday."
    base = spacy.load(model_name)
    base.add_pipe("tightrope_actors")
    base.add_pipe("tightrope_events")
    assert ("USAGOV", "SANCTION", "RUSGOV") in _events(base(text))

    nlp = spacy.load(model_name)
    nlp.add_pipe("tightrope_actors")
    nlp.add_pipe("tightrope_events", config={"data": {"triggers.tsv": str(mine)}})
    assert "SANCTION" not in [t for _, t, _ in _events(nlp(text))]

    # saved and loaded, the pipeline keeps the user's list
    nlp.to_disk(tmp_path / "saved")
    mine.unlink()
    assert "SANCTION" not in [t for _, t, _ in _events(spacy.load(tmp_path / "saved")(text))]



def test_a_users_knowledge_base_file_travels_with_a_saved_pipeline(tmp_path, model_name):
    """A kb/ override is written with the pipeline (the knowledge base was not saved at all, so a loaded
    pipeline fell back to the packaged tables): loaded elsewhere, the component reads the user's table."""
    from tightrope.actors.component import DATA
    from tightrope.actors.words import kb_data

    packaged = (DATA / "kb" / "seats.tsv").read_text(encoding="utf-8")
    mine = tmp_path / "my_seats.tsv"
    users = "".join(ln + "\n" for ln in packaged.splitlines() if not ln.startswith("Kremlin\t"))
    mine.write_text(users, encoding="utf-8")
    assert users != packaged

    nlp = spacy.load(model_name)
    nlp.add_pipe("tightrope_actors", config={"data": {"kb/seats.tsv": str(mine)}})
    nlp.to_disk(tmp_path / "saved")
    mine.unlink()
    saved_kb = tmp_path / "saved" / "tightrope_actors" / "data" / "kb"
    assert (saved_kb / "seats.tsv").read_text(encoding="utf-8") == users
    assert (saved_kb / "people.tsv").read_bytes() == (DATA / "kb" / "people.tsv").read_bytes()
    loaded = spacy.load(tmp_path / "saved").get_pipe("tightrope_actors")
    assert kb_data(loaded.data).text("seats.tsv") == users

def test_unknown_data_file_is_named(model_name):
    nlp = spacy.load(model_name)
    nlp.add_pipe("tightrope_actors")
    with pytest.raises(Exception, match="no packaged data file named nosuch.txt"):
        nlp.add_pipe("tightrope_events", config={"data": {"nosuch.txt": "x.txt"}})


def test_readme_example_runs(model_name, capsys):
    """The README's 'Tightrope as spaCy components' example, run as written (the model name replaced by the
    installed one when the official package is missing)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Tightrope as spaCy components", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    if not spacy.util.is_package("en_core_web_sm"):
        code = code.replace('spacy.load("en_core_web_sm")', f'spacy.load("{model_name}")')
    exec(compile(code, "README.md", "exec"), {})
    # what the README says it prints
    assert capsys.readouterr().out.splitlines() == [
        "USAGOV SANCTION RUSGOV 16 -4.0",
        "[('Washington', 'USAGOV'), ('Moscow', 'RUSGOV'), ('Russian Foreign Minister Sergei Lavrov', 'RUSGOV')]",
        "Sergei Lavrov We will respond,"]
    assert "prints `USAGOV SANCTION RUSGOV 16 -4.0`" in section


def test_actor_spans_can_be_left_out_or_keyed_elsewhere(model_name):
    nlp = spacy.load(model_name)
    nlp.add_pipe("tightrope_actors", config={"spans_key": "people_and_states"})
    doc = nlp("Washington imposed new sanctions on Moscow.")
    assert "tightrope_actors" not in doc.spans
    assert [s.label_ for s in doc.spans["people_and_states"]] == ["USAGOV", "RUSGOV"]
    nlp.get_pipe("tightrope_actors").spans_key = None
    doc = nlp("Washington imposed new sanctions on Moscow.")
    assert not doc.spans and [a.code for a in doc._.actors] == ["USAGOV", "RUSGOV"]
