"""Geometry of a case timeline: events placed left to right by date, in lanes that keep the
labels apart. The templates draw it as inline SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dossier.web.format import MONTHS, parse_day

WIDTH = 960
MARGIN = 24
AXIS_Y = 28
LANE_Y0 = 62
LANE_HEIGHT = 34
CHAR_WIDTH = 7.2


@dataclass
class TimelineEvent:
    id: str
    type: str
    label: str
    status: str
    start: str | None
    end: str | None
    date_label: str
    href: str


@dataclass
class Point:
    event: TimelineEvent
    x: float
    x_end: float
    y: float
    label_x: float
    anchor: str  # "start" or "end"


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    axis_y: int
    points: list[Point] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    undated: list[TimelineEvent] = field(default_factory=list)


def build_timeline(events: list[TimelineEvent], width: int = WIDTH) -> Timeline:
    dated = [(e, parse_day(e.start) or parse_day(e.end), parse_day(e.end) or parse_day(e.start))
             for e in events]
    undated = [e for e, s, _ in dated if s is None]
    dated = sorted(((e, s, t) for e, s, t in dated if s is not None and t is not None),
                   key=lambda x: (x[1], x[2]))
    if not dated:
        return Timeline(width, 0, AXIS_Y, undated=undated)
    first, last = min(s for _, s, _ in dated), max(t for _, _, t in dated)
    span = max((last - first).days, 30)
    pad = max(span // 12, 7)
    lo, hi = first - timedelta(days=pad), first + timedelta(days=span + pad)

    def x_of(day: date) -> float:
        return MARGIN + (day - lo).days / (hi - lo).days * (width - 2 * MARGIN)

    lanes: list[float] = []  # right edge of what is drawn in each lane
    points = []
    for event, start, end in dated:
        x, x_end = x_of(start), x_of(max(end, start))
        text_width = len(f"{event.label} · {event.date_label}") * CHAR_WIDTH
        if x_end + 10 + text_width <= width - 4:
            anchor, left, right, label_x = "start", x - 8, x_end + 12 + text_width, x_end + 10
        else:
            anchor, left, right, label_x = "end", x - 12 - text_width, x_end + 8, x - 10
        lane = next((i for i, edge in enumerate(lanes) if edge < left), len(lanes))
        if lane == len(lanes):
            lanes.append(right)
        lanes[lane] = right
        y = LANE_Y0 + lane * LANE_HEIGHT
        points.append(Point(event, round(x, 1), round(x_end, 1), y, round(label_x, 1), anchor))
    height = LANE_Y0 + len(lanes) * LANE_HEIGHT
    ticks = [Tick(round(x_of(d), 1), label) for d, label in _ticks(lo, hi)]
    return Timeline(width, height, AXIS_Y, points, ticks, undated)


def _ticks(lo: date, hi: date, most: int = 10) -> list[tuple[date, str]]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    if months < 4:
        return _half_months(lo, hi)
    if months > most * 12:
        step = -(-(hi.year - lo.year) // most)
        return [(date(y, 1, 1), str(y)) for y in range(lo.year + 1, hi.year + 1, step)]
    step = next(s for s in (1, 2, 3, 6, 12) if months / s <= most)
    out = []
    year, month = lo.year, lo.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if (year, month) > (hi.year, hi.month):
            break
        if (month - 1) % step == 0:
            label = MONTHS[month - 1] if month != 1 else f"Jan {year}"
            out.append((date(year, month, 1), label if out else f"{MONTHS[month - 1]} {year}"))
    return out


def _half_months(lo: date, hi: date) -> list[tuple[date, str]]:
    """Ticks on the 1st and 15th of each month, for short timelines."""
    out = []
    year, month = lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        for day in (1, 15):
            tick = date(year, month, day)
            if lo <= tick <= hi:
                label = f"{day} {MONTHS[month - 1]}"
                out.append((tick, label if out else f"{label} {year}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
