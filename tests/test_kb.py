"""The actor knowledge base (actors/kb.py), its build (actors/kb_build.py) and the PETRARCH importer (actors/petrarch.py).

Lookups run on the committed tables in src/tightrope/actors/data/kb; the rebuild test needs
../shared/data/knowledge and skips without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tightrope.actors import petrarch
from tightrope.actors.kb import DATA, COLUMNS, KnowledgeBase, LanguageDataError, name_key, name_variants

KNOWLEDGE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "knowledge"
GENERATED = ["agents.tsv", "countries.tsv", "names.tsv", "organisations.tsv", "people.tsv", "sources.tsv", "spans.tsv"]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase()


def one(kb: KnowledgeBase, name: str, on: str):
    found = kb.lookup(name, on)
    assert len(found) == 1, [(m.name, m.country) for m in found]
    return found[0]


# --- the build --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_build_reproduces_the_committed_tables_byte_for_byte(tmp_path):
    if not (KNOWLEDGE / "README.md").is_file():
        pytest.skip(f"{KNOWLEDGE} is not here")
    from tightrope.actors.kb_build import build

    sizes, stats, _ = build(KNOWLEDGE, tmp_path)
    assert sorted(sizes) == GENERATED
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs from a fresh build"
    assert stats["people"] > 20_000 and stats["spans"] > 40_000


def test_build_refuses_a_missing_folder(tmp_path):
    from tightrope.actors.kb_build import main

    assert main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


def test_tables_are_sorted_small_and_plain():
    total = 0
    for name in GENERATED:
        data = (DATA / name).read_bytes()
        total += len(data)
        assert data.endswith(b"\n") and b"\r" not in data
        data.decode("utf-8")
        lines = data.split(b"\n")[:-1]
        header = lines[0].decode().split("\t")
        if name in COLUMNS:
            assert tuple(header) == COLUMNS[name]
            keys = [line.split(b"\t", 1)[0] + b"\t" for line in lines[1:]]
            assert keys == sorted(keys), f"{name} is not sorted by its first column's bytes (bisection needs it)"
        assert all(line.count(b"\t") == len(header) - 1 for line in lines), name
    assert total < 20 * 2**20


def test_every_source_tag_is_described():
    kb = KnowledgeBase()
    tags = {row["tag"] for row in kb.data.table("sources.tsv")}
    used = {line.rsplit("\t", 1)[1] for line in (DATA / "spans.tsv").read_text(encoding="utf-8").split("\n")[1:] if line}
    used |= {line.rsplit("\t", 1)[1] for line in (DATA / "organisations.tsv").read_text(encoding="utf-8").split("\n")[1:] if line}
    assert used <= tags, used - tags
    assert all(kb.as_of(tag) for tag in used)


# --- names ------------------------------------------------------------------------------------------------

def test_name_keys_fold_case_diacritics_initials_and_keep_suffixes():
    assert name_key("J.D. Vance") == name_key("JD Vance") == name_key("J. D. Vance") == "jd vance"
    assert name_key("Recep Tayyip Erdoğan") == "recep tayyip erdogan"
    assert name_key("Beto O’Rourke") == "beto orourke"
    assert name_variants("Donald J. Trump") == ["donald j trump", "donald trump"]
    assert name_key("Donald Trump Jr.") == "donald trump jr"
    assert "donald trump" not in name_variants("Donald Trump Jr.")  # a query keeps its suffix
    assert "joseph r biden" in name_variants("Joseph R. Biden Jr.", drop_suffix=True)  # a source's name may drop it


def test_full_names_are_strict(kb):
    vance = {m.pid for m in kb.lookup("JD Vance", "2026-01-01")}
    cyrus = {m.pid for m in kb.lookup("Cyrus Vance", "2018-01-01")}
    assert len(vance) == 1 and len(cyrus) == 1 and vance != cyrus
    assert kb.lookup("Jane Vance", "2018-01-01") == []
    assert kb.lookup("Donald Trump Jr.", "2018-01-01") == []  # not his father
    assert kb.lookup("Peter Strzok", "2018-01-01") == []  # in none of the sources: no country at all
    assert kb.lookup("Roger Stone", "2018-01-01") == []
    # a surname alone returns every namesake, the one in office that day first
    surname = kb.lookup("Vance", "2026-01-01")
    assert {m.pid for m in surname} >= vance | cyrus
    assert surname[0].pid in vance and surname[0].match == "surname" and surname[0].candidates == len(surname)
    assert surname[0].confidence > 5 * surname[1].confidence


def test_middle_initials_and_source_suffixes(kb):
    assert one(kb, "Donald J. Trump", "2018-06-01").pid == one(kb, "Donald Trump", "2018-06-01").pid
    biden = one(kb, "Joe Biden", "2010-01-01")
    assert one(kb, "Joseph R. Biden Jr.", "2010-01-01").pid == biden.pid


# --- the cases of issue 17 ----------------------------------------------------------------------------------

def test_members_of_congress(kb):
    schumer = one(kb, "Chuck Schumer", "2018-05-01")
    assert (schumer.country, schumer.sector, schumer.status) == ("USA", "LEG", "holding")
    schiff = one(kb, "Adam Schiff", "2018-05-01")
    assert (schiff.country, schiff.sector) == ("USA", "LEG") and "Representative" in schiff.role
    cruz = one(kb, "Ted Cruz", "2018-01-01")
    assert (cruz.country, cruz.sector) == ("USA", "LEG")
    assert kb.lookup("Cruz", "2018-01-01")[0].pid == cruz.pid  # not one of the Cuban Cruzes
    # "the lawmakers slammed Schiff": the surname finds the congressman first
    assert kb.lookup("Schiff", "2018-05-01")[0].pid == schiff.pid


def test_officials_by_date(kb):
    mueller = one(kb, "Robert Mueller", "2010-05-01")
    assert (mueller.country, mueller.sector, mueller.role) == ("USA", "COP", "Director of the FBI")
    later = one(kb, "Robert Mueller", "2018-05-01")  # special counsel 2017-2019 is in no source: ex-FBI director
    assert (later.country, later.sector, later.status) == ("USA", "ELI", "former")
    pruitt = one(kb, "Scott Pruitt", "2017-06-01")
    assert (pruitt.country, pruitt.sector, pruitt.start, pruitt.end) == ("USA", "GOV", "2017-02-17", "2018-07-09")
    assert one(kb, "Scott Pruitt", "2019-06-01").sector == "ELI"
    kushner = one(kb, "Jared Kushner", "2018-01-01")
    assert (kushner.country, kushner.sector) == ("USA", "GOV")


def test_trump_candidate_president_former(kb):
    assert one(kb, "Donald Trump", "2016-06-01").status == "before"
    assert one(kb, "Donald Trump", "2016-06-01").sector is None  # a candidate: the text's words decide, never GOV
    assert (one(kb, "Donald Trump", "2018-06-01").sector, one(kb, "Donald Trump", "2018-06-01").status) == ("GOV", "holding")
    former = one(kb, "Donald Trump", "2022-06-01")
    assert (former.sector, former.status, former.role) == ("ELI", "former", "former President of the United States")
    assert one(kb, "Donald Trump", "2026-01-01").sector == "GOV"


def test_a_former_president_and_a_life_in_office(kb):
    obama = one(kb, "Barack Obama", "2019-01-01")
    assert (obama.country, obama.sector, obama.status) == ("USA", "ELI", "former")
    assert one(kb, "Barack Obama", "2010-01-01").sector == "GOV"
    person = kb.person(one(kb, "Joe Biden", "2010-01-01").pid)
    on = {day: kb.role_on(person, day) for day in ("2005-06-01", "2010-06-01", "2018-06-01", "2022-06-01")}
    assert [on[d].sector for d in sorted(on)] == ["LEG", "GOV", "ELI", "GOV"]
    assert on["2010-06-01"].role == "Vice President of the United States"
    assert on["2022-06-01"].role == "President of the United States"


def test_a_stale_open_span_is_presumed_not_known(kb):
    # Wikidata's 2022 snapshot has Boris Johnson in office with no end: in 2024 that is not evidence
    johnson = one(kb, "Boris Johnson", "2024-01-01")
    assert johnson.status == "presumed" and johnson.confidence < 0.5
    assert one(kb, "Boris Johnson", "2020-01-01").status == "holding"


def test_role_on_without_a_date_is_the_latest_role(kb):
    trump = kb.person(one(kb, "Donald Trump", "2018-06-01").pid)
    latest = kb.role_on(trump, None)
    assert latest.status == "latest" and latest.role == "President of the United States"
    assert latest.span.start == "2025-01-20"


# --- bodies and words -----------------------------------------------------------------------------------------

def test_seats_of_power(kb):
    # the Pentagon is the Defense Department's headquarters and speaks for the armed forces: MIL, as Phoenix codes it
    assert (kb.seat("the Pentagon").country, kb.seat("the Pentagon").sector) == ("USA", "MIL")
    assert (kb.seat("the Kremlin").country, kb.seat("Kremlin").sector) == ("RUS", "GOV")
    assert (kb.seat("Foggy Bottom").country, kb.seat("Foggy Bottom").sector) == ("USA", "GOV")
    assert kb.seat("Zhongnanhai").country == "CHN"
    assert kb.seat("Downing Street").country == "GBR"
    assert kb.seat("the Élysée").country == kb.seat("Elysee Palace").country == "FRA"
    assert kb.seat("Quai d’Orsay").country == "FRA"
    assert kb.seat("the Paris agreement") is None and kb.seat("Ram") is None


def test_committees_are_legislative_not_spies(kb):
    found = kb.organisations("House Intelligence Committee")
    assert [(o.country, o.sector, o.kind) for o in found] == [("USA", "LEG", "committee")]
    assert kb.organisations("Senate Foreign Relations Committee")[0].sector == "LEG"
    assert kb.organisations("Paris Agreement") == []


def test_organisations_from_phoenix(kb):
    assert (kb.organisations("Hamas")[0].country, kb.organisations("Hamas")[0].sector) == ("PSE", "REB")
    assert kb.organisations("United Nations")[0].country == "UNO"
    assert kb.organisations("Amnesty International")[0].country == "AMN"


def test_word_tables(kb):
    assert kb.nationality("Iraqi") == "IRQ" and kb.nationality("Pakistani") == "PAK"
    assert kb.nationality("U.S.") == "USA"
    assert kb.nationality("Us") is None and kb.nationality("Ram") is None
    assert kb.places("Helmand") == ["AFG"]
    assert kb.agent("presidential candidate").sector == "PTY"
    assert kb.agent("foreign minister").sector == "GOV"
    assert kb.agent("protesters").sector == "OPP"
    assert kb.agent("earthquake").sector is None  # PLOVER: not an actor
    assert kb.agent("Zorblax") is None
    assert [a.source for a in kb.agents("spokesman")] == ["ngec-agents", "phoenix-agents"]
    for text, usps in (("N.Y.", "NY"), ("Texas", "TX"), ("Calif.", "CA"), ("Ind", "IN"), ("W. Va.", "WV")):
        assert kb.us_state(text) == usps
    assert kb.us_state("Zz") is None


# --- user data -------------------------------------------------------------------------------------------------

ACTORS = """# a researcher's own dictionary
JANE_ROE_  ; my notes
+SENATOR_ROE
+ROE
\t[FRDLEG 20100101-20141231]
\t[FRDGOV >20150101]
\t[FRDELI]
ZORBLAX_CORP_ [NLDBUS]
+ZORBLAX
"""


def test_petrarch_round_trip(tmp_path):
    path = tmp_path / "mine.actors"
    path.write_text(ACTORS, encoding="utf-8")
    records = petrarch.read_actors_file(path)
    assert [r.name for r in records] == ["JANE ROE", "ZORBLAX CORP"]
    roe = records[0]
    assert [p.text for p in roe.phrases] == ["JANE_ROE_", "SENATOR_ROE", "ROE"] and roe.comment == "my notes"
    assert [(c.code, c.start, c.end, c.default) for c in roe.codes] == [
        ("FRDLEG", "2010-01-01", "2014-12-31", False), ("FRDGOV", "2015-01-01", None, False), ("FRDELI", None, None, True)]
    countries = {"FRD": "FRD", "NLD": "NLD"}
    decoded = petrarch.record_codes(roe, countries)
    assert [(c.country, c.sector) for c in decoded] == [("FRD", "LEG"), ("FRD", "GOV"), ("FRD", "ELI")]
    entries = petrarch.to_user_entries(records, countries, on="2012-06-01")
    assert entries == [
        {"name": "Jane Roe", "aliases": ["Senator Roe", "Roe"], "country": "FRD", "sector": "LEG", "kind": "person", "code": "FRDLEG"},
        {"name": "Zorblax Corp", "aliases": ["Zorblax"], "country": "NLD", "sector": "BUS", "kind": "organisation", "code": "NLDBUS"},
    ]
    assert petrarch.to_user_entries(records, countries)[0]["sector"] == "ELI"  # no date: the default code
    # with the knowledge base's own country codes (what `--actors my.actors` will use): FRD is no country
    path.write_text(ACTORS.replace("FRD", "KSV"), encoding="utf-8")
    items = petrarch.read_user_actors(path, on="2016-01-01")
    assert [(i["name"], i["country"], i["sector"]) for i in items] == [("Jane Roe", "XKX", "GOV"), ("Zorblax Corp", "NLD", "BUS")]


def test_user_actors_file_extends_the_knowledge_base(tmp_path):
    path = tmp_path / "mine.actors"
    path.write_text(ACTORS.replace("FRD", "USA"), encoding="utf-8")
    kb = KnowledgeBase(extra=[path])
    assert (one(kb, "Jane Roe", "2012-06-01").sector, one(kb, "Jane Roe", "2012-06-01").source) == ("LEG", "user")
    assert one(kb, "Jane Roe", "2016-06-01").sector == "GOV"
    assert kb.organisations("Zorblax")[0].country == "NLD"
    assert KnowledgeBase().lookup("Jane Roe", "2012-06-01") == []  # only the instance given the file


def test_user_tsv_file(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("name\taliases\tcountry\tsector\trole\tstart\tend\n"
                    "Jane Q. Example\tJ. Example\tCAN\tGOV\tMinister of Examples\t2019-01-01\t2020-12-31\n",
                    encoding="utf-8")
    kb = KnowledgeBase(extra=[path])
    match = one(kb, "Jane Example", "2019-06-01")
    assert (match.country, match.sector, match.role) == ("CAN", "GOV", "Minister of Examples")
    assert one(kb, "Jane Example", "2022-06-01").sector == "ELI"
    path.write_text("name\tcountry\tsector\tstart\nJane\tCAN\tGOV\t19 May\n", encoding="utf-8")
    with pytest.raises(LanguageDataError, match=r"people\.tsv: row 2: date '19 May'"):
        KnowledgeBase(extra=[path])


@pytest.mark.parametrize("line, reason", [
    ("\t[USAGOV 2004017-20061201]", "date '2004017' is neither YYMMDD nor YYYYMMDD"),
    ("\t[USAGOV 20121207-20120802]", "ends before it starts"),
    ("\tJOHN_MCCLOY_", "a code line needs [CODE ...]"),
    ("\t[USAGOV 20121204]", "is not <date, >date or date-date"),
    ("INERGY_L.P.\t[", "'[' without ']'"),
])
def test_malformed_lines_name_file_and_line(tmp_path, line, reason):
    path = tmp_path / "bad.actors"
    path.write_text(f"SOMEONE_\n+SOMEBODY\n{line}\n", encoding="utf-8")
    with pytest.raises(petrarch.PetrarchFormatError) as info:
        petrarch.read_actors_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: ") and reason in message and "\n" not in message
    problems: list[str] = []
    records = petrarch.read_actors_file(path, strict=False, problems=problems)
    assert problems == [message] and records[0].name == "SOMEONE"


def test_a_code_before_any_phrase_is_an_error(tmp_path):
    path = tmp_path / "bad.actors"
    path.write_text("# nothing yet\n\t[USAGOV]\n", encoding="utf-8")
    with pytest.raises(petrarch.PetrarchFormatError, match=r"bad\.actors:2: a code line before any actor phrase"):
        petrarch.read_actors_file(path)


def test_petrarch_record_grouping_and_comments(tmp_path):
    # PETRARCH: a primary phrase before any code line joins the record; after a code line it starts the next
    path = tmp_path / "group.actors"
    path.write_text("<!-- a comment\nover lines -->\nAMERICAN_VICE_PRESIDENT\n+US_VICE_PRESIDENT\nAMERICAN_VICE-PRESIDENT\n"
                    "\t[USAGOV]\n\t\nHAMID_KARZAI_  [AFGMIL]; CountryInfo.txt\n\t[AFGGOV 791227-861124] [AFGELI]\n",
                    encoding="utf-8")
    records = petrarch.read_actors_file(path)
    assert [len(r.phrases) for r in records] == [3, 1]
    assert [c.code for c in records[1].codes] == ["AFGMIL", "AFGGOV", "AFGELI"]
    assert records[1].comment == "CountryInfo.txt" and records[1].codes[1].start == "1979-12-27"


def test_agents_file(tmp_path):
    path = tmp_path / "my.agents"
    path.write_text("!PERSON! = MAN, WOMAN\n!MINIST! = MINISTER, MINISTRY\nPOLICE!PERSON! [~COP]\nFOREIGN_!MINIST! [~GOV]\n"
                    "REBEL [~REB]\nPOLICE {} [~COP]\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVJUD]\nHUMAN_RIGHTS_BODY [NGO~]\n",
                    encoding="utf-8")
    entries = petrarch.read_agents_file(path)
    forms = {e.form: e.code for e in entries}
    assert forms == {"policeman": "COP", "policewoman": "COP", "foreign minister": "GOV", "foreign ministry": "GOV",
                     "rebel": "REB", "rebels": "REB", "police": "COP", "attorney general": "GOVJUD",
                     "attorneys general": "GOVJUD", "human rights body": "NGO", "human rights bodies": "NGO"}
    assert [e.prefix for e in entries if e.form == "human rights body"] == [True]
    path.write_text("PROTESTER [OPP]\n", encoding="utf-8")
    with pytest.raises(petrarch.PetrarchFormatError, match=r"my\.agents:1: agent code 'OPP' has no '~'"):
        petrarch.read_agents_file(path)


def test_cameo_codes():
    iso = {"USA": "USA", "AFG": "AFG", "PSE": "PSE", "KSV": "XKX"}
    assert petrarch.decode_code("USAGOVLEG", iso) == ("USA", "LEG")
    assert petrarch.decode_code("USAGOVMIL", iso) == ("USA", "GOV")  # a defence ministry is government
    assert petrarch.decode_code("USAMIL", iso) == ("USA", "MIL")
    assert petrarch.decode_code("IGOWSTNAT", iso) == ("NATO", None)
    assert petrarch.decode_code("IGOUNODEVWBK", iso) == ("WB", None)
    assert petrarch.decode_code("NGOHRIAMN", iso) == ("AMN", "NGO")
    assert petrarch.decode_code("MNCUSA", iso) == ("USA", "BUS")
    assert petrarch.decode_code("PSEREBHMS", iso) == ("PSE", "REB")
    assert petrarch.decode_code("KSVGOV", iso) == ("XKX", "GOV")
    assert petrarch.decode_code("KNTGOV", iso) == (None, "GOV")  # not a country we know
    assert petrarch.decode_code("CVLOPP", {}) == (None, "OPP")
    assert petrarch.decode_code("JNK", {}) == (None, None)


def test_overrides_replace_a_packaged_table(tmp_path):
    seats = tmp_path / "seats.tsv"
    seats.write_text("name\taliases\tcountry\tsector\tsource\nBlue Palace\tPalais Bleu\tFRD\tGOV\tmine\n", encoding="utf-8")
    kb = KnowledgeBase(overrides={"seats.tsv": seats})
    assert kb.seat("the Blue Palace").country == "FRD" and kb.seat("the Kremlin") is None
    assert kb.seat("Palais Bleu").name == "Blue Palace"
    names = tmp_path / "names.tsv"  # an unsorted user table is sorted when read
    names.write_text("key\tpid\tkind\nzed zed\tQ76\tname\nbarack obama\tQ76\tname\n", encoding="utf-8")
    kb = KnowledgeBase(overrides={"names.tsv": names})
    assert one(kb, "Zed Zed", "2010-01-01").name == "Barack Obama"
    names.write_text("key\tpid\nzed\tQ76\n", encoding="utf-8")
    with pytest.raises(LanguageDataError, match=re.escape("names.tsv: header must be key | pid | kind")):
        KnowledgeBase(overrides={"names.tsv": names}).lookup("Zed", None)
