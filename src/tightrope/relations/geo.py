"""Countries on a map: shapes, continents and label points from data/world_110m.json (Natural Earth 1:110m,
public domain; built by scripts/build_world_map.py), and the Equal Earth projection the map is drawn in.

Codes are ISO 3166-1 alpha-3 as the actors stage writes them; IGO codes (NATO, UNO, EUR) have no shape and
are simply not on the map. Nothing here fetches anything: the map works offline.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

WORLD = Path(__file__).resolve().parent / "data" / "world_110m.json"

# Equal Earth (Šavrič, Patterson, Jenny 2018): an equal-area projection that keeps the continents' shapes readable
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


@lru_cache(maxsize=1)
def world() -> dict[str, dict[str, Any]]:
    """iso3 -> {iso3, name, continent, label [lon, lat], rings [[[lon, lat], ...], ...]}."""
    data = json.loads(WORLD.read_text(encoding="utf-8"))
    return {c["iso3"]: c for c in data["countries"]}


def continents() -> list[str]:
    """The continents a region filter can name (Natural Earth's, without the open ocean)."""
    return sorted({c["continent"] for c in world().values() if not c["continent"].startswith("Seven seas")})


def countries_in(continent: str) -> set[str]:
    return {k for k, c in world().items() if c["continent"] == continent}


def country_name(code: str) -> str:
    c = world().get(code)
    return c["name"] if c else code


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) in the projection's units (x about -2.7..2.7, y about -1.3..1.3, north up)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y
