"""A matplotlib plot of one dyad series (counts by quad class as bars, mean intensity as a line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

QUAD_LABELS = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict",
               "4": "material conflict"}
QUAD_COLOURS = {"1": "#8fc1e3", "2": "#1f77b4", "3": "#f4a582", "4": "#b2182b"}


def plot_series(series: dict[str, Any], out: str | Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = series["series"]
    periods = [r["period"] for r in rows]
    x = range(len(periods))
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    bottom = [0] * len(rows)
    for q in ("1", "2", "3", "4"):
        vals = [r["by_quad"][q] for r in rows]
        ax.bar(x, vals, bottom=bottom, color=QUAD_COLOURS[q], label=QUAD_LABELS[q])
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel("events")
    ax.set_xticks(list(x))
    ax.set_xticklabels(periods, rotation=45, ha="right", fontsize=8)
    ax2 = ax.twinx()
    ax2.plot(list(x), [r["mean_intensity"] if r["mean_intensity"] is not None else float("nan") for r in rows],
             color="black", marker="o", label="mean intensity")
    ax2.set_ylim(-10.5, 10.5)
    ax2.axhline(0, color="grey", linewidth=0.5)
    ax2.set_ylabel("mean intensity (Goldstein)")
    ax.set_title(f"{series['source']} → {series['target']} by {series['by']} ({series['modality'] or 'all'} events)")
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out)
    plt.close(fig)
    return out
