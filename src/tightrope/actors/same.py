"""One definition of "the same actor", for every stage that asks (events: is the target the source? quotes:
does the disputer dispute their own claim?)."""

from __future__ import annotations

from ..records import Actor


def same_actor(a: Actor | None, b: Actor | None) -> bool:
    """Whether two mentions stand for the same actor: the same span; else, when both belong to an entity
    (a person's chain of mentions), the same entity; else the same name with the same code. A missing
    mention is nobody."""
    if a is None or b is None:
        return False
    if a is b or (a.start, a.end) == (b.start, b.end):
        return True
    if a.entity and b.entity:
        return a.entity == b.entity
    return bool(a.name) and a.name == b.name and a.code == b.code
