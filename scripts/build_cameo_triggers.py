"""Build src/tightrope/events/data/cameo_verbs.tsv from the Phoenix CAMEO verb pattern dictionary.

    python scripts/build_cameo_triggers.py [PATH/TO/CAMEO.verbpatterns.txt]

(default: ../shared/data/knowledge/phoenix_dictionaries/CAMEO.verbpatterns.txt beside the repository).

Source: openeventdata/Dictionaries, CAMEO.verbpatterns.txt (last update 30 April 2015), MIT licence, Copyright (c)
2015 Open Event Data Alliance (the file's header; see events/data/README.md). The file is a PETRARCH verb
dictionary: blocks opened by `--- NAME [CODE] ---`, each listing verbs (an optional own `[CODE]` each; multi-word
verbs joined by `_`, the verb marked `+`) and then patterns `- ... * ... [CODE]` where `*` stands for the verb.

What is taken, as facts (verb -> CAMEO code), each CAMEO code turned into a PLOVER category through the one
PLOVER table (events/data/plover.tsv, `category`, read by `tightrope.plover`):

* one row per verb with its own code or its block's (`word` empty): "condemn" -> 111 -> ACCUSE. A verb that two
  blocks give different categories is left out (its sense needs the pattern), and so is a null code (`---`)
  or a root with no PLOVER category (01 Make public statement);
* one row per (verb, particle) where the block's patterns put that particle right after the verb ("* FOR",
  "*_UP") at least `MIN_PATTERNS` times, `MIN_SHARE` of them with one root: "call for" -> 02 -> REQUEST. A
  pattern applies to every verb of its block (PETRARCH's reading), so the row is written for each of them. A
  particle is a word the file itself joins to verbs ("+MEET_WITH", "+BEEF_UP": with, up, ...); a noun after the
  verb in a pattern is left out (it names what the whole pattern codes, not what the verb does).

Deterministic: rows sorted by (lemma, word); the output is byte-for-byte the same for the same input.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "knowledge" / "phoenix_dictionaries" / "CAMEO.verbpatterns.txt"
OUT = ROOT / "src" / "tightrope" / "events" / "data" / "cameo_verbs.tsv"
MIN_PATTERNS = 2  # patterns that must put a word right after the verb for a (verb, word) row
MIN_SHARE = 0.6  # the share of those patterns that must agree on the root

_BLOCK = re.compile(r"^---\s*(.*?)\s*(?:\[([^\]]*)\])?\s*(?:---|###)")
_CODE = re.compile(r"\[([^\]]*)\]")
_WORD = re.compile(r"^[a-z][a-z'-]*$")

HEADER = """\
# CAMEO verbs and verb + particle patterns as PLOVER triggers: a verb the trigger lexicon (triggers.tsv) does not
# list, or a particle right after a verb ("call for", "speak out"), and the PLOVER category its CAMEO code maps
# to. Many CAMEO verb codes only hold with the actors PETRARCH's patterns expect, so the event rules take one of
# these only where the learned typer agrees with it (see events/making.py).
# Built by scripts/build_cameo_triggers.py from the Phoenix CAMEO verb pattern dictionary (openeventdata/
# Dictionaries, CAMEO.verbpatterns.txt, 30 April 2015), which is under the MIT licence:
#   Copyright (c) 2015 Open Event Data Alliance. Permission is hereby granted, free of charge, to any person
#   obtaining a copy of this software and associated documentation files (the "Software"), to deal in the
#   Software without restriction, including without limitation the rights to use, copy, modify, merge, publish,
#   distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
#   furnished to do so, subject to the following conditions: The above copyright notice and this permission
#   notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED
#   "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
# Columns: lemma (the verb), word (empty: the verb alone; else the particle after it), cameo (the CAMEO code,
# for a pattern row the root of its patterns), type (the PLOVER category of that root, plover.tsv), patterns
# (for a pattern row, how many patterns support it).
"""


def _strip_comment(line: str) -> str:
    line = re.sub(r"<!--.*?-->", "", line)
    for mark in ("#", ";"):
        if mark in line:
            line = line[: line.index(mark)]
    return line.rstrip()


def _root(code: str) -> str | None:
    """The two-digit root of a CAMEO code ("0332" -> "03", "043:042" -> "04"); None for the null code."""
    first = code.strip().split(":")[0].strip()
    return first[:2] if re.fullmatch(r"\d{2,4}", first) else None


def _verb(entry: str) -> tuple[str, str] | None:
    """(lemma, word after it) of a verb line's first item: "MEET" -> ("meet", ""), "+MEET_WITH" -> ("meet",
    "with"); None for a multi-word verb whose verb is not its first word ("WIRE_+TAP")."""
    parts = entry.lower().split("_")
    if len(parts) == 1:
        word = parts[0].lstrip("+")
        return (word, "") if _WORD.match(word) else None
    if not parts[0].startswith("+"):
        return None
    lemma, rest = parts[0][1:], " ".join(p for p in parts[1:] if p)
    if not _WORD.match(lemma) or not all(_WORD.match(p) for p in rest.split()):
        return None
    return lemma, rest


def parse(text: str) -> list[dict]:
    """The verb blocks: [{code, verbs: [(lemma, word, code)], after: Counter((word, root))}]."""
    blocks: list[dict] = []
    block = None
    in_synset = False
    for raw in text.splitlines():
        if raw.startswith("---"):
            m = _BLOCK.match(raw)
            block = {"code": (m.group(2) or "---") if m else "---", "verbs": [], "after": Counter()}
            blocks.append(block)
            in_synset = False
            continue
        line = _strip_comment(raw)
        if not line.strip():
            continue
        if line.startswith("&"):
            in_synset = True
            continue
        if in_synset and line.lstrip().startswith("+"):
            continue
        in_synset = False
        if block is None:
            continue
        if line.startswith("-"):
            codes = _CODE.findall(line)
            root = _root(codes[-1]) if codes else None
            tokens = _CODE.sub("", line[1:]).split()
            for i, tok in enumerate(tokens):
                if "*" not in tok:
                    continue
                if tok.startswith("*_"):  # "*_FOR": the word joined to the verb
                    nxt = tok[2:].lower()
                elif tok == "*" and i + 1 < len(tokens):
                    nxt = tokens[i + 1].lower()
                else:
                    nxt = ""
                if nxt and _WORD.match(nxt) and root is not None:
                    block["after"][(nxt, root)] += 1
                break
            continue
        head = line.split("{")[0].strip()
        own = _CODE.search(head)
        entry = _CODE.sub("", head).split()
        if not entry:
            continue
        verb = _verb(entry[0])
        if verb is not None:
            block["verbs"].append((verb[0], verb[1], own.group(1) if own else block["code"]))
    return blocks


def build(text: str, categories: dict[str, str | None]) -> list[tuple[str, str, str, str, str]]:
    """The rows (lemma, word, cameo, type, patterns), sorted."""
    alone: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    after: dict[tuple[str, str], Counter] = defaultdict(Counter)
    blocks = parse(text)
    particles = {w for block in blocks for _, word, _ in block["verbs"] for w in word.split()}
    for block in blocks:
        for lemma, word, code in block["verbs"]:
            root = _root(code)
            category = categories.get(root) if root else None
            if category:
                alone[(lemma, word)].add((code.split(":")[0].strip(), category))
            elif root is None or not category:
                alone[(lemma, word)].add(("---", ""))
        for lemma, word, _ in block["verbs"]:
            if word:
                continue
            for (nxt, root), n in block["after"].items():
                if nxt in particles:
                    after[(lemma, nxt)][root] += n
    rows = []
    for (lemma, word), found in alone.items():
        kinds = {category for _, category in found}
        if len(kinds) != 1 or "" in kinds:
            continue  # no category, or blocks that disagree
        code = sorted(found)[0][0]
        rows.append((lemma, word, code, kinds.pop(), ""))
    taken = {(r[0], r[1]) for r in rows}
    for (lemma, word), roots in after.items():
        total = sum(roots.values())
        root, n = sorted(roots.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        category = categories.get(root)
        if total < MIN_PATTERNS or n / total < MIN_SHARE or not category or (lemma, word) in taken:
            continue
        rows.append((lemma, word, root, category, str(n)))
    return sorted(rows)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from tightrope.plover import load_cameo_roots

    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    if not source.is_file():
        print(f"{source}: not found (pass the path of CAMEO.verbpatterns.txt)", file=sys.stderr)
        return 1
    categories = {code: root.category for code, root in load_cameo_roots().items()}
    rows = build(source.read_text(encoding="utf-8", errors="replace"), categories)
    body = "lemma\tword\tcameo\ttype\tpatterns\n" + "".join("\t".join(r) + "\n" for r in rows)
    OUT.write_text(HEADER + body, encoding="utf-8")
    print(f"{OUT}: {len(rows)} rows ({sum(1 for r in rows if not r[1])} verbs, "
          f"{sum(1 for r in rows if r[1])} verb + word)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
