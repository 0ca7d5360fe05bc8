"""A matplotlib plot of one dyad series: two panels on one time axis, each with its own y-axis, so no two
scales are laid over each other: events per period by quad class (stacked bars, integer ticks) above,
mean intensity (Goldstein, -10..+10) below. Dates are real dates, so the axis gets a few readable ticks
however many periods there are."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

QUAD_LABELS = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict",
               "4": "material conflict"}
QUAD_COLOURS = {"1": "#8fc1e3", "2": "#1f77b4", "3": "#f4a582", "4": "#b2182b"}
BAR_DAYS = {"day": 0.8, "week": 6.0, "month": 26.0}


def modality_words(modality: Any) -> str:
    """'asserted events', 'asserted and planned events', 'all events' (never a Python list)."""
    if modality in (None, "all"):
        return "all events"
    mods = [modality] if isinstance(modality, str) else list(modality)
    if len(mods) == 1:
        return f"{mods[0]} events"
    return f"{', '.join(mods[:-1])} and {mods[-1]} events"


def _period_day(period: str, by: str) -> _dt.date:
    return _dt.date.fromisoformat(period + "-01" if by == "month" else period)


def series_figure(series: dict[str, Any]):
    """The matplotlib Figure of one series (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = series["series"]
    by = series["by"]
    days = [_period_day(r["period"], by) for r in rows]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 5), dpi=100, sharex=True,
                                  gridspec_kw={"height_ratios": [2, 1]})
    bottom = [0] * len(rows)
    for q in ("1", "2", "3", "4"):
        vals = [r["by_quad"][q] for r in rows]
        ax.bar(days, vals, bottom=bottom, width=BAR_DAYS[by], color=QUAD_COLOURS[q], label=QUAD_LABELS[q],
               align="edge" if by != "day" else "center")
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel(f"events per {by}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    ax.set_title(f"{series['source']} → {series['target']}: {modality_words(series.get('modality'))} per {by}")
    means = [(d, r["mean_intensity"]) for d, r in zip(days, rows) if r["mean_intensity"] is not None]
    ax2.plot([d for d, _ in means], [m for _, m in means], color="black", marker="o", markersize=3)
    ax2.axhline(0, color="grey", linewidth=0.5)
    ax2.set_ylim(-10.5, 10.5)
    ax2.set_yticks([-10, -5, 0, 5, 10])
    ax2.set_ylabel("mean intensity")
    ax2.set_title("Mean intensity (Goldstein scale, −10 conflict … +10 cooperation)", fontsize=9)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def plot_series(series: dict[str, Any], out: str | Path) -> Path:
    import matplotlib.pyplot as plt

    fig = series_figure(series)
    out = Path(out)
    fig.savefig(out)
    plt.close(fig)
    return out
