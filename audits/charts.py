"""Server-drawn SVG pictures: the radar of the nine categories and the journey over time.

Colours come from classes in static/css/site.css (the Content-Security-Policy forbids
inline styles); every picture is paired in its template with a table that says the same.
"""

import math
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from audits.instrument import CATEGORIES, STAGES, Category, Stage
from audits.rules import Stages, stage_of

RADAR_SIZE = 400
RADAR_RADIUS = 140

_SHORT_AREA = {"teaching": "Teaching", "leadership": "Leadership", "collaborative": "Collab."}
_SHORT_SOURCE = {"research": "research", "practice": "practice", "innovation": "innovation"}


def short_label(category: Category) -> str:
    area, source = _SHORT_AREA[category.area.value], _SHORT_SOURCE[category.source.value]
    return f"{category.number}. {area} {source}"


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
                Stage(stage).label,
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
    description = (
        "Stage of each of the nine categories, numbered 1 to 9 clockwise from the top. "
        "The table beside the chart gives the same figures."
    )
    return format_html(
        '<svg class="radar-chart" viewBox="0 0 {size} {size}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">Radar chart of the nine categories</title>'
        '<desc id="{id}-desc">{desc}</desc>{grid}{previous}{current}</svg>',
        size=RADAR_SIZE,
        id=chart_id,
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
        stage.label if stage else "Not rated",
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
            for i, (p, _) in enumerate(columns)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="journey-category" x="0" y="{}">{}</text>',
        ((JOURNEY_CELL_HEIGHT * (r + 1.5) + 4, short_label(c)) for r, c in enumerate(CATEGORIES)),
    )
    cells = mark_safe(
        "".join(
            _journey_cell(r, col, stage_of(stages, c))
            for col, (_, stages) in enumerate(columns)
            for r, c in enumerate(CATEGORIES)
        )
    )
    width = JOURNEY_LABEL_WIDTH + JOURNEY_CELL_WIDTH * len(columns)
    height = JOURNEY_CELL_HEIGHT * (len(CATEGORIES) + 1)
    return format_html(
        '<svg class="journey-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">Stage of each category in each period; the table below '
        "gives the same figures</title>{header}{labels}{cells}</svg>",
        w=width,
        h=height,
        id=chart_id,
        header=header,
        labels=labels,
        cells=cells,
    )
