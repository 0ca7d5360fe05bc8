"""Quotes, claims and disputes on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.pipeline import extract_results
from tightrope.quotes import align_quotes, extract_quotes, might_hold_quote
from tightrope.quotes.marks import find_direct
from tightrope.records import QUOTE_KINDS, Actor, Article, Quote


def run(text: str):
    r = extract_results([Article(id="t", title="", text=text)])[0]
    return r.quotes, r.claims


def direct(quotes):
    return [q for q in quotes if q.direct]


def speaker(q):
    return q.speaker.text if q.speaker else None


def test_might_hold_quote():
    assert might_hold_quote("“We will respond,” the minister said.")
    assert might_hold_quote("The envoy denied any wrongdoing.")
    assert might_hold_quote("According to officials, talks stalled.")
    assert not might_hold_quote("The river rose overnight and the bridge closed.")
    assert not might_hold_quote("The minister’s car was late.")


@pytest.mark.parametrize("open_, close", [("“", "”"), ("‘", "’"), ('"', '"'), ("'", "'"), ("«", "»"),
                                          ("''", "''"), ("``", "''")])
def test_every_quoting_style(open_, close):
    text = f"{open_}We will not bow to pressure from anyone,{close} Minister Halvorsen said on Tuesday."
    qs = direct(run(text)[0])
    assert len(qs) == 1
    assert qs[0].text.startswith("We will not bow")
    assert "Halvorsen" in speaker(qs[0])
    assert qs[0].cue == "said"
    assert text[qs[0].start:qs[0].end] == qs[0].text


def test_apostrophes_are_not_quotes():
    assert find_direct("The minister’s aides didn’t come; the rebels’ leader did.") == []


def test_doubled_apostrophes_are_quotes_but_not_a_plural_possessive():
    text = "The drivers' union met. ''The road stays shut until the spring thaw,'' its leader said."
    assert [text[cs:ce] for _, cs, ce, _ in find_direct(text)] == ["The road stays shut until the spring thaw,"]


def test_reported_speech_inside_reported_speech_is_the_outer_speakers():
    text = "The ministry said on Friday that Okafor had told local farmers the bridge would reopen in May."
    qs = run(text)[0]
    assert [speaker(q) for q in qs] == ["The ministry"]
    text = "A survey by the institute found that 61 percent of farmers said they would plant less wheat next year."
    qs = run(text)[0]
    assert len(qs) == 1 and "survey" in speaker(qs[0])


def test_passive_subject_is_not_the_speaker_the_agent_is():
    qs = run("The minister is widely seen as the favourite to win the vote.")[0]
    assert qs and all(q.speaker is None or "minister" not in speaker(q) for q in qs)
    qs = run("The shipment was described by customs officials as a routine delivery.")[0]
    assert [speaker(q) for q in qs] == ["customs officials"]
    qs = run("The senator was quoted as saying that the bridge would reopen.")[0]
    assert [speaker(q) for q in qs] == ["The senator"]


def test_according_to_finding_may_hold_a_quoted_phrase():
    text = 'The speech was "a real test" of his reach with young voters, according to two aides who saw the draft.'
    qs = [q for q in run(text)[0] if q.cue == "according to"]
    assert len(qs) == 1 and qs[0].text.startswith("The speech was") and "two aides" in speaker(qs[0])


def test_according_to_in_the_middle_of_the_finding():
    text = "Since last spring, according to a monitoring group, border guards have detained more than 300 traders."
    qs = [q for q in run(text)[0] if q.cue == "according to"]
    assert len(qs) == 1 and "monitoring group" in speaker(qs[0])
    assert qs[0].text.startswith("Since last spring") and qs[0].text.endswith("300 traders")
    # a finding with its own verb before the attribution ends there; what follows describes the source
    text = "Exports fell by a fifth in May, according to the statistics office, which revised its April figures."
    qs = [q for q in run(text)[0] if q.cue == "according to"]
    assert len(qs) == 1 and qs[0].text == "Exports fell by a fifth in May"


def test_cue_after_the_finding_joined_to_it_by_the_parser():
    text = ("In Bergen, the old steel mill is hanging on, but it is under intense pressure from Asian imports, "
            "said the firm's chief executive, Ingrid Solberg.")
    qs = [q for q in run(text)[0] if q.cue == "said"]
    assert len(qs) == 1 and qs[0].text.startswith("In Bergen") and qs[0].text.endswith("Asian imports")
    assert "Solberg" in speaker(qs[0])


def test_parenthetical_cue_inside_a_clause_whose_verb_is_a_cue_word():
    text = "Reopening the talks this year, she said, feels right at a time when both capitals want calm."
    qs = [q for q in run(text)[0] if q.cue == "said"]
    assert len(qs) == 1 and qs[0].text.startswith("Reopening the talks") and speaker(qs[0]) == "she"


def test_curly_quote_closed_by_a_straight_mark():
    text = '“The harvest will be late this year," Okafor said. "Prices will rise before the winter.”'
    qs = direct(run(text)[0])
    # one statement (the second passage carries the first one's cue) in two parts
    assert len(qs) == 1 and "Okafor" in speaker(qs[0]) and qs[0].kind == "direct"
    assert [text[s:e] for s, e in qs[0].parts] == ["The harvest will be late this year,",
                                                    "Prices will rise before the winter."]
    assert qs[0].text == "The harvest will be late this year, … Prices will rise before the winter."


def test_subject_cut_off_by_a_party_label_abbreviation():
    qs = run("Sen. Maria Okafor (D-Vt.) told reporters that the bill would pass.")[0]
    assert [speaker(q) for q in qs] == ["Sen. Maria Okafor (D-Vt.)"]
    qs = run("It rained in Lagos. Officials said the roads were closed.")[0]
    assert [speaker(q) for q in qs] == ["Officials"]


def test_split_quote_is_one_statement_in_two_parts():
    text = "“The border stays open,” Halvorsen said, “but the checks will be stricter from Monday.”"
    qs = run(text)[0]
    assert len(qs) == 1 and "Halvorsen" in speaker(qs[0]) and qs[0].kind == "direct" and qs[0].direct
    assert [text[s:e][:8] for s, e in qs[0].parts] == ["The bord", "but the "]
    assert (qs[0].start, qs[0].end) == (qs[0].parts[0][0], qs[0].parts[1][1])
    assert "said" not in qs[0].text  # the cue between the parts is no content


def test_colon_introduced_quote():
    text = "The foreign minister was blunt: “Nobody in this capital will accept a deal written elsewhere.”"
    qs = direct(run(text)[0])
    assert len(qs) == 1 and speaker(qs[0]) is not None
    assert "minister" in speaker(qs[0])


def test_multi_paragraph_quote():
    text = ("Halvorsen spoke for an hour. He said: “We have asked for talks many times.\n\n"
            "“We will keep asking, because the alternative is worse for everybody.”")
    qs = direct(run(text)[0])
    assert len(qs) == 1
    assert qs[0].text.startswith("We have asked") and qs[0].text.endswith("everybody.")


def test_speaker_before_after_and_in_previous_sentence():
    text = ("Senator Okafor said, “The vote will happen this week whatever the pressure.” "
            "“We are ready for it,” said Okafor. “The numbers are there and they will hold.”")
    qs = direct(run(text)[0])
    # two cues, two statements; the third passage goes on with the second's
    assert [len(q.parts) for q in qs] == [1, 2]
    assert all("Okafor" in speaker(q) for q in qs)


def test_according_to():
    text = "According to the Norwegian embassy, “no agreement has been signed and none is expected soon.”"
    qs = direct(run(text)[0])
    assert len(qs) == 1 and "embassy" in speaker(qs[0])
    assert qs[0].cue == "according to"


def test_partial_quote_is_attributed():
    text = "Halvorsen described the proposal as “a step backwards” during the briefing."
    qs = run(text)[0]
    # the quoted words are part of the reported statement: one quote, partly in the speaker's words
    assert len(qs) == 1 and "Halvorsen" in speaker(qs[0]) and qs[0].kind == "mixed" and not qs[0].direct
    assert "a step backwards" in qs[0].text


def test_scare_quotes_are_not_speech():
    text = "The so-called “peace dividend” never arrived in the northern provinces."
    assert direct(run(text)[0]) == []


def test_indirect_speech():
    text = "Halvorsen argued that the sanctions had hurt ordinary farmers more than the government."
    qs = run(text)[0]
    ind = [q for q in qs if not q.direct]
    assert len(ind) == 1
    assert ind[0].text.startswith("that the sanctions had hurt")  # the complementizer is content (PolNeAR)
    assert "Halvorsen" in speaker(ind[0]) and ind[0].cue == "argued"
    claims = run(text)[1]
    assert [c.text[:22] for c in claims] == ["the sanctions had hurt"]  # the claim is the proposition


def test_parenthetical_cue_takes_the_clause_around_it():
    text = "The main danger, the admiral said, is a clash between coast guard ships near the reef."
    qs = run(text)[0]
    assert len(qs) == 1
    q = qs[0]
    assert q.text.startswith("The main danger") and q.text.endswith("near the reef")
    assert speaker(q) == "the admiral" and q.cue == "said"
    assert text[q.cue_start:q.cue_end] == "said"


def test_claim_refuted_by_relative_clause():
    text = ("Last week, President Mbeki claimed that Lagos had agreed to cut its tariffs by half — "
            "a statement the Nigerian government promptly refuted.")
    claims = run(text)[1]
    disputed = [c for c in claims if c.disputed_by]
    assert len(disputed) == 1
    assert "Mbeki" in disputed[0].claimer.text
    assert disputed[0].text.startswith("Lagos had agreed")
    assert "government" in disputed[0].disputed_by[0].text


def test_claim_disputed_by_assertion_clause():
    text = ("The flare-up along the river, which Brazil says it helped calm, an assertion "
            "Argentina rejects, lasted four days.")
    claims = run(text)[1]
    disputed = [c for c in claims if c.disputed_by]
    assert disputed and "Brazil" in disputed[0].claimer.text
    assert "Argentina" in disputed[0].disputed_by[0].text


def test_denial_without_a_claim_becomes_a_disputed_claim():
    text = "Chile firmly denies any role in the talks between the two rebel groups."
    claims = run(text)[1]
    assert claims and claims[0].disputed_by and "Chile" in claims[0].disputed_by[0].text


def test_speaker_actor_picked_by_offsets():
    text = "“We are not leaving,” Okafor said."
    from tightrope.nlp import parse
    from tightrope.pipeline import keep_segment

    doc = parse(text, keep=keep_segment)
    okafor = Actor(text="Okafor", start=22, end=28, name="Okafor", country="NGA", entity="person:okafor")
    qs, _ = extract_quotes(doc, [okafor], Article(id="t", title="", text=text))
    assert qs[0].speaker is okafor


def test_speaker_is_the_head_of_the_source_phrase_not_a_name_in_its_apposition():
    text = "Okafor, who is travelling with President Mensah, said that the port deal was fair."
    from tightrope.nlp import parse
    from tightrope.pipeline import keep_segment

    doc = parse(text, keep=keep_segment)
    okafor = Actor(text="Okafor", start=0, end=6, name="Okafor", country="NGA")
    mensah = Actor(text="President Mensah", start=30, end=46, name="Mensah", country="GHA")
    qs, _ = extract_quotes(doc, [okafor, mensah], Article(id="t", title="", text=text))
    assert len(qs) == 1 and qs[0].speaker.name == "Okafor"
    assert text[qs[0].speaker.start:qs[0].speaker.end].startswith("Okafor")


def test_unparsed_doc_does_not_crash():
    from tightrope.nlp import parse

    text = "“Nothing will change,” said the envoy. The weather was fine.\n\n“Really,” he added."
    doc = parse(text, keep=lambda s: False)
    qs, claims = extract_quotes(doc, [], Article(id="t", title="", text=text))
    assert qs and all(text[q.start:q.end] == q.text for q in qs)


def _q(text: str) -> Quote:
    return Quote(text=text, direct=True, cue="said", speaker=None, start=0, end=len(text))


def test_align_quotes():
    a = [_q("Nothing we do with Kenya comes at the cost of our partnership with Ghana"),
         _q("The weather in the capital was unusually warm")]
    b = [_q("Nothing we do with Kenya comes at the cost of our trade or partnership with Ghana, he said"),
         _q("We will raise tariffs next year")]
    pairs = align_quotes(a, b)
    assert len(pairs) == 1
    qa, qb, sim = pairs[0]
    assert qa is a[0] and qb is b[0] and sim >= 0.5
    assert align_quotes(a[1:], b[1:]) == []


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_seed_rubio_quotes_have_a_speaker():
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("no seeds")
    for f in files:
        text = f.read_text(encoding="utf-8")
        qs, claims = run(text)
        for q in direct(qs):
            if "Pakistan comes at the expense" in q.text:
                assert q.speaker is not None and "Rubio" in q.speaker.text
        # the claims of Trump / the US are linked to India's denials
        assert any(c.claimer is not None and c.claimer.country == "USA"
                   and any(d.country == "IND" for d in c.disputed_by) for c in claims), f.name
        assert not any(c.claimer is not None and c.claimer.country == "IND"
                       and any(d.country == "IND" for d in c.disputed_by) for c in claims)  # nobody disputes himself


def test_object_and_its_predicate_are_the_content():
    text = "The finance minister called the new tariff schedule a gift to smugglers."
    qs = run(text)[0]
    assert [q.text for q in qs] == ["the new tariff schedule a gift to smugglers"]
    assert speaker(qs[0]) == "The finance minister"


def test_content_on_both_sides_of_the_cue():
    text = "It is no accident, the envoy said, that the border talks stalled after the election."
    qs = run(text)[0]
    assert len(qs) == 1
    assert qs[0].text.startswith("It is no accident") and qs[0].text.endswith("after the election")
    assert speaker(qs[0]) == "the envoy"


def test_a_denial_is_reported_but_not_claimed_by_the_denier():
    text = "The Chilean foreign ministry denied any role in the pipeline deal."
    qs, claims = run(text)
    assert [q.text for q in qs] == ["any role in the pipeline deal"]
    assert "ministry" in speaker(qs[0]) and qs[0].cue == "denied"
    assert not any(c.claimer is not None and "ministry" in c.claimer.text for c in claims)


def test_source_phrase_stops_before_its_own_reported_speech_and_the_occasion():
    text = ("Marta Olsen, a farmer who said last year that she would sell her land, argued that "
            "the levy was unfair to small growers.")
    qs = [q for q in run(text)[0] if q.cue == "argued"]
    assert len(qs) == 1 and speaker(qs[0]) == "Marta Olsen, a farmer"
    text = "The ambassador on Monday warned that the talks would fail without a ceasefire."
    qs = run(text)[0]
    assert len(qs) == 1 and speaker(qs[0]) == "The ambassador"


def test_name_colon_line_is_attributed():
    text = ("Okafor: Lagos Will Not Sign The Tariff Pact\n\n"
            "Delegates: Abuja, Accra, Dakar, Lome, Niamey, Bamako\n\nThe talks resume on Monday.")
    qs = run(text)[0]
    assert [(speaker(q), q.text, q.cue) for q in qs] == [("Okafor", "Lagos Will Not Sign The Tariff Pact", ":")]


def test_nominal_attribution_with_its_holder():
    text = "The senator made a promise to block the arms sale in committee."
    qs = run(text)[0]
    assert [(q.text, q.cue) for q in qs] == [("to block the arms sale in committee", "promise")]
    assert speaker(qs[0]) == "The senator"
    text = "The harbour was closed for repairs, a decision that surprised the fishermen."
    assert run(text)[0] == []  # no holder, no clause of its own: not an attribution


# ---------------------------------------------------------------- the split pieces, one at a time

from tightrope.langdata import LanguageData, LanguageDataError  # noqa: E402
from tightrope.nlp import parse  # noqa: E402
from tightrope.quotes import DATA, load_quote_rules  # noqa: E402
from tightrope.quotes.claims import claims_of  # noqa: E402
from tightrope.quotes.context import QuoteContext, sentences  # noqa: E402
from tightrope.quotes.filters import drop_indirect_copies, drop_second_hand  # noqa: E402
from tightrope.quotes.phrases import adjacent_source, cue_phrase, speaker_actor, subject  # noqa: E402
from tightrope.quotes.rules import default_quote_rules  # noqa: E402


def parsed(text: str):
    return parse(text, keep=lambda s: True)


def user_file(tmp_path, name: str, extra: str = "", replace: tuple[str, str] | None = None) -> LanguageData:
    """The packaged data with `name` replaced by a user's copy (with `extra` lines added or a line replaced)."""
    body = (DATA / name).read_text(encoding="utf-8")
    if replace:
        assert replace[0] in body
        body = body.replace(*replace)
    path = tmp_path / name
    path.write_text(body + extra, encoding="utf-8")
    return LanguageData(DATA, {name: path})


def test_packaged_rules_are_loaded_once_and_inflect_the_cues():
    rules = load_quote_rules()
    assert rules is default_quote_rules() is load_quote_rules(None)
    assert rules.cue_forms["said"] == "say" and rules.cue_forms["denies"] == "deny"
    assert rules.cue_forms["spoken"] == "speak"  # irregular_verbs.tsv
    assert rules.cues["refute"] == "deny" and "lemma" not in rules.cues  # the header row is no cue
    assert "according to" in rules.source_phrases and "that" in rules.complementizers


def test_a_users_cue_file_adds_a_cue(tmp_path):
    text = "“The harbour fees are far too high for us,” the fishermen grumbled."
    doc = parsed(text)
    art = Article(id="t", title="", text=text)
    plain = direct(extract_quotes(doc, [], art)[0])
    assert len(plain) == 1 and plain[0].cue is None and plain[0].speaker is None
    rules = load_quote_rules(user_file(tmp_path, "cues.tsv", "grumble\tsay\n"))
    mine = direct(extract_quotes(doc, [], art, rules)[0])
    assert [(q.cue, speaker(q)) for q in mine] == [("grumbled", "the fishermen")]
    assert might_hold_quote("The fishermen grumbled about the fees.", rules)
    assert not might_hold_quote("The fishermen grumbled about the fees.")


def test_a_users_quotation_marks(tmp_path):
    text = "「The port stays open for every ship」 the harbour master said."
    assert find_direct(text) == []
    rules = load_quote_rules(user_file(tmp_path, "quote_marks.tsv", "「\t」\n"))
    assert [text[cs:ce] for _, cs, ce, _ in find_direct(text, rules.quote_styles)] == [
        "The port stays open for every ship"]


def test_bad_language_data_names_the_file(tmp_path):
    with pytest.raises(LanguageDataError, match=r"function_words\.tsv.*unknown class speaker_pronoun\b"):
        load_quote_rules(user_file(tmp_path, "function_words.tsv", replace=("speaker_pronouns\t", "speaker_pronoun\t")))
    with pytest.raises(LanguageDataError, match=r"function_words\.tsv.*no row for copulas"):
        load_quote_rules(user_file(tmp_path, "function_words.tsv", replace=("copulas\tbe\t", "# ")))
    with pytest.raises(LanguageDataError, match=r"quote_marks\.tsv.*not a valid regular expression"):
        load_quote_rules(user_file(tmp_path, "quote_marks.tsv", "([\t)\n"))


def test_find_direct_marks_and_paragraphs():
    # an opening mark never closed in its paragraph, with the next paragraph not reopening it, is no quote
    assert find_direct("He wrote “the end of an era.\n\nThe next day was quiet.") == []
    # a single-quoted passage inside a double-quoted one belongs to it
    text = "“They told us ‘wait for the spring’ and we waited,” she said."
    assert [text[cs:ce] for _, cs, ce, _ in find_direct(text)] == ["They told us ‘wait for the spring’ and we waited,"]
    # white space inside the marks is not content; an empty passage is none
    text = "“  We stay.  ” and “ ”"
    assert [text[cs:ce] for _, cs, ce, _ in find_direct(text)] == ["We stay."]


def test_cue_phrase_and_subject_read_off_the_parse():
    text = "The envoy has not pointed out any flaw in the plan."
    doc = parsed(text)
    cue = next(t for t in doc if t.text == "pointed")
    assert text[slice(*cue_phrase(cue))] == "has not pointed out"
    assert subject(cue).text == "envoy"
    doc = parsed("The deal was described by customs officials as routine.")
    cue = next(t for t in doc if t.text == "described")
    assert subject(cue).text == "officials"  # the agent, not the passive subject "deal"


def test_adjacent_speaker_in_unparsed_text():
    text = "“We will not sign this deal,” said Okafor. The weather was fine. He also added more."
    doc = parse(text, keep=lambda s: False)
    rules = default_quote_rules()
    said, added = (next(t for t in doc if t.text == w) for w in ("said", "added"))
    assert text[slice(*adjacent_source(doc, said, 0, len(doc), rules))] == "Okafor"
    assert text[slice(*adjacent_source(doc, added, 0, len(doc), rules))] == "He"  # past "also"
    the_weather = next(t for t in doc if t.text == "was")
    assert adjacent_source(doc, the_weather, the_weather.i, the_weather.i + 1, rules) is None


def test_speaker_actor_from_a_source_phrase():
    text = "US Secretary of State Marco Rubio, speaking at the summit with Ghana, said so."
    rubio = Actor(text="Marco Rubio", start=22, end=33, name="Marco Rubio", country="USA")
    ghana = Actor(text="Ghana", start=63, end=68, name="Ghana", country="GHA")
    a = speaker_actor(text, [rubio, ghana], (0, 68))
    assert a.name == "Marco Rubio" and a.text == text[0:68] and (a.start, a.end) == (0, 68)  # widened, not Ghana
    assert speaker_actor(text, [rubio], (22, 33)) is rubio
    lone = speaker_actor(text, [], (0, 13))
    assert lone.kind == "source" and lone.text == "US Secretary " and lone.name is None
    assert speaker_actor(text, [rubio], None) is None


def test_sentences_without_boundaries_fall_back_to_the_segmenter():
    import spacy

    from tightrope.nlp import split_segments

    text = "“We will not sign this deal,” said Okafor. The weather was fine."
    blank = spacy.blank("en")(text)
    assert not blank.has_annotation("SENT_START")
    assert sentences(blank, text) == split_segments(text)
    qs, _ = extract_quotes(blank, [], Article(id="t", title="", text=text))
    assert [(q.text, speaker(q)) for q in qs] == [("We will not sign this deal,", "Okafor")]


def test_cue_verb_content_rules():
    assert [(q.text, q.cue) for q in run("Halvorsen warned of a clash near the reef.")[0]] == [
        ("a clash near the reef", "warned")]
    assert run("The minister read the statement aloud to the chamber.")[0] == []  # a bare object of 'read'
    assert run("The minister told Kenya.")[0] == []  # the one spoken to is no content


def test_short_marked_passages_need_a_reporting_verb():
    assert direct(run("The candidates are listed as “R” or “D” on the ballot.")[0]) == []
    assert [(q.text, speaker(q)) for q in direct(run("“Never,” Okafor said.")[0])] == [("Never,", "Okafor")]


def test_label_lines_that_are_not_speech():
    assert run("Photo: Reuters staff in the capital city\n\nThe talks resumed.")[0] == []
    assert run("Rubio's Message: The Talks Will Go On\n\nThe talks resumed.")[0] == []


def _quote(start, end, direct_=False, cue="said", speaker_span=None):
    sp = Actor(text="x", start=speaker_span[0], end=speaker_span[1]) if speaker_span else None
    return Quote(text="x" * (end - start), direct=direct_, cue=cue, speaker=sp, start=start, end=end)


def test_an_indirect_content_that_is_a_direct_quote_is_dropped():
    marked = _quote(10, 60, direct_=True)
    copy, partial = _quote(12, 60), _quote(40, 100)  # 48/48 inside; 20/60 inside
    assert drop_indirect_copies([marked, copy, partial]) == [marked, partial]


def test_second_hand_speech_is_dropped_but_not_a_denial_or_a_direct_quote():
    rules = default_quote_rules()
    outer = _quote(0, 100, speaker_span=(0, 5))
    inner = _quote(40, 90, speaker_span=(30, 38))  # speaker and words inside the outer content
    denial = _quote(40, 90, cue="denied", speaker_span=(30, 38))
    marked = _quote(40, 90, direct_=True, speaker_span=(30, 38))
    outside = _quote(40, 90, speaker_span=(110, 118))  # its speaker is not inside the outer quote
    assert drop_second_hand([outer, inner, denial, marked, outside], rules) == [outer, denial, marked, outside]


def test_claims_are_the_propositions_of_attributed_quotes_but_not_what_a_denial_reports():
    text = "Halvorsen asked whether the port would open. India denied any role."
    ctx = QuoteContext(parsed(text), text, [], default_quote_rules())

    def quote(words, cue, who):
        start = text.index(words)
        sp = Actor(text=who, start=text.index(who), end=text.index(who) + len(who)) if who else None
        return Quote(text=words, direct=False, cue=cue, speaker=sp, start=start, end=start + len(words))

    asked = quote("whether the port would open", "asked", "Halvorsen")
    denied = quote("any role", "denied", "India")
    unattributed = quote("the port", "asked", None)
    claims = claims_of(ctx, [asked, denied, unattributed], reported=[denied])
    assert [(c.text, c.claimer.text) for c in claims] == [("the port would open", "Halvorsen")]


def test_no_word_list_left_in_the_rule_modules():
    """Words the quote rules test live in quotes/data/: in the code, a string compared with a token or
    gathered in a collection is only a parse label, a cue kind or punctuation."""
    import ast

    from tightrope.nlp import load_pipeline

    nlp = load_pipeline()
    labels = {"ROOT", "obj"}  # "obj": Universal Dependencies' name for the model's "dobj"
    for name in ("parser", "tagger", "ner", "attribute_ruler"):
        if name in nlp.pipe_names:
            labels |= set(getattr(nlp.get_pipe(name), "labels", ()))
    labels |= {"VERB", "AUX", "NOUN", "PROPN", "PRON", "ADV"} | set(default_quote_rules().cues.values())
    labels |= set(QUOTE_KINDS) | {"source", "pronoun", "demonym"}  # quote kinds and actor kinds (Actor.kind)
    found = []
    for path in sorted((DATA.parent).glob("*.py")):
        if path.name.startswith(("tagger", "train_tagger", "component")) or (
                path.name.startswith("_") and path.name != "__init__.py"):
            continue  # other modules' own files (the learned tagger, the spaCy component) and scratch files
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            consts = []
            if isinstance(node, ast.Set):
                consts = node.elts
            elif isinstance(node, ast.Compare):
                consts = [node.left, *node.comparators]
                consts += [e for c in node.comparators if isinstance(c, (ast.Set, ast.List, ast.Tuple)) for e in c.elts]
            for c in consts:
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and any(ch.isalpha() for ch in c.value) \
                        and c.value not in labels:
                    found.append(f"{path.name}:{c.lineno} {c.value!r}")
    assert not found, "\n".join(found)


# ---------------------------------------------------------------- the stance judge of `bench stance`

def _stance_csv(path, claims: int = 30):
    """An Emergent-like CSV: per claim, a report that denies it, one that hedges, one that asserts it."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"])
        n = 0
        for k in range(claims):
            claim = f"Harbour {k} will close next month"
            for report, label in ((f"Officials deny harbour {k} closure, call the story false", "against"),
                                  (f"Harbour {k} reportedly set to close, sources claim", "observing"),
                                  (f"Harbour {k} closes its gates for good", "for")):
                w.writerow([n, claim, report, label, f"a{n}", f"claim-{k}"])
                n += 1


@pytest.mark.slow
def test_stance_judge_is_trained_on_development_claims_and_scored_on_the_others(tmp_path):
    from tightrope.bench import stance

    data = tmp_path / "emergent.csv"
    _stance_csv(data)
    model_path = tmp_path / "stance.npz"
    model = stance.train(data, model_path)
    again = tmp_path / "again.npz"
    stance.train(data, again)
    assert model_path.read_bytes() == again.read_bytes()  # the same data give the same bytes
    groups = [f"claim-{k}" for k in range(30)]
    held = [g for g in groups if stance.held_out(g)]
    assert held and len(held) < len(groups)
    assert all(model.trained_on(g) != stance.held_out(g) for g in groups)  # trained on exactly the others
    assert model.predict("Harbour 99 will close", "Officials deny harbour 99 closure, call the story false") == "against"
    figures = stance.run(str(data), model=model)
    assert figures["n"] == 3 * len(held) and figures["rows_trained_on_left_out"] == 3 * (len(groups) - len(held))


def test_committed_stance_judge_never_trained_on_the_held_out_emergent_claims():
    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "emergent" / "url-versions-2015-06-14-clean.csv"
    if not path.is_file():
        pytest.skip("no Emergent data")
    from tightrope.bench import stance

    model = stance.learned_judge()
    groups = {r[3] for r in stance._read(path, None)}
    assert {g for g in groups if model.trained_on(g)} == {g for g in groups if not stance.held_out(g)}


# ---------------------------------------------------------------- issue 19: statements, speakers, cue sense, negation
# (the error cases a new user met on real articles, retold in sentences written for these tests)

def test_a_statement_reported_with_quoted_fragments_is_one_quote_not_four():
    text = ("President Ramos said on social media that the neighbouring country had “agreed to stop” buying the "
            "fuel, a step he called “big,” “historic” and “long overdue.”")
    qs, claims = run(text)
    assert len(qs) == 1
    q = qs[0]
    assert q.kind == "mixed" and not q.direct and "Ramos" in speaker(q)
    assert "agreed to stop" in q.text and "long overdue" in q.text and len(q.parts) == 1
    # no fragment stands alone, and "he" inside the statement is no second speaker
    assert not any(x.text.strip(" ,.") in ("big", "historic", "long overdue", "agreed to stop") for x in qs)
    assert len(claims) == 1 and "Ramos" in claims[0].claimer.text


def test_a_participle_cue_of_the_same_sentence_does_not_split_the_statement():
    text = ("In a post on social media, President Ramos said the neighbouring country had “agreed to stop” buying "
            "the fuel, calling the move “big,” “historic” and “long overdue.”")
    qs = run(text)[0]
    assert len(qs) == 1 and qs[0].kind == "mixed" and "Ramos" in speaker(qs[0])


def test_kinds_of_quotes():
    kinds = {text: [q.kind for q in run(text)[0]] for text in (
        "“We will not sign this deal,” Okafor said.",
        "Okafor said the deal would not be signed this year.",
        "Okafor called the deal “a betrayal of the farmers.”",
        "“The deal is dead,” Okafor said, “and nobody will revive it.”")}
    assert list(kinds.values()) == [["direct"], ["indirect"], ["mixed"], ["direct"]]


def test_cue_words_without_their_sense_give_no_quote():
    # the thing announced or disclosed is not a statement of it
    for text in ("Prosecutors in the capital announced the charges against the former mayor on Tuesday.",
                 "The ministry disclosed the figures for the third quarter in March.",
                 "The two delegations discussed the budget on Monday."):
        assert run(text)[0] == [], text
    # the same cues with something said are quotes
    qs = run("The ministry announced that the border would reopen on Friday.")[0]
    assert [(q.text, q.cue) for q in qs] == [("that the border would reopen on Friday", "announced")]


def test_content_keeps_its_negation():
    text = "The spokesman said there does not appear to be any classified material in the boxes."
    qs = run(text)[0]
    assert len(qs) == 1 and "does not appear to be any classified material" in qs[0].text
    assert not any(q.text.startswith("to be") for q in qs)
    # a negated "appear" reports nothing the senator said: no quote that drops the "does not"
    assert run("The senator does not appear to support the bill.")[0] == []
    # a negated saying is a quote (what was not said) but not the speaker's claim
    qs, claims = run("The ministry did not say whether the talks would resume.")
    assert [q.text for q in qs] == ["whether the talks would resume"] and claims == []


def test_a_commentators_words_are_not_given_to_the_man_he_spoke_about():
    text = ("Elena Varga, a senior fellow at a research institute in Budapest, said the talks had stalled. "
            "Varga said Prime Minister Ivo Dragan wants a deal before winter. "
            "“He will not wait for the summer,” he said.")
    qs = run(text)[0]
    last = qs[-1]
    assert last.text.startswith("He will not wait") and last.speaker.text == "he"  # the source as written
    assert last.speaker.name == "Elena Varga" and last.speaker.entity == "person:Elena Varga"
    assert all(q.speaker.name != "Ivo Dragan" for q in qs)
    # her country comes from where her source phrase places her
    assert {q.speaker.country for q in qs} == {"HUN"}


def test_pronoun_and_relative_speakers_resolved_to_the_named_person():
    qs = run("Prime Minister Ivo Dragan met the envoy on Monday. “We are close to a deal,” he said.")[0]
    assert [(q.speaker.text, q.speaker.name) for q in qs] == [("he", "Ivo Dragan")]
    qs = run("The talks were led by Tomas Berg, who said the deal was fair to both sides.")[0]
    assert [(q.speaker.text, q.speaker.name, q.speaker.kind) for q in qs] == [("who", "Tomas Berg", "pronoun")]


def test_a_name_inside_the_quote_is_not_its_speaker():
    qs = run("“Dragan is a thug and a liar,” Senator Mark Halvorsen said on Tuesday.")[0]
    assert [q.speaker.name for q in qs] == ["Mark Halvorsen"]
    qs = run("Varga said Dragan had told her the deal was dead.")[0]
    assert [speaker(q) for q in qs] == ["Varga"]  # Dragan's words are her account


def test_a_long_attribution_sentence_carries_its_speaker_to_the_next_passage():
    text = ("“Prices here are a third of what you pay in the capital,” said Mike Lorne, managing director of a "
            "brokerage in Hanoi. “The biggest group comes for dental work.”")
    qs = direct(run(text)[0])
    assert len(qs) == 1 and len(qs[0].parts) == 2 and qs[0].speaker.name == "Mike Lorne"


def test_a_title_in_quotation_marks_is_not_speech():
    text = "The minister, in an interview with the “Morning Review Hour” programme, said the talks would go on."
    qs = run(text)[0]
    assert not any(q.direct for q in qs) and not any("Morning Review" == q.text.strip() for q in qs)


def test_bench_quotes_names_the_gold_speaker_by_surname():
    from tightrope.bench.quotes import names

    he = Actor(text="he", start=0, end=2, name="Wynter Mmolotsi", kind="pronoun")
    assert names(he, "he (Wynter Mmolotsi)") and names(he, "Mmolotsi")
    assert not names(he, "Siyoka Simasiku") and not names(None, "Mmolotsi")
    phrase = Actor(text="A spokesman for the U.S. military in Afghanistan", start=0, end=48, kind="source")
    assert names(phrase, "A spokesman for the U.S. military in Afghanistan")


def test_a_definite_description_speaker_is_the_person_it_describes():
    text = ("Imran Hayat, the divisional railway superintendent in Quetta, said rescuers had reached the train. "
            "“There is no signal where it stopped,” the railway official said.")
    qs = run(text)[0]
    assert [q.speaker.name for q in qs] == ["Imran Hayat", "Imran Hayat"]
    assert qs[-1].speaker.text == "the railway official"  # the source as written
    # a description of a body is not the person quoted last
    text = ("François Djonou, president of the poultry farmers' association, said sales had fallen. "
            "The poultry farmers' group said imports were to blame.")
    qs = run(text)[0]
    assert qs[-1].speaker.name != "François Djonou"


# ---------------------------------------------------------------- the learned tagger inside the stage

def _tagger_or_skip():
    from tightrope.quotes import tagger as T

    if not T.available():
        pytest.skip("the learned tagger's model is not installed")
    return T.load_tagger()


def test_which_tagger_attributions_become_quotes():
    """The integration's decisions on the tagger's records (learned.py), whatever the model scores."""
    from tightrope.quotes.learned import MIN_LONG_TAIL_SCORE, _as_quote, _wanted
    from tightrope.quotes.tagger import Attribution

    text = ("Officials in Lagos have hinted that the port could reopen before the rainy season. "
            "Prosecutors announced the charges on Tuesday. The envoy signed a trade agreement in March.")
    ctx = QuoteContext(parsed(text), text, [], default_quote_rules())

    def att(content, cue, source, score=0.95, kind="indirect"):
        span = lambda w: (text.index(w), text.index(w) + len(w)) if w else None
        return Attribution((span(content),), span(source), span(cue), score, kind)

    hinted = att("that the port could reopen before the rainy season", "have hinted", "Officials in Lagos")
    assert _wanted(ctx, hinted)  # a long-tail cue with a clause, scored high
    q = _as_quote(ctx, hinted)
    assert (q.text, speaker(q), q.kind, q.parts) == (
        "that the port could reopen before the rainy season", "Officials in Lagos", "indirect", [(q.start, q.end)])
    assert not _wanted(ctx, att("that the port could reopen before the rainy season", "have hinted",
                                "Officials in Lagos", score=MIN_LONG_TAIL_SCORE - 0.01))
    assert not _wanted(ctx, att("that the port could reopen before the rainy season", "have hinted", None))
    assert not _wanted(ctx, att("the charges", "announced", "Prosecutors"))  # the thing announced
    assert not _wanted(ctx, att("a trade agreement", "signed", "The envoy"))  # an act, not a statement


def test_the_committed_tagger_adds_only_sourced_quotes_where_the_rules_found_nothing():
    model = _tagger_or_skip()
    text = ("Officials in Lagos have hinted that the port could reopen before the rainy season. "
            "“We will not sign this deal,” Okafor said. The governor has repeatedly insinuated that the "
            "election was rigged. Prosecutors announced the charges on Tuesday.")
    doc, art = parse(text, keep=lambda s: True), Article(id="t", title="", text=text)
    rules_only = extract_quotes(doc, [], art, tagger=None)[0]
    both = extract_quotes(doc, [], art, tagger=model)[0]
    assert [(q.start, q.end) for q in rules_only] == [(q.start, q.end) for q in both if q.cue == "said"]
    added = [q for q in both if q.cue != "said"]
    assert all(q.speaker is not None for q in added)
    assert not any("charges" in q.text for q in both)


def test_the_tagger_keeps_the_rules_sense_of_cues_and_leaves_their_quotes_alone():
    model = _tagger_or_skip()
    for text in ("Prosecutors in the capital announced the charges against the former mayor on Tuesday.",
                 "The envoy signed a trade agreement with the island nation in March."):
        doc = parse(text, keep=lambda s: True)
        assert extract_quotes(doc, [], Article(id="t", title="", text=text), tagger=model)[0] == [], text
    text = "“We will not sign this deal,” Okafor said. Halvorsen argued that the levy was unfair."
    doc, art = parse(text, keep=lambda s: True), Article(id="t", title="", text=text)
    rules_only = extract_quotes(doc, [], art, tagger=None)[0]
    assert extract_quotes(doc, [], art, tagger=model)[0] == rules_only  # sentences the rules found are theirs


def test_it_and_they_are_the_last_body_that_spoke():
    text = ("The Northern Front, a banned separatist group, said its fighters had seized the train. "
            "It said they were holding more than 200 passengers.")
    qs = run(text)[0]
    assert [(q.speaker.text, q.speaker.name) for q in qs] == [
        ("The Northern Front, a banned separatist group", "The Northern Front"), ("It", "The Northern Front")]
    # a person is never "it"
    qs = run("Minister Ana Reyes said the border was closed. It said the talks would go on.")[0]
    assert qs[-1].speaker is None or qs[-1].speaker.name != "Ana Reyes"


def test_a_speaker_of_two_countries_or_a_group_with_named_members_stands_for_no_country():
    qs = run("Mexican President Ana Ruiz and Canadian Prime Minister John Hale said they had curbed the trade.")[0]
    assert len(qs) == 1 and qs[0].speaker.country is None and qs[0].speaker.kind == "source"
    qs = run("Critics, including Hungary's prime minister, say the bloc cannot afford the plan.")[0]
    assert len(qs) == 1 and qs[0].speaker.country is None
    # one country is that country
    qs = run("Mexican President Ana Ruiz said the trade had been curbed.")[0]
    assert [q.speaker.country for q in qs] == ["MEX"]


def test_a_clause_subject_the_parser_took_for_the_cues_object_stays_in_the_content():
    text = "A Western diplomatic source said Ankara in the last few years imposed onerous controls on the base."
    qs = run(text)[0]
    assert [q.text for q in qs] == ["Ankara in the last few years imposed onerous controls on the base"]
    qs = run("The minister told Kenya the deal was off.")[0]  # the one told is still no content
    assert [q.text for q in qs] == ["the deal was off"]
