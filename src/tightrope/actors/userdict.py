"""A user's own actor dictionary (`tightrope extract --actors FILE`): YAML, CSV or TSV.

YAML: a list of `{name, aliases, country, sector, kind}` (a role word is `{role: ombudsman, sector: JUD}`), a
mapping `{form: {country, sector, ...}}`, or sections of such lists like organisations.yaml. CSV/TSV: columns
`name` (or `text`), `country`, `sector`, optional `kind` and `aliases` (`;`-separated). A PETRARCH/Phoenix
`.actors` file is read by `petrarch.read_user_actors` (each record with its default or latest code). The
lexicon adds the entries over the built-in ones (see `lexicon.build_lexicon`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml


def split_cell(cell: str | None) -> list[str]:
    """The `;`-separated parts of a table cell, stripped, empty ones left out."""
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def read_user_file(path: str) -> list[dict]:
    """The entries of a user's dictionary file as dicts, each with a list of aliases. Raises OSError,
    yaml.YAMLError or csv.Error on a file that cannot be read (the caller reports it)."""
    p = Path(path)
    items: list[dict] = []
    if p.suffix.lower() == ".actors":
        from .petrarch import read_user_actors

        # country and sector are decoded from the CAMEO code; the code itself is no country
        return [{k: v for k, v in item.items() if k != "code"} for item in read_user_actors(p)]
    if p.suffix.lower() in (".csv", ".tsv"):
        with open(p, newline="", encoding="utf-8") as fh:
            dialect = "excel-tab" if p.suffix.lower() == ".tsv" else "excel"
            for row in csv.DictReader(fh, dialect=dialect):
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                row["aliases"] = split_cell(row.get("aliases"))
                items.append(row)
    else:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or []
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, dict):
                    items.append({"name": key, **value})
                elif isinstance(value, list):  # sections like organisations.yaml
                    items.extend(v for v in value if isinstance(v, dict))
        else:
            items = [d for d in data if isinstance(d, dict)]
    for item in items:
        if not isinstance(item.get("aliases") or [], list):
            item["aliases"] = [str(item["aliases"])]
    return items
