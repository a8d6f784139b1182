"""The heatmap and pairings tables of the hub page, built as HTML strings (a hub of 500
schools has 4,500 heatmap cells: see `heatmap`). Everything else on the page is an
ordinary template."""

from audits.hub_html.heatmap import cells, heatmap_body_html, heatmap_head_html
from audits.hub_html.pairings import PairingsPanel, pairings_panel

__all__ = [
    "PairingsPanel",
    "cells",
    "heatmap_body_html",
    "heatmap_head_html",
    "pairings_panel",
]
