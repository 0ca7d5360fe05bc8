"""The country network as server-side SVG: nodes on a circle, edges coloured by the sign of net
cooperation (blue cooperative, red conflictual, grey even), width by the number of events. Each node
and edge is a link to its evidence (the pair page)."""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape


def network_svg(net: dict[str, Any], modality: str = "asserted", size: int = 560) -> Markup:
    nodes = net["nodes"][:40]
    ids = [n["id"] for n in nodes]
    if not ids:
        return Markup('<p class="muted">No events between countries yet.</p>')
    c = size / 2
    r = size / 2 - 60
    pos = {}
    for i, nid in enumerate(ids):
        a = 2 * math.pi * i / len(ids) - math.pi / 2
        pos[nid] = (c + r * math.cos(a), c + r * math.sin(a))
    maxw = max((e["weight"] for e in net["edges"]), default=1)
    maxn = max(n["n"] for n in nodes)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
             f'role="img" aria-label="country network">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for e in net["edges"]:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        # shorten to stop at the node circle, and bend slightly so A→B and B→A do not overlap
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1
        x1s, y1s = x1 + dx / d * 18, y1 + dy / d * 18
        x2s, y2s = x2 - dx / d * 20, y2 - dy / d * 20
        mx, my = (x1s + x2s) / 2 - dy / d * 15, (y1s + y2s) / 2 + dx / d * 15
        colour = "#1f77b4" if e["sign"] > 0 else "#c0392b" if e["sign"] < 0 else "#999"
        width = 1 + 6 * e["weight"] / maxw
        src, tgt = escape(e["source"]), escape(e["target"])
        parts.append(
            f'<a href="/pair/{src}/{tgt}?modality={escape(modality)}" class="edge">'
            f'<title>{src} → {tgt}: {e["weight"]} events, net cooperation {e["net_cooperation"]:+d}</title>'
            f'<path d="M {x1s:.1f} {y1s:.1f} Q {mx:.1f} {my:.1f} {x2s:.1f} {y2s:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}" fill="none" marker-end="url(#arrow)" opacity="0.8"/></a>')
    for n in nodes:
        x, y = pos[n["id"]]
        rad = 10 + 10 * n["n"] / maxn
        nid = escape(n["id"])
        parts.append(
            f'<a href="/search?q={nid}" class="node"><title>{nid}: {n["n"]} events</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}" fill="#f5f5f5" stroke="#333"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11">{nid}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
