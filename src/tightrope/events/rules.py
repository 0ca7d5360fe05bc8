"""The event rules' language data, read once into one immutable `EventRules`.

Every word the event rules test lives in a file in events/data/ (see each file's header for what its words do):
the trigger lexicon (`triggers.tsv`), the CAMEO verbs (`cameo_verbs.tsv`, built from the Phoenix CAMEO verb
dictionary by scripts/build_cameo_triggers.py), open word classes one per `.txt` file (`non_event_verbs.txt`,
`reciprocal.txt`, `adjunct_preps.txt`, ...), the closed-class words by what they mark (`function_words.tsv`),
the PLOVER types some rules treat alike (`type_classes.tsv`), the patterns that split a YIELD
(`retreat_patterns.txt`) and the PLOVER table (`plover.tsv`, read by `tightrope.plover`). They are read through
`tightrope.langdata.LanguageData`, so a user replaces any of them with a file of their own:

    rules = load_event_rules(LanguageData(DATA, {"reciprocal.txt": "my_reciprocal.txt"}))
    extract_events(doc, actors, article, rules=rules)

`load_event_rules()` with no argument gives the packaged data, loaded once per process.

One copy of each list: a list that takes in another says so in its header instead of repeating it
(`adjunct_preps` takes in the actors stage's place prepositions, `anaphoric_nouns` the saying nouns,
`mutual_with` the reciprocal words but the view verbs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from spacy.tokens import Token

from ..actors import place_prepositions
from ..langdata import LanguageData, LanguageDataError
from ..plover import PloverCoding, load_plover_table
from ..records import PLOVER_TYPES

DATA = Path(__file__).parent / "data"

# file name -> EventRules field, for the open word classes (one word or phrase a line)
WORD_LISTS = {
    "adjunct_preps.txt": "adjunct_preps",
    "non_event_verbs.txt": "non_event_verbs",
    "say_verbs.txt": "say_verbs",
    "claim_verbs.txt": "claim_verbs",
    "claim_nouns.txt": "claim_nouns",
    "deny_verbs.txt": "deny_verbs",
    "plan_heads.txt": "plan_heads",
    "plan_modifiers.txt": "plan_modifiers",
    "reciprocal.txt": "reciprocal",
    "mutual_object_verbs.txt": "mutual_object_verbs",
    "mutual_with.txt": "mutual_with",
    "anaphoric_nouns.txt": "anaphoric_nouns",
    "saying_nouns.txt": "saying_nouns",
    "accusing_nouns.txt": "accusing_nouns",
    "inquiry_words.txt": "inquiry_words",
    "light_nouns.txt": "light_nouns",
    "transfer_verbs.txt": "transfer_verbs",
    "away_verbs.txt": "away_verbs",
    "group_nouns.txt": "group_nouns",
    "ambiguous_triggers.txt": "ambiguous_triggers",
    "place_nouns.txt": "place_nouns",
    "force_nouns.txt": "force_nouns",
    "subordinators.txt": "subordinators",
    "party_nouns.txt": "party_nouns",
    "target_things.txt": "target_things",
    "aid_objects.txt": "aid_objects",
    "verbal_force_words.txt": "verbal_force_words",
    "armed_only_words.txt": "armed_only_words",
    "armed_sectors.txt": "armed_sectors",
    "means_nouns.txt": "means_nouns",
    "credit_nouns.txt": "credit_nouns",
}

# rows of function_words.tsv the rules read (each becomes an EventRules field of the same name)
FUNCTION_WORDS = (
    "oblige_aux", "hypothetical_aux", "future_aux", "refusal_aux", "conditional_marks", "hypothetical_marks", "negative_dets",
    "infinitive_markers", "agent_preps", "genitive_preps", "partner_preps", "inquiry_preps", "verb_place_preps",
    "location_preps", "owning_verbs", "aim_preps", "joining_verbs", "before_preps", "ahead_words", "group_quantifiers", "group_self_nouns", "both_pronouns",
    "plural_pronouns", "and_words", "event_object_preps", "accuser_preps", "recipient_preps", "away_preps",
    "asked_preps", "for_marks", "asking_verbs", "claimer_pronouns", "against_preps", "light_verbs", "carrier_verbs",
    "wh_words", "subject_pronouns", "view_verbs", "according_words", "naming_verbs", "quantity_nouns",
    "currency_words",
)

# rows of type_classes.tsv the rules read
TYPE_CLASSES = ("source_only", "place_target", "clause_target", "verb_over_noun", "verb_on_doer", "embedding", "physical",
                "object_reach", "refusable", "verb_over_opposite")

Words = frozenset[str]


@dataclass(frozen=True, eq=False)
class EventRules:
    """The language data of the events stage (see the data files for what each class means)."""

    lexicon: Mapping[str, tuple[str, str | None]]  # trigger word -> (PLOVER type, mode or None)
    object_tests: Mapping[str, tuple[str, bool]]  # trigger word -> (its object test, whether it needs an object)
    object_lists: Mapping[str, Words]  # the word lists object tests name (triggers.tsv `objects`), by name
    cameo_verbs: Mapping[str, str]  # verb lemma -> PLOVER type, from the CAMEO verb dictionary (cameo_verbs.tsv)
    cameo_particles: Mapping[tuple[str, str], str]  # (verb lemma, particle) -> PLOVER type, from the same file
    plover: Mapping[str, PloverCoding]  # PLOVER type -> CAMEO root, intensity, quad (the one PLOVER table)
    retreat: re.Pattern  # a sentence it matches makes a YIELD a RETREAT
    boilerplate: re.Pattern  # a sentence it matches at its start is no report (a credit, a link line)
    # open word classes (WORD_LISTS)
    adjunct_preps: Words
    non_event_verbs: Words
    say_verbs: Words
    claim_verbs: Words
    claim_nouns: Words
    deny_verbs: Words
    plan_heads: Words
    plan_modifiers: Words
    reciprocal: Words
    mutual_object_verbs: Words
    mutual_with: Words
    anaphoric_nouns: Words
    saying_nouns: Words
    accusing_nouns: Words
    inquiry_words: Words
    light_nouns: Words
    transfer_verbs: Words
    away_verbs: Words
    group_nouns: Words
    ambiguous_triggers: Words
    place_nouns: Words
    force_nouns: Words
    subordinators: Words
    party_nouns: Words
    target_things: Words
    aid_objects: Words
    verbal_force_words: Words
    armed_only_words: Words
    armed_sectors: Words
    means_nouns: Words
    credit_nouns: Words
    # closed classes (FUNCTION_WORDS)
    oblige_aux: Words
    hypothetical_aux: Words
    future_aux: Words
    refusal_aux: Words
    conditional_marks: Words
    hypothetical_marks: Words
    negative_dets: Words
    infinitive_markers: Words
    agent_preps: Words
    genitive_preps: Words
    partner_preps: Words
    inquiry_preps: Words
    verb_place_preps: Words
    location_preps: Words
    owning_verbs: Words
    aim_preps: Words
    joining_verbs: Words
    before_preps: Words
    ahead_words: Words
    group_quantifiers: Words
    group_self_nouns: Words
    both_pronouns: Words
    plural_pronouns: Words
    and_words: Words
    event_object_preps: Words
    accuser_preps: Words
    recipient_preps: Words
    away_preps: Words
    asked_preps: Words
    for_marks: Words
    asking_verbs: Words
    claimer_pronouns: Words
    against_preps: Words
    light_verbs: Words
    carrier_verbs: Words
    wh_words: Words
    subject_pronouns: Words
    view_verbs: Words
    according_words: Words
    naming_verbs: Words
    quantity_nouns: Words
    currency_words: Words
    # PLOVER type classes (TYPE_CLASSES)
    source_only: Words
    place_target: Words
    clause_target: Words
    verb_over_noun: Words
    verb_on_doer: Words
    object_reach: Words
    refusable: Words
    verb_over_opposite: Words
    embedding: Words
    physical: Words
    agent_prep: str  # the preposition spaCy's 'agent' dependency stands for (the first of agent_preps)
    _entries: dict[str, tuple[str, str | None]] = field(repr=False)  # `lexicon` as a plain dict, for speed

    def entry(self, tok: Token) -> tuple[str, str | None] | None:
        """The trigger lexicon's (type, mode) for a token, by lemma, else by word form; None when not a trigger."""
        entries = self._entries
        return entries.get(tok.lemma_.lower()) or entries.get(tok.lower_)

    def cameo_entry(self, tok: Token) -> tuple[str, str | None] | None:
        """The CAMEO verb dictionary's (type, None) for a verb the trigger lexicon does not list: by the verb and
        a particle or preposition after it ("call for"), else by the verb alone; None when it has none."""
        if tok.pos_ != "VERB":
            return None
        lemma = tok.lemma_.lower()
        for c in tok.children:
            if c.i > tok.i and c.dep_ in ("prt", "prep"):
                found = self.cameo_particles.get((lemma, c.lower_))
                if found is not None:
                    return found, None
        found = self.cameo_verbs.get(lemma)
        return (found, None) if found is not None else None

    def is_predicate(self, tok: Token) -> bool:
        """Whether a token can take arguments: any verb, and a noun in the trigger lexicon ("sanctions", "talks")."""
        return tok.pos_ == "VERB" or (tok.pos_ in ("NOUN", "PROPN") and self.entry(tok) is not None)


OBJECT_TESTS_BUILT_IN = ("party", "physical")  # object tests that name no word list (see triggers.tsv)


def _lexicon(data: LanguageData) -> tuple[dict[str, tuple[str, str | None]], dict[str, tuple[str, bool]],
                                          dict[str, Words]]:
    """The trigger lexicon, its object tests and the word lists they name (see triggers.tsv's header)."""
    out: dict[str, tuple[str, str | None]] = {}
    tests: dict[str, tuple[str, bool]] = {}
    lists: dict[str, Words] = {}
    for row in data.table("triggers.tsv"):
        word, value = row["lemma"], (row["type"], row["mode"] or None)
        if not word or not row["type"]:
            raise LanguageDataError(f"{data.path('triggers.tsv')}: a row without a lemma or a type ({row})")
        if out.get(word, value) != value:
            raise LanguageDataError(f"{data.path('triggers.tsv')}: {word!r} is listed twice with different types")
        out[word] = value
        test = (row.get("objects") or "").strip()
        if test:
            name = test.rstrip("+")
            if name not in OBJECT_TESTS_BUILT_IN and name not in lists:
                try:
                    lists[name] = data.words(f"{name}.txt")
                except (OSError, LanguageDataError) as exc:
                    raise LanguageDataError(f"{data.path('triggers.tsv')}: {word!r} names the object list "
                                            f"{name!r}, which cannot be read ({exc})") from None
            tests[word] = (name, test.endswith("+"))
    return out, tests, lists


def _classes(data: LanguageData, name: str, key: str, value: str, wanted: tuple[str, ...]) -> dict[str, Words]:
    """The named rows of a class table (`key` column: name, `value` column: space-separated members)."""
    rows = {row[key]: frozenset(row[value].split()) for row in data.table(name)}
    missing = [w for w in wanted if w not in rows]
    if missing:
        raise LanguageDataError(f"{data.path(name)}: no row for {', '.join(missing)}")
    return {w: rows[w] for w in wanted}


def load_event_rules(data: LanguageData | None = None) -> EventRules:
    """The event rules' data from `data` (default: the packaged files in events/data/, loaded once)."""
    if data is None:
        return _packaged_rules()
    words = {attr: data.words(name) for name, attr in WORD_LISTS.items()}
    function_words = _classes(data, "function_words.tsv", "class", "words", FUNCTION_WORDS)
    # lists that take in another list rather than repeat it (see each file's header)
    words["adjunct_preps"] |= place_prepositions()
    words["anaphoric_nouns"] |= words["saying_nouns"]
    words["mutual_with"] |= words["reciprocal"] - function_words["view_verbs"]
    types = _classes(data, "type_classes.tsv", "class", "types", TYPE_CLASSES)
    agent = next((w for w in data.table("function_words.tsv") if w["class"] == "agent_preps"))["words"].split()
    if not agent:
        raise LanguageDataError(f"{data.path('function_words.tsv')}: agent_preps names no preposition")
    pattern = _pattern(data, "retreat_patterns.txt", r"\b({})\b")
    boilerplate = _pattern(data, "boilerplate_patterns.txt", r"\s*[\W_]*(?:{})")
    lexicon, tests, lists = _lexicon(data)
    cameo_verbs, cameo_particles = _cameo(data)
    return EventRules(lexicon=MappingProxyType(lexicon), _entries=lexicon, object_tests=MappingProxyType(tests),
                      object_lists=MappingProxyType(lists), cameo_verbs=MappingProxyType(cameo_verbs),
                      cameo_particles=MappingProxyType(cameo_particles),
                      plover=MappingProxyType(load_plover_table(data)), retreat=pattern,
                      boilerplate=boilerplate, agent_prep=agent[0],
                      **words, **function_words, **types)


def _pattern(data: LanguageData, name: str, frame: str) -> re.Pattern:
    """The lines of a pattern file as one case-insensitive alternation, set in `frame` ("{}" stands for it)."""
    lines = data.lines(name)
    for line in lines:
        try:
            re.compile(line)
        except re.error as exc:
            raise LanguageDataError(f"{data.path(name)}: not a valid pattern: {line!r} ({exc})") from None
    return re.compile(frame.format("|".join(lines) or "(?!)"), re.I)


def _cameo(data: LanguageData) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """cameo_verbs.tsv as (verb -> type, (verb, particle) -> type); a type must be a PLOVER type."""
    verbs: dict[str, str] = {}
    particles: dict[tuple[str, str], str] = {}
    for row in data.table("cameo_verbs.tsv"):
        lemma, word, kind = row.get("lemma") or "", row.get("word") or "", row.get("type") or ""
        if not lemma or kind not in PLOVER_TYPES:
            raise LanguageDataError(f"{data.path('cameo_verbs.tsv')}: a row without a verb or a PLOVER type ({row})")
        if word:
            particles[(lemma, word)] = kind
        else:
            verbs[lemma] = kind
    return verbs, particles


@lru_cache(maxsize=1)
def _packaged_rules() -> EventRules:
    return load_event_rules(LanguageData(DATA))
