"""List every actor mention Tightrope finds in text files, with its resolution (for checking by eye).

    .venv/bin/python scripts/actors_seeds.py ../shared/seeds/*.txt

Parses with the same selective parse as `tightrope extract` (pipeline.keep_segment) unless --full.
"""

from __future__ import annotations

import sys
import time

from tightrope.actors import load_lexicon, resolve_actors
from tightrope.nlp import parse
from tightrope.records import Article


def main(argv: list[str]) -> None:
    full = "--full" in argv
    paths = [a for a in argv if not a.startswith("--")]
    lex = load_lexicon(None)
    keep = None
    if not full:
        from tightrope.pipeline import keep_segment
        keep = keep_segment
    for path in paths:
        text = open(path, encoding="utf-8").read()
        doc = parse(text, keep=keep)
        art = Article(id=path, title="", text=text)
        t = time.perf_counter()
        actors = resolve_actors(doc, art, lex)
        dt = time.perf_counter() - t
        print(f"== {path}: {len(actors)} mentions, {len(text.split())} words, resolve {dt * 1000:.1f} ms")
        for a in actors:
            print(f"{a.start:6d} {a.text[:60]!r:62} {a.code or '-':9} {a.kind:12} {a.name} [{a.entity or ''}]")


if __name__ == "__main__":
    main(sys.argv[1:])
