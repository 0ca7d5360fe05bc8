"""The word lists and patterns the actor passes read, built once from the component's data files.

Every list lives in `data/` (see data/README.md) and is read through a `LanguageData`, so a user replaces any
of them with a file of their own without editing the package. This module only turns the lists into sets and
compiled patterns; what each one means is written in its file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..langdata import LanguageData, LanguageDataError

DATA = Path(__file__).parent / "data"


def actor_data(overrides: dict[str, str] | None = None) -> LanguageData:
    """The actors component's data files (`data/`), each replaceable by a user's file of the same kind."""
    return LanguageData(DATA, overrides)


def kb_data(data: LanguageData) -> LanguageData:
    """The knowledge base's files (`data/kb/`) of the component's data: a user's override of "kb/seats.tsv" in
    `data` replaces "seats.tsv" there. A data folder without kb/ (saved by an older version) uses the packaged
    knowledge base."""
    folder = data.folder / "kb"
    if not folder.is_dir():
        folder = DATA / "kb"
    overrides = {name[3:]: path for name, path in data.overrides.items() if name.startswith("kb/")}
    return LanguageData(folder, overrides)


_ACRONYM = r"([A-Z][A-Za-z0-9&]*[A-Z][A-Za-z0-9&]*)"  # "NCP", "BLA", "ISIS", "AQAP", "M23"


def word_pattern(word: str) -> str:
    """A word list entry as a regex: escaped, with a trailing `*` standing for any word characters."""
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word)


def alternation(words: Iterable[str]) -> str:
    """One non-capturing group matching any of `words` (see `word_pattern`), in list order; an empty list
    matches nothing."""
    words = list(words)
    if not words:
        return "(?!)"
    return "(?:" + "|".join(word_pattern(w) for w in words) + ")"


def either_case(word: str) -> str:
    """A regex for `word` with its first letter in either case ("[Hh]e")."""
    head = word[:1]
    if head.lower() == head.upper():
        return word_pattern(word)
    return f"[{head.upper()}{head.lower()}]" + word_pattern(word[1:])


def _words(items: Iterable, where: str = "") -> tuple[str, ...]:
    """The entries of a YAML word list, which must all be strings: YAML reads a bare on/off/yes/no as true or
    false, so such a word has to be quoted ("on")."""
    out = []
    for w in items:
        if not isinstance(w, str):
            raise LanguageDataError(f"{where}: {w!r} is not a word (quote words such as \"on\" or \"no\" in YAML)")
        out.append(w)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AmbiguousName:
    """A name with a second reading (data/ambiguous_names.tsv): see that file for when it is taken."""

    form: str
    name: str | None
    country: str | None
    kind: str | None  # None: the second reading is no actor at all
    before: re.Pattern | None  # ends right before the form
    after: re.Pattern | None  # starts right after the form
    not_after: re.Pattern | None
    cues: re.Pattern | None
    against: re.Pattern | None


def _phrases(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(";") if p.strip())


def _ambiguous_names(data: LanguageData) -> dict[str, AmbiguousName]:
    out = {}
    for row in data.table("ambiguous_names.tsv"):
        before, after = _phrases(row["before"]), _phrases(row["after"])
        not_after, cues, against = _phrases(row["not_after"]), _phrases(row["cues"]), _phrases(row["against"])
        if not row["form"]:
            raise LanguageDataError(f"{data.path('ambiguous_names.tsv')}: a row has no form")
        out[row["form"]] = AmbiguousName(
            form=row["form"], name=row["name"] or None, country=row["country"] or None,
            kind=None if row["kind"] in ("", "-") else row["kind"],
            before=re.compile(r"\b" + alternation(before) + r"\s+$", re.IGNORECASE) if before else None,
            after=re.compile(r"\s+" + alternation(after) + r"\b", re.IGNORECASE) if after else None,
            not_after=re.compile(r"\s*,?\s*" + alternation(not_after)) if not_after else None,
            cues=re.compile(r"\b" + alternation(cues) + r"\b") if cues else None,
            against=re.compile(r"\b" + alternation(against) + r"\b") if against else None)
    return out


@dataclass(frozen=True)
class ActorWords:
    """Everything lexical the actor passes test against, by what it is used for."""

    igo_codes: frozenset[str]
    non_state_codes: frozenset[str]  # international bodies that are not intergovernmental (NGOs, militants)
    igo_sectors_kept: frozenset[str]  # sectors an intergovernmental body's mention keeps (else IGO)
    former: re.Pattern  # ends right before a title: "former ", "ex-", "retired "
    former_word: re.Pattern  # the same word where it starts: "former ", "ex-"
    portfolio: re.Pattern  # " of Justice", " of Environment and Tourism" after a minister's title
    named_after_place: re.Pattern  # starts right after a place: " agreement", " accords"
    named_after_place_words: frozenset[str]
    reporting_verbs: frozenset[str]
    place_prepositions: frozenset[str]
    not_acting_after: frozenset[str]  # place prepositions and "of": a country after one is not acting
    not_name_words: frozenset[str]
    directions: frozenset[str]
    generic_roles: frozenset[str]
    determiners: frozenset[str]
    definite_article: frozenset[str]
    ethnic_words: frozenset[str]
    leader_government: dict[str, str | None]  # word → the country whose usage it is
    official_of_body: frozenset[str]
    located_in: frozenset[str]
    comes_from: frozenset[str]
    envoy_role_end: re.Pattern  # a role mention ending in an envoy's title ("representative")
    person_pronouns: tuple[str, ...]
    state_bodies: frozenset[str]
    state_of_a_country: frozenset[str]
    political_sectors: frozenset[str]
    too_common_to_parse: frozenset[str]
    located_only: frozenset[str]
    ambiguous: dict[str, AmbiguousName]
    organisation_heads: tuple[tuple[re.Pattern, str], ...]
    name_after: re.Pattern  # a name of up to five words after a title
    name_before: re.Pattern  # "<Name>, [the] " ending where a role phrase starts
    name_start: re.Pattern  # ", <Name>" after a role ("China's commerce minister, Wang Wentao")
    apposition_gap: re.Pattern  # ", [the] " between a name and its role
    place_event: re.Pattern  # "speaking to reporters in " before a capital
    legislature: re.Pattern
    gap_words: tuple[re.Pattern, ...]  # plain words between a country adjective and a group noun
    gap_words_capitalised: tuple[re.Pattern, ...]
    coordination: re.Pattern
    pronoun_roles: dict[str, str]  # each pronoun as written (either case of its first letter) → subject/object/relative
    pronoun_genders: dict[str, str]
    residence: re.Pattern
    both_sides: re.Pattern
    attitude_before: re.Pattern
    attitude_window: int  # characters before a name to search for an attitude prefix
    led: re.Pattern
    role_preposition: re.Pattern
    body_preposition: re.Pattern
    plural_before: re.Pattern
    many_states: frozenset[str]
    local_sectors: frozenset[str]
    owned_by: re.Pattern  # " operated by ", " owned by " (and "the") after a body
    stateless_groups: frozenset[str]
    acronym_defined: re.Pattern  # " (NCP)", ", or BLA" right after a body's name: the acronym in group 1 or 2
    country_side: re.Pattern  # " side", " state", ... right after a country word
    local_before: re.Pattern  # "local ", "provincial " (and a word) before a body or official
    possessive_pronoun_before: re.Pattern
    foreign_before: re.Pattern  # "foreign " (and a word or two) before a group noun
    ruling_before: re.Pattern  # "the ruling " right before a party's name
    regional_before: re.Pattern  # "European ", "Africa's " (and a lowercase word) before a group noun: group 1 the region
    regions: dict[str, frozenset[str]]  # a region's adjective, lower case ("north african") → its countries
    other_party: re.Pattern
    article_start: re.Pattern
    month: str  # regex of a month name or abbreviation (datelines)

    @classmethod
    def load(cls, data: LanguageData) -> ActorWords:
        grammar = data.yaml("grammar.yaml")
        sectors = data.yaml("sectors.yaml")
        if not isinstance(grammar, dict) or not isinstance(sectors, dict):
            raise LanguageDataError(f"{data.path('grammar.yaml')} and sectors.yaml must be mappings of word lists")

        regions: dict[str, frozenset[str]] = {}
        region_owners: list[str] = []
        for number, row in enumerate(data.table("regions.tsv"), start=2):
            countries = (row.get("countries") or "").split()
            if not row.get("name") or not countries or any(not re.fullmatch(r"[A-Z]{3}", c) for c in countries):
                raise LanguageDataError(f"{data.path('regions.tsv')}: row {number} needs a name and ISO3 countries")
            regions[row["name"]] = frozenset(countries)
            if row.get("possessive"):
                region_owners.append(row["possessive"])

        def g(key: str) -> tuple[str, ...]:
            if key not in grammar:
                raise LanguageDataError(f"{data.path('grammar.yaml')}: no list '{key}'")
            return _words(grammar[key] or (), f"{data.path('grammar.yaml')}: {key}")

        def s(key: str) -> frozenset[str]:
            if key not in sectors:
                raise LanguageDataError(f"{data.path('sectors.yaml')}: no list '{key}'")
            return frozenset(_words(sectors[key] or (), f"{data.path('sectors.yaml')}: {key}"))

        months = data.lines("months.txt")
        not_name = data.words("not_name_words.txt") | set(months) | data.words("weekdays.txt")
        articles, the = g("articles"), g("definite_article")
        # longest first and whole ("al-Sudani" is one word of the name, not "al" and a stop; "del" is not "delivered")
        particles = alternation(sorted(data.lines("name_particles.txt"), key=len, reverse=True)) + \
            r"(?=['’]s\b|[^\w'’\-]|$)"
        name_word = r"(?:[A-Z]\.(?:\s?[A-Z]\.)*|[A-Z][\w'’\-]*[a-z][\w'’\-]*|" + particles + ")"
        capitalised = r"(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.)"
        optional_article = "(?:" + "".join(word_pattern(a) + r"\s+|" for a in articles)[:-1] + ")?"
        optional_the = "(?:" + "|".join(word_pattern(a) + r"\s+" for a in the) + ")?"
        place_preps = data.words("place_prepositions.txt")
        gap_stop = "".join(word_pattern(w) + r"\b|" for w in g("gap_stop_words"))[:-1]
        gap_word = r"\s+(?!" + gap_stop + r")[a-z][a-z\-]+"
        gap_cap = r"\s+(?!" + "|".join(word_pattern(a.capitalize()) + r"\b" for a in articles) + r")[A-Za-z][a-z\-]+"
        conj = g("conjunctions")
        both = grammar.get("both_sides") or {}
        directions = data.lines("directions.txt")
        portfolio = alternation(sorted(data.lines("portfolios.txt"), key=len, reverse=True)) + r"\b"
        former_words = data.lines("former_words.txt")
        former = (r"(?i:" + alternation(w for w in former_words if not w.endswith("-")) + r"\s+|"
                  + alternation(w for w in former_words if w.endswith("-")) + ")")
        heads = []
        for row in data.table("organisation_heads.tsv"):
            heads.append((re.compile(r"\b" + alternation(_phrases(row["words"])) + r"\b"), row["sector"]))
        return cls(
            igo_codes=data.words("igo_codes.txt"),
            non_state_codes=data.words("non_state_codes.txt"),
            igo_sectors_kept=s("igo_sectors_kept"),
            named_after_place=re.compile(r"\s+" + alternation(data.lines("named_after_places.txt")) + r"\b",
                                         re.IGNORECASE),
            named_after_place_words=frozenset(w.lower() for w in data.lines("named_after_places.txt")),
            # "former ", "ex-", and up to two capitalised words after it ("former Socialist prime minister")
            former=re.compile(r"\b" + former + r"(?:[A-Z][\w\-]+\s+){0,2}$"),
            former_word=re.compile(former),
            portfolio=re.compile(r"\s+of\s+(?:the\s+)?" + portfolio + r"(?:\s*(?:,|and|&)\s*" + portfolio + r")*(?=\s)",
                                 re.IGNORECASE),
            reporting_verbs=data.words("reporting_verbs.txt"),
            place_prepositions=place_preps,
            not_acting_after=place_preps | set(g("not_acting_after")),
            not_name_words=frozenset(not_name),
            directions=frozenset(directions),
            generic_roles=data.words("generic_roles.txt"),
            determiners=data.words("determiners.txt"),
            definite_article=frozenset(the),
            ethnic_words=frozenset(g("ethnic_words")),
            leader_government={str(w).lower(): (str(c) if c else None)
                               for w, c in (grammar.get("leader_government") or {}).items()},
            official_of_body=frozenset(g("official_of_body")),
            located_in=frozenset(g("located_in")),
            comes_from=frozenset(g("comes_from")),
            envoy_role_end=re.compile(r"\b" + alternation(g("envoy_roles")) + "$", re.IGNORECASE),
            person_pronouns=g("person_pronouns"),
            state_bodies=s("state_bodies"),
            state_of_a_country=s("state_of_a_country"),
            political_sectors=s("political_sectors"),
            too_common_to_parse=s("too_common_to_parse"),
            located_only=s("located_only"),
            local_sectors=s("local_sectors"),
            owned_by=re.compile(r"\s+" + alternation(g("owned_by")) + r"\s+" + optional_the),
            stateless_groups=s("stateless_groups"),
            ambiguous=_ambiguous_names(data),
            organisation_heads=tuple(heads),
            name_after=re.compile(r"\s+(" + name_word + r"(?:\s+" + name_word + r"){0,4})"),
            name_before=re.compile(
                "(" + capitalised + r"(?:\s+" + capitalised + r"){0,3}),\s+" + optional_article + "$"),
            name_start=re.compile(r",\s+(" + capitalised + r"(?:\s+" + capitalised + r"){1,3})(?=\s*(?:[,.;)]|$))"),
            apposition_gap=re.compile(r",\s+" + optional_article),
            place_event=re.compile(
                r"\b" + alternation(data.lines("place_event_words.txt")) + r"\W+(?:\w+\W+){0,3}"
                + alternation(data.lines("place_prepositions.txt")) + r"\W+$", re.IGNORECASE),
            legislature=re.compile(r"\b" + alternation(data.lines("legislature_words.txt"))),
            gap_words=(re.compile(gap_word + r"\s+"), re.compile(gap_word + gap_word + r"\s+")),
            gap_words_capitalised=(re.compile(gap_cap + r"\s+"), re.compile(gap_cap + gap_cap + r"\s+")),
            coordination=re.compile(r"\s*(?:,\s*(?:" + "".join(word_pattern(c) + r"\s+|" for c in conj)[:-1]
                                    + r")?|\s+" + alternation(conj) + r"\s+)"),
            pronoun_roles={form: role for role, key in (("relative", "relative_pronouns"), ("object", "object_pronouns"),
                                                        ("subject", "person_pronouns"))
                           for p in g(key) for form in (p[:1].upper() + p[1:], p[:1].lower() + p[1:])},
            pronoun_genders={str(k).lower(): str(v) for k, v in (grammar.get("pronoun_genders") or {}).items()},
            residence=re.compile(
                r"\s+(?:" + "".join(word_pattern(v) + r"\s+|" for v in g("residence_verbs"))[:-1] + ")?"
                + alternation(g("residence_prepositions")) + r"\s+" + optional_the
                + "(?:" + alternation(directions) + r"\s+)?"),
            both_sides=re.compile(
                r"\b" + alternation(_words(both.get("prepositions") or (), "both_sides")) + r"\s+"
                + alternation(_words(both.get("quantifiers") or (), "both_sides")) + r"\s+"
                + alternation(_words(both.get("nouns") or (), "both_sides")) + r"\b"),
            attitude_before=re.compile(r"\b" + alternation(g("attitude_prefixes")) + "-$", re.IGNORECASE),
            attitude_window=max((len(w) for w in g("attitude_prefixes")), default=0) + 2,
            led=re.compile("-" + alternation(g("led_suffixes")) + r"\s+"),
            role_preposition=re.compile(r"\s+(?P<prep>" + alternation(g("role_prepositions")) + r")\s+" + optional_the),
            body_preposition=re.compile(r"\s+" + alternation(g("body_of_place")) + r"\s+" + optional_the),
            plural_before=re.compile(r"\b" + alternation(g("plural_quantifiers")) + r"\s+$"),
            many_states=frozenset(w.lower() for w in g("many_states")),
            acronym_defined=re.compile(r"\s*(?:\(\s*" + _ACRONYM + r"\s*\)|,?\s+" + alternation(g("acronym_introducers"))
                                       + r"\s+" + optional_the + _ACRONYM + r"\b)"),
            country_side=re.compile(r"\s+(" + alternation(g("country_side_nouns")) + r")\b(?![\-‑])"),
            local_before=re.compile(r"\b" + alternation(g("local_words")) + r"\s+(?:[a-z]+\s+)?$", re.IGNORECASE),
            foreign_before=re.compile(r"\b" + alternation(g("foreign_words")) + r"\s+(?:[\w\-]+\s+){0,2}$",
                                      re.IGNORECASE),
            ruling_before=re.compile(r"\b" + alternation(g("ruling_words")) + r"\s+$", re.IGNORECASE),
            regional_before=re.compile(r"\b(" + alternation(sorted(regions, key=len, reverse=True)) + r"|"
                                       + alternation(sorted(region_owners, key=len, reverse=True))
                                       + r"['’]s)\s+(?:[a-z][\w\-]*\s+)?$"),
            regions={name.lower(): countries for name, countries in regions.items()},
            possessive_pronoun_before=re.compile(
                r"\b(?:" + "|".join(either_case(p) for p in g("possessive_pronouns")) + r")\s+$"),
            other_party=re.compile(r"\s+" + alternation(g("other_party")) + r"\s+"),
            article_start=re.compile(r"^(?:" + "|".join(either_case(a) for a in the) + r")\s+"),
            month="(?:" + "|".join(re.escape(m[:3]) for m in months) + r")[a-z]*\.?",
        )
