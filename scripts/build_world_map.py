"""Build src/tightrope/relations/data/world_110m.json: the country shapes the dashboard's world map draws.

    pip download geopandas==0.14.4 --no-deps -d /tmp/gp
    python scripts/build_world_map.py /tmp/gp/geopandas-0.14.4-py3-none-any.whl

Source: Natural Earth 1:110m admin-0 countries (public domain, naturalearthdata.com) as shipped inside the
geopandas 0.14.4 wheel (geopandas/datasets/naturalearth_lowres: name, continent, iso_a3 with geopandas' fix of
the '-99' codes of France and Norway; Crimea drawn with Ukraine). Later geopandas releases dropped the file,
hence the pinned version. The wheel is only read as a zip archive: neither geopandas nor any GIS library is
needed, the shapefile and its table are read by the small readers below.

What is kept: one row per country with its ISO 3166-1 alpha-3 code (Kosovo, '-99' there, gets XKX, the code the
actors knowledge base uses; Northern Cyprus and Somaliland keep their Natural Earth codes, which no actor has),
name, continent, a label point (the area-weighted centroid of its largest ring) and its rings with coordinates
rounded to 0.1 degree (about 11 km, plenty at 1:110m) and repeated points dropped. Antarctica is left out.
The output is deterministic: the same wheel gives the same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "tightrope" / "relations" / "data" / "world_110m.json"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
NAME_CODES = {"Kosovo": "XKX"}  # a country Natural Earth codes '-99' -> the code Tightrope's actors use
LEFT_OUT = {"ATA"}  # Antarctica: no politics to map, and it fills the bottom of the map


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBASE III table (the attribute table of a shapefile), values as stripped text."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, pos = [], 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = data[header_len + i * record_len: header_len + (i + 1) * record_len]
        if rec[:1] == b"*":  # deleted record
            continue
        row, off = {}, 1
        for name, length in fields:
            row[name] = rec[off:off + length].decode("utf-8", "replace").strip()
            off += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """The rings of every Polygon (type 5) record of a shapefile, in record order."""
    shapes, pos = [], 100
    while pos < len(data):
        _, length_words = struct.unpack(">ii", data[pos:pos + 8])
        body = data[pos + 8: pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        if shape_type != 5:
            raise ValueError(f"shape type {shape_type} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        pts_at = 44 + 4 * n_parts
        points = [struct.unpack("<dd", body[pts_at + 16 * k: pts_at + 16 * k + 16]) for k in range(n_points)]
        shapes.append([points[parts[j]:parts[j + 1]] for j in range(n_parts)])
    return shapes


def ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        xs, ys = zip(*ring)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def simplify(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 1), round(y, 1)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def build(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as z:
        shp = z.read(MEMBER + ".shp")
        dbf = z.read(MEMBER + ".dbf")
    rows, shapes = read_dbf(dbf), read_shp(shp)
    if len(rows) != len(shapes):
        raise ValueError(f"{len(rows)} table rows but {len(shapes)} shapes")
    countries = []
    for row, rings in zip(rows, shapes):
        code = NAME_CODES.get(row["name"], row["iso_a3"]) if row["iso_a3"] == "-99" else row["iso_a3"]
        if code in LEFT_OUT or not rings or len(code) != 3 or not code.isalpha():
            continue
        area, lon, lat = max(ring_area_centroid(r) for r in rings)
        kept = [s for s in (simplify(r) for r in rings) if len(s) >= 3]
        countries.append({"iso3": code, "name": row["name"], "continent": row["continent"],
                          "label": [round(lon, 2), round(lat, 2)], "rings": kept})
    countries.sort(key=lambda c: c["iso3"])
    return {"source": "Natural Earth 1:110m admin-0 countries (public domain), from the geopandas 0.14.4 wheel's "
                      "naturalearth_lowres; built by scripts/build_world_map.py",
            "countries": countries}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path, help="geopandas-0.14.4-py3-none-any.whl (pip download geopandas==0.14.4 --no-deps)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = build(args.wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['countries'])} countries, {len(text):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
