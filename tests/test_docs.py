"""The documentation against the code (in the way of sqlite-utils' tests/test_docs.py): the README's output
contract against the records and the store schema, its configuration table against `config.Settings`, and the
PLOVER table against the code that uses it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from tightrope import config, plover
from tightrope.records import Actor, Article, ArticleResult, Claim, Event, Quote

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SRC = ROOT / "src" / "tightrope"


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _contract() -> dict[str, list[str]]:
    """{record: [field names]} from the output contract's code block (`name: {a, b: [...], c: actor, ...}`)."""
    block = _section("Output contract").split("```", 2)[1]
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^(\w+):\s+\{(.*?)\}\s*$", block, re.S | re.M):
        body = re.sub(r"\[[^\]]*\]", "", m.group(2))  # lists like [actor, ...]
        out[m.group(1)] = [f.split(":")[0].strip() for f in body.split(",") if f.strip()]
    return out


def _fields(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _columns() -> dict[str, list[str]]:
    import duckdb

    from tightrope.store import SCHEMA, TABLES

    con = duckdb.connect()
    con.execute(SCHEMA)
    try:
        return {t: [d[0] for d in con.execute(f"SELECT * FROM {t} LIMIT 0").description] for t in TABLES}
    finally:
        con.close()


def test_output_contract_names_every_field_of_the_records():
    contract = _contract()
    assert set(contract) == {"article", "actor", "event", "quote", "claim"}
    assert contract["actor"] == _fields(Actor)
    assert sorted(contract["event"]) == sorted(_fields(Event))
    assert contract["quote"] == _fields(Quote)
    assert contract["claim"] == _fields(Claim)
    article = Article(id="x", title="t", text="x")
    assert contract["article"] == list(ArticleResult(article).to_dict())


def test_store_schema_has_a_column_for_every_contract_field():
    columns = _columns()
    contract = _contract()
    assert set(contract["article"]) - {"actors", "events", "quotes", "claims"} <= set(columns["articles"])
    assert columns["mentions"] == ["article_id", "idx", *contract["actor"]]
    events = set(columns["events"])
    for name in contract["event"]:
        if name in ("source", "target"):
            assert {f"{name}_{a}" for a in contract["actor"]} <= events, name
        else:
            assert name in events, name
    assert set(contract["quote"]) <= set(columns["quotes"])
    assert set(contract["claim"]) - {"claimer"} <= set(columns["claims"]) and "claimer" in columns["claims"]


def test_readme_configuration_table_is_every_setting():
    rows = re.findall(r"^\| `\[(\w+)\]` \| `(\w+)` \|", _section("Configuration"), re.M)
    documented = {key for _, key in rows}
    settings = {f.name for f in dataclasses.fields(config.Settings)} - {"data"}
    assert documented == settings
    for section, key in rows:  # each key in the section the TOML reader expects it in
        assert key in config.TOML_SECTIONS[section], (section, key)
    assert "[actors.data]" in _section("Configuration")
    # and the module docstring, which `help(tightrope.config)` shows, names them too
    for key in settings:
        assert f"    {key} " in config.__doc__ or f"    {key}\n" in config.__doc__, key


def test_component_defaults_are_the_settings_defaults():
    from tightrope.events.component import DEFAULT_MIN_CONFIDENCE, DEFAULT_TYPER
    from tightrope.events.typer import TYPERS

    defaults = config.Settings()
    assert (defaults.typer, defaults.min_confidence) == (DEFAULT_TYPER, DEFAULT_MIN_CONFIDENCE)
    assert tuple(config.TYPERS) == tuple(TYPERS)


def test_plover_table_follows_its_stated_sources():
    roots = plover.load_cameo_roots()
    assert list(roots) == [f"{i:02d}" for i in range(1, 21)]
    for code, root in roots.items():  # GDELT's QuadClass rule, as the file's header says
        r = int(code)
        assert root.quad == (1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4), code
    table = plover.load_plover_table()
    from tightrope.records import PLOVER_TYPES

    assert sorted(table) == sorted(PLOVER_TYPES)
    # the values of the three rows the two old copies disagreed on
    assert table["AGREE"].intensity == 4.0 and table["SANCTION"].intensity == -4.0 and table["PROTEST"].quad == 4


def test_plover_table_is_the_one_its_users_read():
    from tightrope.events.making import plover_table
    from tightrope.relations.mapping import PLOVER_TO_CAMEO, intensity_for, quad_for

    table = plover.load_plover_table()
    assert plover_table() == {t: (c.cameo, c.intensity, c.quad) for t, c in table.items()}
    assert PLOVER_TO_CAMEO == {t: c.cameo for t, c in table.items()}
    for t, c in table.items():
        assert (intensity_for(t), quad_for(t)) == (c.intensity, c.quad)
    # no other copy of the values in code: the file is read by plover.py alone, and no module maps a PLOVER
    # type to a CAMEO code or a root code to a Goldstein value in a literal
    type_names = "|".join(table)
    literal = re.compile(rf"""["']({type_names})["']\s*:\s*(\(\s*)?["']\d\d["']|["']\d\d["']\s*:\s*-?\d+\.\d""")
    readers, literals = [], []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "plover.tsv" in text and path != SRC / "plover.py" and re.search(r"""["']plover\.tsv["']""", text):
            readers.append(path.relative_to(SRC))
        if literal.search(text):
            literals.append(path.relative_to(SRC))
    assert readers == [] and literals == []


@pytest.mark.parametrize("name", ["tightrope_actors", "tightrope_events", "tightrope_quotes"])
def test_readme_documents_each_component_and_its_config(name):
    section = _section("Tightrope as spaCy components")
    row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
    from spacy.language import Language

    import tightrope.actors.component  # noqa: F401  (registers the factories)
    import tightrope.events.component  # noqa: F401
    import tightrope.quotes.component  # noqa: F401

    for key in Language.get_factory_meta(name).default_config:
        assert f"`{key}`" in row, (name, key)
