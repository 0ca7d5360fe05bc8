"""The actor grammar: adjacent lexicon matches read as one phrase, and each phrase made into mentions.

    [the] <country|demonym|org>['s] <role>+ <Name>     → person        (US Secretary of State Marco Rubio)
    [the] <country|demonym|org>['s] <role|group>+       → role / body   (the Indian government, Pakistani troops)
    <role>+ <Name>                                      → person        (President Donald Trump)
    <Name>, [the] <country>['s] <role>                  → person        (Jane Doe, Freedonia's foreign minister)
    <role|group> of|in [the] <country>                  → role / body   (the president of Armenia)
    <country|capital|seat|org>                          → itself; countries and capitals acting are GOV

`read_phrase` decides how far a phrase reaches; `compose` hands it to the pass for its shape: `persons` (a role
and a name), `roles` (a role or body without a name), `places` (a name alone).
"""

from __future__ import annotations

from .context import ArticleContext
from .persons import titled_name
from .phrases import Phrase, read_phrase
from .places import bare_name
from .roles import bare_role, modified_role


def _company_named_like_a_title(ctx: ArticleContext, phrase: Phrase) -> bool:
    """'General Motors': a company whose name starts with a title word (left to the organisation pass)."""
    t0, t1 = ctx.token(phrase.chain[0].start), ctx.token(phrase.name_end - 1)
    return t0 is not None and t1 is not None and t0.ent_type_ == "ORG" and t1.ent_type_ == "ORG" and \
        t0.ent_iob_ == "B"


def compose(ctx: ArticleContext) -> None:
    """Read the article's matches left to right into phrases and make each into its mentions."""
    i, n = 0, len(ctx.matches)
    while i < n:
        phrase = read_phrase(ctx, i)
        if phrase is None:
            i += 1
        elif phrase.chain and phrase.name and phrase.modifier is None and _company_named_like_a_title(ctx, phrase):
            i = phrase.next
        elif phrase.chain and phrase.name:
            i = titled_name(ctx, phrase)
        elif phrase.chain and phrase.modifier is not None:
            i = modified_role(ctx, phrase)
        elif phrase.chain:
            i = bare_role(ctx, phrase)
        else:
            i = bare_name(ctx, phrase, i)
