"""The mention kinds (`Actor.kind`) and the sector codes the passes assign, by what they are used for."""

from __future__ import annotations

# Names that can open a phrase: "<country|org|person>['s] <role> ...".
MODIFIER_KINDS = frozenset({"country", "demonym", "capital", "place", "igo", "seat", "organisation", "group", "media",
                            "person"})
# Names of places (and of the people of a place).
PLACE_KINDS = frozenset({"country", "demonym", "capital", "place"})
# Names of bodies: their sector passes to a generic role after them ("Hamas leader").
ORG_KINDS = frozenset({"igo", "seat", "organisation", "group", "media"})
# Names that may stand before plain words and a group noun ("Tamil civilian refugees").
NAME_KINDS_BEFORE_GAP = frozenset({"country", "demonym", "place", "capital", "igo", "group", "organisation"})
# Mentions of a person (named, or by title/pronoun): never where a body's country comes from.
PERSON_KINDS = frozenset({"person", "title", "pronoun"})

GOVERNMENT = "GOV"  # the sector of a country or capital that acts
CIVILIANS = "CVL"  # the sector of an ethnic group (people of a place)
FORMER = "ELI"  # the sector of former officials acting privately ("former President", "retired admiral")
