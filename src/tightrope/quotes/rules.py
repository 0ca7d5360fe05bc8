"""The quote rules' language data: every word list the quotes stage reads, loaded from quotes/data/.

`load_quote_rules(data)` reads the files through a `LanguageData`, so a user replaces any of them with a
file of their own (`LanguageData(DATA, {"cues.tsv": "my_cues.tsv"})`) without editing the package:

* `cues.tsv` (lemma, kind): reporting cues and the act each reports (say, claim, deny, affirm, hedge,
  belief, seeming); `irregular_verbs.tsv` (lemma, forms) the forms the inflection rules below cannot make.
* `weak_cues.txt`, `strong_cue_words.txt`: which cues make a segment worth the full parse.
* `quote_marks.tsv` (open, close): the quotation-mark styles, as regular expressions, tried in order.
* open-class lists, one a file: `speech_verbs.txt`, `occasion_nouns.txt`, `nominal_cues.txt`,
  `light_verbs.txt`, `not_labels.txt`, `colon_verbs.txt`, `addressee_verbs.txt`, `no_object_verbs.txt`,
  `event_object_verbs.txt`,
  `claim_nouns.txt`, `collective_nouns.txt`, `stopwords.txt` (each file's first line says what it is for).
* `source_phrases.txt`: phrases that introduce a source ("according to").
* `function_words.tsv` (class, words, use): the closed-class words the rules test, by what they mark
  (`FUNCTION_WORDS` names the classes; each fills the QuoteRules field of the same name).

Parse labels (dependency relations, part-of-speech tags, entity types) are the model's, not language
data, and stay in the code that reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from spacy.tokens import Token

from ..langdata import LanguageData, LanguageDataError
from ..nlp import is_parsed

DATA = Path(__file__).parent / "data"

# Cue kinds that report speech outright; cues of the other kinds (hedge, belief) never make a segment
# worth the full parse on their own.
STRONG_KINDS = ("say", "claim", "deny", "affirm")

# A quotation mark of any style, or a single quote opening a word: enough for a segment to be parsed.
MARK_PATTERN = r"[\"“”‘«»„]|(?<!\w)'(?=\w)"

# rows of function_words.tsv the rules read (each becomes a QuoteRules field of the same name)
FUNCTION_WORDS = (
    "speaker_pronouns", "leading_conjunctions", "name_connectors", "cue_adverbs", "occasion_prepositions",
    "topic_prepositions", "relative_pronouns", "pronoun_objects", "predicate_prepositions", "content_prepositions",
    "nominal_clause_openers", "copular_clause_openers", "copulas", "holder_prepositions", "complementizers",
    "holder_determiners", "male_pronouns", "female_pronouns",
    "affiliation_prepositions", "subject_prepositions", "negations", "definite_determiners",
    "group_pronouns", "coordinators", "inclusion_words",
)

# QuoteRules field -> word-list file
WORD_LISTS = {
    "speech_verbs": "speech_verbs.txt",
    "occasion_nouns": "occasion_nouns.txt",
    "nominal_cues": "nominal_cues.txt",
    "light_verbs": "light_verbs.txt",
    "not_labels": "not_labels.txt",
    "colon_verbs": "colon_verbs.txt",
    "addressee_verbs": "addressee_verbs.txt",
    "no_object_verbs": "no_object_verbs.txt",
    "event_object_verbs": "event_object_verbs.txt",
    "claim_nouns": "claim_nouns.txt",
    "collective_nouns": "collective_nouns.txt",
    "stopwords": "stopwords.txt",
}
# (source_phrases.txt is read apart: its entries are phrases, lower-cased, and make the "according to" patterns)


@dataclass(frozen=True, eq=False)
class QuoteRules:
    """The loaded language data of the quotes stage. Build it with `load_quote_rules`."""

    cues: Mapping[str, str]  # lemma -> kind, in file order
    cue_forms: Mapping[str, str]  # inflected form -> lemma (the first lemma in file order that makes it)
    quote_styles: tuple[tuple[re.Pattern, re.Pattern], ...]
    might_hold_pattern: re.Pattern
    source_phrase_pattern: re.Pattern  # "according to X" in running text (first letter in either case)
    source_phrase_in_frame: re.Pattern  # the same in any case, the source up to a stop or a quotation mark
    complementizer_pattern: re.Pattern  # a complementizer and the space after it ("that ")
    # word lists (WORD_LISTS)
    speech_verbs: frozenset[str]
    occasion_nouns: frozenset[str]
    nominal_cues: frozenset[str]
    light_verbs: frozenset[str]
    not_labels: frozenset[str]
    colon_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    no_object_verbs: frozenset[str]
    event_object_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    collective_nouns: frozenset[str]
    stopwords: frozenset[str]
    source_phrases: frozenset[str]  # "according to"
    # closed-class words by what they mark (FUNCTION_WORDS)
    speaker_pronouns: frozenset[str]
    leading_conjunctions: frozenset[str]
    name_connectors: frozenset[str]
    cue_adverbs: frozenset[str]
    occasion_prepositions: frozenset[str]
    topic_prepositions: frozenset[str]
    relative_pronouns: frozenset[str]
    pronoun_objects: frozenset[str]
    predicate_prepositions: frozenset[str]
    content_prepositions: frozenset[str]
    nominal_clause_openers: frozenset[str]
    copular_clause_openers: frozenset[str]
    copulas: frozenset[str]
    holder_prepositions: frozenset[str]
    complementizers: frozenset[str]
    holder_determiners: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    affiliation_prepositions: frozenset[str]
    subject_prepositions: frozenset[str]
    negations: frozenset[str]
    definite_determiners: frozenset[str]
    group_pronouns: frozenset[str]
    coordinators: frozenset[str]
    inclusion_words: frozenset[str]

    def cue_lemma(self, tok: Token) -> str:
        """The cue lemma of a token, or "": the parser's lemma when the token was parsed and it is a cue,
        else the lemma of its written form."""
        if is_parsed(tok) and tok.lemma_:
            lemma = tok.lemma_.lower()
            if lemma in self.cues:
                return lemma
        return self.cue_forms.get(tok.lower_.replace("’", "'"), "")

    def cue_kind_of_form(self, form: str | None) -> str | None:
        """The kind of the cue written `form` ("denied" -> "deny"), or None."""
        return self.cues.get(self.cue_forms.get((form or "").lower(), ""))

    def might_hold(self, text: str) -> bool:
        """Quotation marks or a strong reporting cue: the segment is worth a full parse."""
        return self.might_hold_pattern.search(text) is not None


def inflect(lemma: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The lemma and its -s, -ed and -ing forms by English spelling rules (consonant + y, sibilants, a
    doubled final consonant after a short vowel), plus its irregular forms."""
    forms = [lemma, *irregular.get(lemma, ())]
    if lemma.endswith("e"):
        forms += [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif re.search(r"[^aeiou]y$", lemma):
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif re.search(r"(s|sh|ch|x|z)$", lemma):
        forms += [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        forms += [lemma + "s", lemma + "ed", lemma + "ing"]
        if re.search(r"[^aeiou][aeiou][pbtgdm]$", lemma) and len(lemma) <= 4:
            forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms


def _cues(data: LanguageData) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in data.table("cues.tsv"):
        out[row["lemma"]] = row["kind"]
    return out


def _function_words(data: LanguageData) -> dict[str, frozenset[str]]:
    """The rows of function_words.tsv (class, words, use) as sets; every class the rules read must be there,
    and a class they do not read is a mistake (a misspelt name would otherwise be silently ignored)."""
    rows = {row["class"]: frozenset(row["words"].lower().split()) for row in data.table("function_words.tsv")}
    missing = [c for c in FUNCTION_WORDS if c not in rows]
    unknown = sorted(c for c in rows if c not in FUNCTION_WORDS)
    if missing or unknown:
        raise LanguageDataError(f"{data.path('function_words.tsv')}: " + "; ".join(
            part for part in (missing and f"no row for {', '.join(missing)}",
                              unknown and f"unknown class {', '.join(unknown)}") if part))
    return rows


def _compile(data: LanguageData, name: str, pattern: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise LanguageDataError(f"{data.path(name)}: {pattern!r} is not a valid regular expression ({exc})") from None


def _phrase_alternation(phrases: frozenset[str], either_case_first: bool) -> str:
    alts = []
    for p in sorted(phrases, key=lambda p: (-len(p), p)):
        if either_case_first and p[:1].isalpha():
            alts.append(f"[{p[0].upper()}{p[0].lower()}]" + re.escape(p[1:]))
        else:
            alts.append(re.escape(p))
    return "|".join(alts) if alts else r"(?!)"


def load_quote_rules(data: LanguageData | None = None) -> QuoteRules:
    """The quote rules read from `data` (default: the packaged quotes/data folder)."""
    if data is None:
        return default_quote_rules()
    cues = _cues(data)
    irregular = {row["lemma"]: tuple(row["forms"].split()) for row in data.table("irregular_verbs.tsv")}
    cue_forms: dict[str, str] = {}
    for lemma in cues:
        for form in inflect(lemma, irregular):
            cue_forms.setdefault(form, lemma)
    weak = data.words("weak_cues.txt")
    strong = {form for form, lemma in cue_forms.items() if cues[lemma] in STRONG_KINDS and lemma not in weak}
    strong |= data.words("strong_cue_words.txt")
    words = "|".join(map(re.escape, sorted(strong))) or r"(?!)"
    might_hold = re.compile(MARK_PATTERN + r"|\b(?:" + words + r")\b", re.IGNORECASE)
    styles = tuple((_compile(data, "quote_marks.tsv", row["open"]), _compile(data, "quote_marks.tsv", row["close"]))
                   for row in data.table("quote_marks.tsv"))
    function_words = _function_words(data)
    phrases = frozenset(" ".join(p.lower().split()) for p in data.lines("source_phrases.txt"))
    return QuoteRules(
        cues=MappingProxyType(cues),
        cue_forms=MappingProxyType(cue_forms),
        quote_styles=styles,
        might_hold_pattern=might_hold,
        source_phrase_pattern=re.compile(
            r"\b(?P<cue>" + _phrase_alternation(phrases, True) + r")\s+(?P<source>[^,.;:“\"\n]+)"),
        source_phrase_in_frame=re.compile(
            r"\b(?P<cue>" + _phrase_alternation(phrases, False) + r")\s+(?P<source>[^,.;:“\"]+)", re.IGNORECASE),
        complementizer_pattern=re.compile(
            r"(?:" + _phrase_alternation(function_words["complementizers"], False) + r")\s+", re.IGNORECASE),
        source_phrases=phrases,
        **{field: data.words(name) for field, name in WORD_LISTS.items()},
        **function_words,
    )


@lru_cache(maxsize=1)
def default_quote_rules() -> QuoteRules:
    """The rules from the packaged data, loaded once per process."""
    return load_quote_rules(LanguageData(DATA))


def might_hold_quote(text: str, rules: QuoteRules | None = None) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse: quotation marks or a reporting cue."""
    return (rules or default_quote_rules()).might_hold(text)
