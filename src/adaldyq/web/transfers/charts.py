"""Server-rendered SVG charts (no script, no CDN): coordinates computed here, drawn by templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    value: int
    series: int


def line_chart(
    values: Sequence[int],
    capacity: int,
    days: Sequence[date],
    *,
    width: int = 640,
    height: int = 200,
) -> dict[str, object]:
    """Occupancy over `days` as a polyline, with the capacity as a horizontal line."""
    pad_l, pad_b, pad_t = 48, 24, 10
    top = max([capacity, *values, 1]) * 1.1
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad_l + (width - pad_l - 8) * i / n
        y = pad_t + (height - pad_t - pad_b) * (1 - v / top)
        return round(x, 1), round(y, 1)

    points = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    cap_y = xy(0, capacity)[1]
    ticks = []
    for i, d in enumerate(days):
        if i % max(1, len(days) // 6) == 0:
            x = xy(i, 0)[0]
            # a label that would run past the right edge ends at its tick instead of starting there
            ticks.append(
                {
                    "x": x,
                    "label": d.strftime("%Y-%m"),
                    "anchor": "end" if x > width - 48 else "start",
                }
            )
    yticks = [{"y": xy(0, v)[1], "label": int(v)} for v in (0, top / 2, top / 1.1)]
    over = [{"x": xy(i, v)[0], "y": xy(i, v)[1]} for i, v in enumerate(values) if v > capacity]
    return {
        "width": width, "height": height, "points": points, "cap_y": cap_y, "ticks": ticks,
        "yticks": yticks, "x0": pad_l, "x1": width - 8, "base_y": height - pad_b, "over": over,
    }  # fmt: skip


def histogram(
    columns: Sequence[tuple[str, Sequence[tuple[float, float | None, int]]]],
    *,
    width: int = 720,
    height: int = 240,
) -> dict[str, object]:
    """Grouped bars: for each distance bucket, one bar per column (before, baseline, after)."""
    pad_l, pad_b, pad_t = 48, 36, 10
    buckets = [(a, b) for a, b, _ in columns[0][1]] if columns else []
    top = max([n for _, col in columns for _, _, n in col] + [1]) * 1.1
    group_w = (width - pad_l - 8) / max(len(buckets), 1)
    bar_w = group_w * 0.8 / max(len(columns), 1)
    bars: list[Bar] = []
    labels = []
    for j, (a, b) in enumerate(buckets):
        gx = pad_l + j * group_w + group_w * 0.1
        label = f"{int(a)}–{int(b)}" if b is not None else f"{int(a)}+"
        labels.append({"x": round(gx + group_w * 0.4, 1), "label": label})
        for k, (_name, col) in enumerate(columns):
            n = col[j][2]
            h = (height - pad_t - pad_b) * n / top
            bars.append(
                Bar(round(gx + k * bar_w, 1), round(height - pad_b - h, 1), round(bar_w - 1, 1),
                    round(h, 1), label, n, k)
            )  # fmt: skip
    return {
        "width": width, "height": height, "bars": bars, "labels": labels, "base_y": height - pad_b,
        "x0": pad_l, "legend": [name for name, _ in columns],
        "yticks": [{"y": round(pad_t + (height - pad_t - pad_b) * (1 - v / top), 1), "label": int(v)}
                   for v in (0, top / 2, top / 1.1)],
    }  # fmt: skip
