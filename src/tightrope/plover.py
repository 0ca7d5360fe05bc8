"""The PLOVER table (events/data/plover.tsv), read here and nowhere else.

Each CAMEO root code with its Goldstein value and GDELT quad class, and the PLOVER types Tightrope codes with
that root (the file's header says where each value comes from). The events stage gives an event the row of
its type; the relations, the dashboard and the exports use the same rows. This module imports nothing heavy, so
the web app and the exports can read the table without loading spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .langdata import LanguageData, LanguageDataError

EVENTS_DATA = Path(__file__).parent / "events" / "data"
FILE = "plover.tsv"


@dataclass(frozen=True, slots=True)
class CameoRoot:
    code: str  # "01" .. "20"
    name: str
    goldstein: float
    quad: int  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    types: tuple[str, ...]  # PLOVER types coded with this root
    category: str | None = None  # the PLOVER category PLOVER's CAMEO-to-PLOVER table maps the root to


@dataclass(frozen=True, slots=True)
class PloverCoding:
    """What an event of one PLOVER type is given: its CAMEO root, intensity (the root's Goldstein value) and
    quad class."""

    cameo: str
    intensity: float
    quad: int


def load_cameo_roots(data: LanguageData | None = None) -> dict[str, CameoRoot]:
    """Root code -> `CameoRoot`, from `data`'s plover.tsv (default: the packaged file, read once)."""
    if data is None:
        return _packaged_roots()
    roots: dict[str, CameoRoot] = {}
    for i, row in enumerate(data.table(FILE), start=1):
        try:
            root = CameoRoot(row["cameo"], row["cameo_name"], float(row["goldstein"]), int(row["quad"]),
                             tuple(row["types"].split()), row.get("category") or None)
        except (KeyError, ValueError) as exc:
            raise LanguageDataError(f"{data.path(FILE)}: row {i}: {exc}") from None
        roots[root.code] = root
    return roots


def load_plover_table(data: LanguageData | None = None) -> dict[str, PloverCoding]:
    """PLOVER type -> `PloverCoding` (CAMEO root, intensity, quad), from the same file."""
    if data is None:
        return _packaged_table()
    table: dict[str, PloverCoding] = {}
    for root in load_cameo_roots(data).values():
        for t in root.types:
            if t in table:
                raise LanguageDataError(f"{data.path(FILE)}: PLOVER type {t} is given two roots")
            table[t] = PloverCoding(root.code, root.goldstein, root.quad)
    return table


@lru_cache(maxsize=1)
def _packaged_roots() -> dict[str, CameoRoot]:
    return load_cameo_roots(LanguageData(EVENTS_DATA))


@lru_cache(maxsize=1)
def _packaged_table() -> dict[str, PloverCoding]:
    return load_plover_table(LanguageData(EVENTS_DATA))


def cameo_root(type_: str | None, cameo: str | None = None) -> str | None:
    """Two-digit CAMEO root: the event's own code when it has one we know, else its PLOVER type's."""
    if cameo:
        digits = "".join(ch for ch in str(cameo) if ch.isdigit())
        if len(digits) >= 2 and digits[:2] in _packaged_roots():
            return digits[:2]
    coding = _packaged_table().get((type_ or "").upper())
    return coding.cameo if coding else None


def quad_for(type_: str | None, cameo: str | None = None) -> int | None:
    """GDELT quad class of the event's CAMEO root (see `cameo_root`)."""
    root = cameo_root(type_, cameo)
    return _packaged_roots()[root].quad if root else None


def intensity_for(type_: str | None, cameo: str | None = None) -> float | None:
    """Goldstein value of the event's CAMEO root (see `cameo_root`)."""
    root = cameo_root(type_, cameo)
    return _packaged_roots()[root].goldstein if root else None
