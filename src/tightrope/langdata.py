"""Language data on disk: the word lists and tables a component reads, each overridable by a user's file.

Every stage keeps its language data (trigger lexicon, verb classes, cue words, locatives, role titles, ...)
as files in the `data/` folder beside its code. A component reads them through one `LanguageData`, which
looks each name up first in the user's overrides and then in the packaged folder, so that a researcher
changes a list by pointing the component's config at a file of their own, never by editing the package:

    nlp.add_pipe("tightrope_events", config={"data": {"locatives.txt": "my_locatives.txt"}})

File kinds, by ending:
* `.txt`  a word list: one word or phrase per line; `#` starts a comment; blank lines are skipped.
* `.tsv`  a table with a header row; `#` lines are comments; values are strings.
* `.yaml` / `.yml`  any YAML document.

`to_disk(path)` writes the files the component actually read (overrides included), so a pipeline saved with
`nlp.to_disk` carries its language data with it, and `LanguageData(path)` reads them back.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


class LanguageDataError(ValueError):
    """A data file is missing or cannot be read; the message names the file."""


class LanguageData:
    """The data files of one component: `folder` holds the packaged defaults, `overrides` maps a file name
    to a path of the user's own that replaces it."""

    def __init__(self, folder: str | Path, overrides: Mapping[str, str | Path] | None = None):
        self.folder = Path(folder)
        self.overrides = {name: Path(path) for name, path in (overrides or {}).items()}
        self._cache: dict[str, Any] = {}
        unknown = [n for n in self.overrides if not (self.folder / n).exists()]
        if unknown:
            raise LanguageDataError(
                f"no packaged data file named {', '.join(sorted(unknown))} in {self.folder} to override "
                f"(known: {', '.join(sorted(p.name for p in self.folder.iterdir() if p.is_file()))})")

    def path(self, name: str) -> Path:
        """Where the file `name` is read from: the user's override, else the packaged file."""
        path = self.overrides.get(name, self.folder / name)
        if not path.is_file():
            raise LanguageDataError(f"{path}: language data file not found")
        return path

    def text(self, name: str) -> str:
        path = self.path(name)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LanguageDataError(f"{path}: cannot read ({exc})") from None

    def words(self, name: str) -> frozenset[str]:
        """A word list as a set (see `lines` for the order)."""
        return frozenset(self.lines(name))

    def lines(self, name: str) -> tuple[str, ...]:
        """The entries of a word list in file order, comments and blank lines left out, stripped."""
        key = ("lines", name)
        if key not in self._cache:
            out = []
            for line in self.text(name).splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    out.append(line)
            self._cache[key] = tuple(out)
        return self._cache[key]

    def table(self, name: str) -> list[dict[str, str]]:
        """A TSV table as a list of rows keyed by the header (comment lines starting with '#' skipped)."""
        key = ("table", name)
        if key not in self._cache:
            body = "\n".join(line for line in self.text(name).splitlines() if line and not line.startswith("#"))
            reader = csv.DictReader(io.StringIO(body), delimiter="\t", quoting=csv.QUOTE_NONE)
            rows = []
            for i, row in enumerate(reader, start=2):
                if None in row or any(v is None for v in row.values()):
                    raise LanguageDataError(f"{self.path(name)}: row {i} does not have the header's columns")
                rows.append({k: v.strip() for k, v in row.items()})
            self._cache[key] = rows
        return self._cache[key]

    def yaml(self, name: str) -> Any:
        key = ("yaml", name)
        if key not in self._cache:
            try:
                self._cache[key] = yaml.safe_load(self.text(name))
            except yaml.YAMLError as exc:
                raise LanguageDataError(f"{self.path(name)}: not valid YAML ({exc})") from None
        return self._cache[key]

    def names(self) -> list[str]:
        """Every data file name this component knows (packaged ones)."""
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def to_disk(self, path: str | Path) -> None:
        """Write every data file (overrides in place of the packaged ones) into the folder `path`."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name in self.names():
            shutil.copyfile(self.path(name), out / name)

    def __repr__(self) -> str:
        return f"LanguageData({str(self.folder)!r}, overrides={ {k: str(v) for k, v in self.overrides.items()} })"
