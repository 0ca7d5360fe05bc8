"""Find actor mentions in an article and resolve each to whom it stands for: the passes, in order.

One pass of the lexicon regex over the raw text gives the candidate mentions (`candidates`); the grammar reads
them into phrases and mentions (`grammar`, with `persons`, `roles`, `places`); spaCy's entities add people and
organisations the dictionaries do not know (`entities`); people's later mentions, appositions and countries are
filled in (`persons`); bodies without a country take one from the context (`bodies`); people take the country
of the body or place their sentence's grammar attaches them to (`affiliations`); he/she reporting is tied
to a person (`pronouns`); the dateline's place is dropped (`dateline`). Everything except the entity and pronoun
passes works on the raw text, so segments that were only tokenised still get dictionary matches.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Actor, Article
from .affiliations import affiliations, led_bodies
from .anaphors import anaphors
from .acronyms import acronyms
from .bodies import (body_countries, coordinated_country_words, envoys_at_international_bodies, group_countries,
                     local_bodies, possessed_bodies, ruling_bodies)
from .candidates import lexicon_matches
from .context import ArticleContext
from .dateline import find_dateline
from .entities import appositive_people, misspelt_places, ner_organisations, ner_people
from .grammar import compose
from .lexicon import Lexicon
from .knowledge import article_day, igo_sectors, kb_bodies, kb_people, party_state_labels, provenance
from .persons import (apposition_links, complete_people, later_names, merge_people, person_countries_from_context,
                      role_then_name, roles_after_names, countrys_person)
from .pronouns import pronoun_mentions
from .roles import country_sides

# The passes after the grammar, in the order they run: each reads what the ones before it found.
PASSES = (
    country_sides,
    ner_people,
    appositive_people,
    ner_organisations,
    misspelt_places,
    later_names,
    role_then_name,
    apposition_links,
    roles_after_names,
    countrys_person,
    party_state_labels,
    merge_people,
    kb_people,
    kb_bodies,
    possessed_bodies,
    person_countries_from_context,
    group_countries,
    body_countries,
    local_bodies,
    ruling_bodies,
    acronyms,
    affiliations,
    led_bodies,
    complete_people,
    envoys_at_international_bodies,
    ArticleContext.sort_mentions,
    coordinated_country_words,
    pronoun_mentions,
    anaphors,
    igo_sectors,
    provenance,
)


def resolve(doc: Doc | None, article: Article, lex: Lexicon) -> list[Actor]:
    """Every actor mention in the article, in text order (see the module docstring for the passes)."""
    text = article.text
    ctx = ArticleContext(doc, text, lex, lexicon_matches(text, lex), dateline=find_dateline(text, lex),
                         day=article_day(article.published))
    compose(ctx)
    for step in PASSES:
        step(ctx)
    if ctx.dateline is not None:
        # the dateline says where the story was filed: not an actor
        return [m for m in ctx.mentions
                if not (ctx.dateline.start <= m.start and m.end <= ctx.dateline.header_end)]
    return ctx.mentions
