"""Quotes, claims and disputes: who said what, and who denies it.

Direct quotes are found on the raw text (every quotation-mark style, split and multi-paragraph quotes),
then attributed with the parse of their sentence: a reporting cue (quotes/data/cues.tsv) and its subject,
a speaker next to the cue when the sentence was not parsed, "according to X", a colon after a clause, or
the speaker of the quote just before. Indirect speech is the clausal complement ("X argued that ...") or
the object ("India denies any mediation") of a cue verb. Attributed content becomes a Claim; a denial
("a statement the government refuted", "an assertion India disputes") is linked to the claim it answers.
"""

from __future__ import annotations

from .align import align_quotes
from .extract import extract_quotes, might_hold_quote

__all__ = ["extract_quotes", "might_hold_quote", "align_quotes"]
