"""Every chart, drawn server-side as inline SVG: the radar of the nine categories, the
journey over time, and the stacked bars of the hub summary.

Colours come from classes in static/css/site.css and hub.css (the Content-Security-Policy
forbids inline styles); every picture is paired in its template with a table that says
the same. Every text is escaped by `format_html`.
"""

import math
from collections import Counter
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from audits.instrument import CATEGORIES, STAGES, Stage
from audits.labels import category_short_label, stage_label
from audits.rules import Stages, stage_of

RADAR_SIZE = 400
RADAR_RADIUS = 140


def _point(index: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + index * 2 * math.pi / len(CATEGORIES)
    radius = RADAR_RADIUS * value / len(STAGES)
    centre = RADAR_SIZE / 2
    return round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1)


def _points(values: Sequence[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(i, v) for i, v in enumerate(values)))


def _values(stages: Stages) -> list[int]:
    """Stage per category in instrument order; an unrated category sits at the centre."""
    return [int(stage_of(stages, c) or 0) for c in CATEGORIES]


def _radar_grid() -> SafeString:
    rings = format_html_join(
        "",
        '<polygon class="radar-ring" points="{}"/>'
        '<text class="radar-ring-label" x="{}" y="{}">{}</text>',
        (
            (
                _points([stage] * len(CATEGORIES)),
                RADAR_SIZE / 2 + 3,
                _point(0, stage)[1] + 12,
                stage_label(stage),
            )
            for stage in range(1, len(STAGES) + 1)
        ),
    )
    axes = format_html_join(
        "",
        '<line class="radar-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="radar-axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (RADAR_SIZE / 2, RADAR_SIZE / 2, *_point(i, len(STAGES)), *_point(i, 4.6), c.number)
            for i, c in enumerate(CATEGORIES)
        ),
    )
    return rings + axes


def _radar_series(stages: Stages, css_class: str) -> SafeString:
    values = _values(stages)
    dots = format_html_join(
        "",
        '<circle class="{}-dot" cx="{}" cy="{}" r="4"/>',
        ((css_class, *_point(i, v)) for i, v in enumerate(values)),
    )
    return format_html('<polygon class="{}" points="{}"/>{}', css_class, _points(values), dots)


def radar_svg(current: Stages, previous: Stages | None = None, *, chart_id: str) -> SafeString:
    """The nine categories as a radar: one spoke per category (numbered as in the
    instrument), Isolation near the centre and Integration at the rim. The previous
    audit, when given, is drawn dashed beneath the current one."""
    series = _radar_series(previous, "radar-previous") if previous is not None else ""
    description = _(
        "Stage of each of the nine categories, numbered 1 to 9 clockwise from the top. "
        "The table beside the chart gives the same figures."
    )
    return format_html(
        '<svg class="radar-chart" viewBox="0 0 {size} {size}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>{grid}{previous}{current}</svg>',
        size=RADAR_SIZE,
        id=chart_id,
        title=_("Radar chart of the nine categories"),
        desc=description,
        grid=_radar_grid(),
        previous=series,
        current=_radar_series(current, "radar-current"),
    )


JOURNEY_LABEL_WIDTH = 190
JOURNEY_CELL_WIDTH = 96
JOURNEY_CELL_HEIGHT = 30


def _journey_cell(row: int, column: int, stage: Stage | None) -> SafeString:
    x = JOURNEY_LABEL_WIDTH + column * JOURNEY_CELL_WIDTH
    y = JOURNEY_CELL_HEIGHT * (row + 1)
    css = f"stage-{int(stage)}" if stage else "stage-none"
    return format_html(
        '<rect class="journey-cell {}" x="{}" y="{}" width="{}" height="{}"/>'
        '<text class="journey-cell-label {}" x="{}" y="{}" text-anchor="middle">{}</text>',
        css,
        x,
        y,
        JOURNEY_CELL_WIDTH - 2,
        JOURNEY_CELL_HEIGHT - 2,
        css,
        x + JOURNEY_CELL_WIDTH / 2,
        y + JOURNEY_CELL_HEIGHT / 2 + 4,
        stage_label(stage),
    )


def journey_svg(columns: Sequence[tuple[str, Stages]], *, chart_id: str) -> SafeString:
    """Each category's stage per period: one row per category, one column per audit
    (given as (period, stages) oldest first), each cell coloured and named by stage."""
    if not columns:
        return mark_safe("")
    header = format_html_join(
        "",
        '<text class="journey-period" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (JOURNEY_LABEL_WIDTH + (i + 0.5) * JOURNEY_CELL_WIDTH, JOURNEY_CELL_HEIGHT - 10, p)
            for i, (p, _stages) in enumerate(columns)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="journey-category" x="0" y="{}">{}</text>',
        (
            (JOURNEY_CELL_HEIGHT * (r + 1.5) + 4, category_short_label(c))
            for r, c in enumerate(CATEGORIES)
        ),
    )
    cells = mark_safe(
        "".join(
            _journey_cell(r, col, stage_of(stages, c))
            for col, (_period, stages) in enumerate(columns)
            for r, c in enumerate(CATEGORIES)
        )
    )
    width = JOURNEY_LABEL_WIDTH + JOURNEY_CELL_WIDTH * len(columns)
    height = JOURNEY_CELL_HEIGHT * (len(CATEGORIES) + 1)
    return format_html(
        '<svg class="journey-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>{header}{labels}{cells}</svg>',
        title=_("Stage of each category in each period; the table below gives the same figures"),
        w=width,
        h=height,
        id=chart_id,
        header=header,
        labels=labels,
        cells=cells,
    )


# Geometry of the stacked bar charts, in SVG user units.
CHART_LABEL_WIDTH = 230
CHART_BAR_WIDTH = 300  # with the labels, 540 units: text of 13 stays 12 px or more
CHART_BAR_HEIGHT = 22
CHART_GAP = 8


def _bar_segments(label: str, counts: Counter, total: int, y: float, none_label: str):
    """The segments of one bar, in stage order then "none", each as wide as its share of
    `total`, with a <title> and its count written on it when it fits."""
    text_y = round(y + CHART_BAR_HEIGHT * 0.7, 1)
    x = float(CHART_LABEL_WIDTH)
    for stage in [*STAGES, None]:
        count = counts.get(stage, 0)
        if not count or not total:
            continue
        width = CHART_BAR_WIDTH * count / total
        yield format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}: {} — {}</title>'
            "</rect>{}",
            f"{x:.2f}",
            y,
            f"{width:.2f}",
            CHART_BAR_HEIGHT,
            f"seg-{stage.value}" if stage else "seg-none",
            label,
            count,
            stage_label(stage, missing=none_label),
            format_html(
                '<text x="{}" y="{}" class="chart-count">{}</text>',
                f"{x + width / 2:.2f}",
                text_y,
                count,
            )
            if width >= 20
            else "",
        )
        x += width


def stacked_bars(
    bars: list[tuple[str, Counter]],
    total: int,
    *,
    chart_id: str,
    title: str,
    desc: str,
    none_label: str = "",
) -> SafeString:
    """A horizontal stacked bar chart: one bar per (label, counts by stage), each segment
    as wide as its share of `total`. The chart has a <title> and <desc>; the page puts a
    table of the same numbers beside it."""
    step = CHART_BAR_HEIGHT + CHART_GAP
    none_label = none_label or _("Not rated or no audit")
    rows = format_html_join(
        "",
        '<g><text x="0" y="{}" class="chart-label">{}</text>{}</g>',
        (
            (
                round(index * step + CHART_BAR_HEIGHT * 0.7, 1),
                label,
                mark_safe("".join(_bar_segments(label, counts, total, index * step, none_label))),
            )
            for index, (label, counts) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="stacked-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{}</svg>',
        CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 10,
        max(len(bars) * step, 1),
        title,
        desc,
        rows,
        id=chart_id,
    )
