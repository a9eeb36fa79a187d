"""The flows map: origin -> host countries of the cases, drawn as server-side SVG.

An arrow goes from a case's origin country (the state that wants the person) to its host
country (where the events happened), one per country pair; its width grows with the number
of cases. Countries come from Natural Earth (dossier/data/map/README.md) in a plain
longitude/latitude projection, widened by the cosine of the view's middle latitude so shapes
keep their proportions; the view frames the countries that take part.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dossier.web.format import country_name

DATA = Path(__file__).resolve().parents[1] / "data" / "map"
WIDTH = 960
PAD_DEGREES = 6.0


@cache
def countries() -> dict[str, Any]:
    return json.loads((DATA / "countries.json").read_text(encoding="utf-8"))


@cache
def points() -> dict[str, list[float]]:
    return json.loads((DATA / "points.json").read_text(encoding="utf-8"))


@dataclass
class Flow:
    origin: str
    host: str
    cases: int
    path: str = ""
    width: float = 1.0
    label: str = ""
    href: str = ""


@dataclass
class Shape:
    code: str
    name: str
    path: str
    active: bool
    href: str


@dataclass
class FlowMap:
    width: int
    height: int
    flows: list[Flow] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    unplaced: list[Flow] = field(default_factory=list)  # a country the map does not have


def case_flows(conn: sqlite3.Connection) -> list[Flow]:
    """Country pairs with the number of cases that have an event with that origin and host
    (events an analyst rejected do not count)."""
    rows = conn.execute(
        "SELECT json_extract(data, '$.origin_country'), json_extract(data, '$.host_country'),"
        " subject FROM events WHERE subject IN (SELECT person FROM cases)"
        " AND COALESCE(json_extract(data, '$.review.state'), '') != 'rejected'")
    pairs = {(o, h, s) for o, h, s in rows if o and h and o != h}
    counts = Counter((o, h) for o, h, _ in pairs)
    return [Flow(o, h, n) for (o, h), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def _anchor(code: str) -> tuple[float, float] | None:
    if code in points():
        lon, lat = points()[code]
        return lon, lat
    shape = countries().get(code)
    if not shape:
        return None
    ring = max(shape["rings"], key=_area)
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def _area(ring: list[list[float]]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1],
                                                               strict=True))) / 2


def build_map(flows: list[Flow], href_of: Any) -> FlowMap:
    """Geometry of the map; `href_of(code)` and `href_of(origin, host)` give the links."""
    placed = [f for f in flows if _anchor(f.origin) and _anchor(f.host)]
    unplaced = [f for f in flows if f not in placed]
    if not placed:
        return FlowMap(WIDTH, 0, [], [], unplaced)
    involved = sorted({c for f in placed for c in (f.origin, f.host)})
    anchors = {c: _anchor(c) for c in involved}
    lons = [a[0] for a in anchors.values() if a]
    lats = [a[1] for a in anchors.values() if a]
    west, east = min(lons) - PAD_DEGREES * 2, max(lons) + PAD_DEGREES * 2
    south, north = min(lats) - PAD_DEGREES, max(lats) + PAD_DEGREES
    if east - west < 40:  # a small region still shows its neighbours
        middle = (east + west) / 2
        west, east = middle - 20, middle + 20
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = WIDTH / ((east - west) * squeeze)
    height = max(240, round((north - south) * scale))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - west) * squeeze * scale, 1), round((north - lat) * scale, 1))

    shapes = []
    for code, shape in sorted(countries().items()):
        rings = [r for r in shape["rings"] if _near(r, west, east, south, north)]
        if not rings:
            continue
        path = " ".join("M" + " L".join(f"{x},{y}" for x, y in (xy(*p) for p in r)) + "Z"
                        for r in rings)
        shapes.append(Shape(code, country_name(code) or shape["name"], path,
                            code in involved, href_of(code)))
    most = max(f.cases for f in placed)
    for f in placed:
        (x1, y1), (x2, y2) = xy(*anchors[f.origin]), xy(*anchors[f.host])  # type: ignore[misc]
        # a gentle curve to the left of the line, so arrows both ways stay apart
        cx, cy = (x1 + x2) / 2 - (y2 - y1) * 0.2, (y1 + y2) / 2 + (x2 - x1) * 0.2
        f.path = f"M{x1},{y1} Q{cx:.1f},{cy:.1f} {x2},{y2}"
        f.width = round(2 + 8 * f.cases / most, 1)
        f.label = (f"{country_name(f.origin)} → {country_name(f.host)}: {f.cases} case"
                   + ("" if f.cases == 1 else "s"))
        f.href = href_of(f.origin, f.host)
    return FlowMap(WIDTH, height, placed, shapes, unplaced)


def _near(ring: list[list[float]], west: float, east: float, south: float,
          north: float) -> bool:
    """A ring worth drawing: it reaches into the view (the SVG clips the rest)."""
    return any(west - 10 <= p[0] <= east + 10 and south - 10 <= p[1] <= north + 10
               for p in ring)
