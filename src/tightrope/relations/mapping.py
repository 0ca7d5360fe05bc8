"""PLOVER → CAMEO root code, GDELT QuadClass and Goldstein value, for an event stored without its own.

The values are the PLOVER table's (events/data/plover.tsv, read by `tightrope.plover`, where each value's
source is given); this module only names them for the relations and the exports.
"""

from __future__ import annotations

from ..plover import cameo_root, intensity_for, load_plover_table, quad_for

PLOVER_TO_CAMEO = {t: coding.cameo for t, coding in load_plover_table().items()}

__all__ = ["PLOVER_TO_CAMEO", "cameo_root", "intensity_for", "quad_for"]
