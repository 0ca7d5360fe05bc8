"""Drawings made on the server: the world map (SVG, offline: shapes shipped in relations/data) and the network
layout (node positions the browser's plotly chart draws).

The map is plain SVG: every country is a link (`<a href>`) with a `<title>` (the browser shows it on hover),
so it needs no script and no tile server. Colours: events per country on a light-to-dark blue scale with a
legend; with a focus country, its partners coloured by the sign of their net cooperation and joined to it by
lines whose width is the number of events.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Iterable

from markupsafe import Markup, escape

from ..relations.geo import equal_earth, world

MAP_WIDTH = 960
SCALE_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_EVENTS = "#f0f0f0"
COOPERATIVE, CONFLICTUAL, EVEN = "#1f77b4", "#c0392b", "#999999"


@lru_cache(maxsize=1)
def _frame() -> tuple[float, float, float, float]:
    xs, ys = [], []
    for c in world().values():
        for ring in c["rings"]:
            for lon, lat in ring:
                x, y = equal_earth(lon, lat)
                xs.append(x)
                ys.append(y)
    return min(xs), max(xs), min(ys), max(ys)


def _scale() -> float:
    x0, x1, _, _ = _frame()
    return (MAP_WIDTH - 20) / (x1 - x0)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x0, _, _, y1 = _frame()
    x, y = equal_earth(lon, lat)
    s = _scale()
    return 10 + (x - x0) * s, 10 + (y1 - y) * s


def map_height() -> int:
    _, _, y0, y1 = _frame()
    return int((y1 - y0) * _scale() + 20)


@lru_cache(maxsize=None)
def _path(code: str) -> str:
    parts = []
    for ring in world()[code]["rings"]:
        pts = [_xy(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def label_point(code: str) -> tuple[float, float] | None:
    c = world().get(code)
    return _xy(*c["label"]) if c else None


def scale_bins(values: Iterable[int]) -> list[int]:
    """Upper bounds of the colour classes: quantile-like steps on a log scale of the counts."""
    top = max([v for v in values if v > 0], default=0)
    if top <= 0:
        return []
    bounds = sorted({max(1, round(top ** ((i + 1) / len(SCALE_COLOURS)))) for i in range(len(SCALE_COLOURS))})
    return bounds


def _colour(v: int, bins: list[int]) -> str:
    if v <= 0 or not bins:
        return NO_EVENTS
    for i, b in enumerate(bins):
        if v <= b:
            return SCALE_COLOURS[min(i + len(SCALE_COLOURS) - len(bins), len(SCALE_COLOURS) - 1)]
    return SCALE_COLOURS[-1]


def world_map_svg(activity: dict[str, dict[str, int]], href: dict[str, str], focus: str | None = None,
                  partners: list[dict[str, Any]] | None = None, pair_href: dict[str, str] | None = None) -> Markup:
    """The world map. activity: code -> {n, as_source, as_target, partners}; href: code -> link.
    With `focus` and its `partners` ({partner, n, net_cooperation, out, in}), the partners are coloured by
    the sign of their net cooperation with it and joined to it by lines (links to the pair pages)."""
    h = map_height()
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" viewBox="0 0 {MAP_WIDTH} {h}" '
           f'width="{MAP_WIDTH}" height="{h}" role="img" aria-label="world map of events">',
           f'<rect x="0" y="0" width="{MAP_WIDTH}" height="{h}" fill="#fbfdff"/>']
    by_partner = {p["partner"]: p for p in partners or []}
    bins = scale_bins(a["n"] for a in activity.values())
    for code in sorted(world()):
        c = world()[code]
        a = activity.get(code, {"n": 0, "as_source": 0, "as_target": 0, "partners": 0})
        name = escape(c["name"])
        if focus:
            p = by_partner.get(code)
            if code == focus:
                fill, tip = "#f1c40f", f"{name}: {a['n']} events with {a['partners']} partners"
            elif p:
                net = p["net_cooperation"]
                fill = COOPERATIVE if net > 0 else CONFLICTUAL if net < 0 else EVEN
                tip = (f"{escape(focus)} → {name}: {p['out']['n']} events (net {p['out']['net_cooperation']:+d}); "
                       f"{name} → {escape(focus)}: {p['in']['n']} events (net {p['in']['net_cooperation']:+d})")
            else:
                fill, tip = NO_EVENTS, f"{name}: no events with {escape(focus)}"
            link = (pair_href or {}).get(code) or href.get(code)
        else:
            fill = _colour(a["n"], bins)
            tip = (f"{name}: {a['n']} events ({a['as_source']} as source, {a['as_target']} as target), "
                   f"{a['partners']} partners")
            link = href.get(code)
        shape = (f'<path d="{_path(code)}" fill="{fill}" stroke="#7f8c8d" stroke-width="0.4" '
                 f'data-code="{escape(code)}"><title>{tip}</title></path>')
        out.append(f'<a href="{escape(link)}" class="country">{shape}</a>' if link else shape)
    if focus and label_point(focus):
        fx, fy = label_point(focus)
        top = max((p["n"] for p in partners or []), default=1) or 1
        for p in sorted(partners or [], key=lambda p: p["n"]):
            pt = label_point(p["partner"])
            if not pt:
                continue
            x, y = pt
            net = p["net_cooperation"]
            colour = COOPERATIVE if net > 0 else CONFLICTUAL if net < 0 else EVEN
            mx, my = (fx + x) / 2, (fy + y) / 2 - 0.15 * math.hypot(x - fx, y - fy)
            width = 1 + 5 * p["n"] / top
            link = (pair_href or {}).get(p["partner"], "")
            out.append(f'<a href="{escape(link)}" class="partner-line"><path d="M{fx:.1f} {fy:.1f} Q{mx:.1f} {my:.1f} '
                       f'{x:.1f} {y:.1f}" fill="none" stroke="{colour}" stroke-width="{width:.1f}" opacity="0.75">'
                       f'<title>{escape(focus)} and {escape(p["partner"])}: {p["n"]} events, net cooperation '
                       f'{net:+d}</title></path></a>')
        out.append(f'<circle cx="{fx:.1f}" cy="{fy:.1f}" r="4" fill="#222"/>')
    out.append("</svg>")
    return Markup("".join(out))


def map_legend(activity: dict[str, dict[str, int]], focus: str | None) -> list[dict[str, str]]:
    """The legend rows of the map: [{colour, label}]."""
    if focus:
        return [{"colour": COOPERATIVE, "label": "more cooperative than conflictual events"},
                {"colour": CONFLICTUAL, "label": "more conflictual than cooperative events"},
                {"colour": EVEN, "label": "as many of each"},
                {"colour": NO_EVENTS, "label": f"no events with {focus}"}]
    bins = scale_bins(a["n"] for a in activity.values())
    rows, low = [{"colour": NO_EVENTS, "label": "no events"}], 1
    offset = len(SCALE_COLOURS) - len(bins)
    for i, b in enumerate(bins):
        rows.append({"colour": SCALE_COLOURS[i + offset], "label": f"{low}" if low == b else f"{low}–{b} events"})
        low = b + 1
    return rows


def force_layout(nodes: list[str], edges: list[tuple[str, str, float]], iterations: int = 200) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold positions in [-1, 1]², deterministic: nodes start on a circle in the given order
    (busiest first) and heavier edges pull harder. Unconnected parts drift apart only as far as gravity lets."""
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {k: i for i, k in enumerate(nodes)}
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    w = np.zeros((n, n))
    for s, t, weight in edges:
        if s in index and t in index and s != t:
            w[index[s], index[t]] += weight
            w[index[t], index[s]] += weight
    if w.max() > 0:
        w = np.log1p(w) / np.log1p(w.max())
    k = 1.0 / math.sqrt(n)
    temp = 0.2
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1)) + 1e-6
        repulse = (k * k / dist ** 2)[:, :, None] * delta
        attract = (w * dist / k)[:, :, None] * delta
        disp = (repulse - attract).sum(1) - 0.05 * pos  # a little gravity keeps parts together
        length = np.sqrt((disp ** 2).sum(-1))[:, None] + 1e-9
        pos += disp / length * np.minimum(length, temp)
        temp *= 0.98
    pos -= pos.mean(0)
    pos /= np.abs(pos).max() or 1.0
    return {k_: (round(float(pos[i, 0]), 4), round(float(pos[i, 1]), 4)) for k_, i in index.items()}
