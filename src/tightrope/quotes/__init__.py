"""Quotes, claims and disputes: who said what, and who denies it.

Direct quotes are found on the raw text (every quotation-mark style, split and multi-paragraph quotes),
then attributed with the parse of their sentence: a reporting cue (quotes/data/cues.tsv) and its subject,
a speaker next to the cue when the sentence was not parsed, "according to X", a colon after a clause, or
the speaker of the quote just before. Indirect speech is the clausal complement ("X argued that ...") or
the object ("India denies any mediation") of a cue verb. Attributed content becomes a Claim; a denial
("a statement the government refuted", "an assertion India disputes") is linked to the claim it answers.

Public interface:
- `load_quote_rules(data)`: the stage's language data (quotes/data/, each file overridable through a
  `LanguageData`); `extract_quotes(doc, actors, article, rules)` and `might_hold_quote(text, rules)` take it
  (default: the packaged data).
- `align_quotes(a, b)`: the same quote in two articles despite different wording.
The passes are described in extract.py; each lives in its own module.
"""

from __future__ import annotations

from .align import align_quotes
from .extract import extract_quotes
from .rules import DATA, QuoteRules, load_quote_rules, might_hold_quote

__all__ = ["DATA", "QuoteRules", "align_quotes", "extract_quotes", "load_quote_rules", "might_hold_quote"]
