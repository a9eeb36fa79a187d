"""Build dossier/data/map/countries.json, the country outlines of the flows map, from the npm
package world-atlas (Natural Earth 1:110m Admin 0 countries as TopoJSON; Natural Earth is in
the public domain, the package is ISC-licensed). Run once at development time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world_map.py package/countries-110m.json

Coordinates stay longitude/latitude, rounded to 0.1 degree; countries are keyed by ISO 3166
alpha-2 code, found from their English names (babel) with the overrides below.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "dossier" / "data" / "map" / "countries.json"
# Natural Earth names that babel's English territory names spell otherwise.
NAMES = {
    "Bosnia and Herz.": "BA", "Central African Rep.": "CF", "Côte d'Ivoire": "CI",
    "Czechia": "CZ", "Dem. Rep. Congo": "CD", "Congo": "CG", "Dominican Rep.": "DO",
    "Eq. Guinea": "GQ", "eSwatini": "SZ", "Falkland Is.": "FK", "Fr. S. Antarctic Lands": "TF",
    "Macedonia": "MK", "N. Cyprus": None, "Palestine": "PS", "S. Sudan": "SS",
    "Solomon Is.": "SB", "Somaliland": None, "Timor-Leste": "TL", "Turkey": "TR",
    "United States of America": "US", "W. Sahara": "EH", "Kosovo": "XK", "Myanmar": "MM",
    "Bahamas": "BS", "Gambia": "GM", "Antarctica": None, "Trinidad and Tobago": "TT",
}


def arcs_of(topology: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 1), round(y * sy + ty, 1)))
        out.append(points)
    return out


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    kept = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
    return [list(p) for p in kept]


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = arcs_of(topology)
    by_name = {name: code for code, name in Locale("en").territories.items()
               if len(code) == 2 and code.isalpha()}
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = NAMES[name] if name in NAMES else by_name.get(name)
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(r, arcs) for polygon in polygons for r in polygon[:1]]  # outer rings
        countries[code] = {"name": name, "rings": [r for r in rings if len(r) > 2]}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(countries, separators=(",", ":"), sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"{len(countries)} countries -> {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1])
