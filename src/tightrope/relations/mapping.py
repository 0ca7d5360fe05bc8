"""PLOVER → CAMEO root code, GDELT QuadClass and Goldstein value, used when an event lacks its own.

The CAMEO root for each PLOVER type is the closest CAMEO root category (PLOVER was derived from CAMEO):

| PLOVER    | CAMEO root | meaning of the root                 | QuadClass | Goldstein (root) |
|-----------|-----------:|-------------------------------------|----------:|-----------------:|
| REQUEST   | 02 | Appeal                                      | 1 | 3.0  |
| AGREE     | 03 | Express intent to cooperate (agree to)      | 1 | 4.0  |
| CONSULT   | 04 | Consult                                     | 1 | 1.0  |
| SUPPORT   | 05 | Engage in diplomatic cooperation (endorse)  | 1 | 3.5  |
| COOPERATE | 06 | Engage in material cooperation              | 2 | 6.0  |
| AID       | 07 | Provide aid                                 | 2 | 7.0  |
| CONCEDE   | 08 | Yield                                       | 2 | 5.0  |
| RETREAT   | 08 | Yield (withdraw, de-escalate)               | 2 | 5.0  |
| ACCUSE    | 11 | Disapprove                                  | 3 | -2.0 |
| REJECT    | 12 | Reject                                      | 3 | -4.0 |
| THREATEN  | 13 | Threaten                                    | 3 | -6.0 |
| PROTEST   | 14 | Protest                                     | 4 | -6.5 |
| MOBILIZE  | 15 | Exhibit force posture                       | 4 | -7.2 |
| SANCTION  | 16 | Reduce relations                            | 4 | -4.0 |
| COERCE    | 17 | Coerce                                      | 4 | -7.0 |
| ASSAULT   | 18 | Assault (19 Fight / 20 mass violence when the event's own cameo says so) | 4 | -9.0 |

QuadClass follows GDELT's rule on the root: 01–05 verbal cooperation (1), 06–08 material cooperation
(2), 09–13 verbal conflict (3), 14–20 material conflict (4).
"""

from __future__ import annotations

PLOVER_TO_CAMEO = {
    "REQUEST": "02", "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
    "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17", "ASSAULT": "18",
}

ROOT_GOLDSTEIN = {
    "01": 0.0, "02": 3.0, "03": 4.0, "04": 1.0, "05": 3.5, "06": 6.0, "07": 7.0, "08": 5.0, "09": -2.0,
    "10": -5.0, "11": -2.0, "12": -4.0, "13": -6.0, "14": -6.5, "15": -7.2, "16": -4.0, "17": -7.0,
    "18": -9.0, "19": -10.0, "20": -10.0,
}


def cameo_root(type_: str | None, cameo: str | None = None) -> str | None:
    """Two-digit CAMEO root: the event's own code when it has one, else the PLOVER type's."""
    if cameo:
        digits = "".join(ch for ch in str(cameo) if ch.isdigit())
        if len(digits) >= 2 and digits[:2] in ROOT_GOLDSTEIN:
            return digits[:2]
    return PLOVER_TO_CAMEO.get((type_ or "").upper())


def quad_for(type_: str | None, cameo: str | None = None) -> int | None:
    root = cameo_root(type_, cameo)
    if root is None:
        return None
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def intensity_for(type_: str | None, cameo: str | None = None) -> float | None:
    root = cameo_root(type_, cameo)
    return ROOT_GOLDSTEIN.get(root) if root else None
