"""A drawing of an entity's neighbourhood as plain SVG: no JavaScript and no fonts or images
from outside, so the same markup shows in a browser, in the PDF and in an archived copy.

Positions come from igraph's Kamada-Kawai layout started from a circle, which makes the same
graph come out the same way on every run: two packs of one case can be compared by eye.
"""

from __future__ import annotations

import math
from html import escape

import igraph

WIDTH, HEIGHT, MARGIN = 720, 460, 70
COLOURS = {
    "person": "#3b6ea8",
    "company": "#b5452b",
    "account": "#2e8b57",
    "ad": "#8a5cb8",
    "address": "#9a7b2f",
    "phone": "#6b6b6b",
    "email": "#6b6b6b",
    "handle": "#6b6b6b",
}
OTHER = "#999999"
LABEL_LENGTH = 26


def draw_neighbourhood(
    center: str,
    nodes: list[tuple[str, str, str]],
    edges: list[tuple[str, str, str, int]],
) -> str:
    """SVG of ``nodes`` (id, kind, label) and ``edges`` (source, target, type, count), the
    ``center`` node drawn larger; every tie's line grows with the number of rows behind it."""
    index = {node: i for i, (node, _, _) in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t, _, _ in edges])
    circle = [
        (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
        for i in range(len(nodes))
    ]
    coords = graph.layout_kamada_kawai(seed=circle).coords if len(nodes) > 1 else [(0.0, 0.0)]
    xy = _fit(coords)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>Neighbourhood of {escape(center)}</title>",
    ]
    for source, target, kind, count in edges:
        (x1, y1), (x2, y2) = xy[index[source]], xy[index[target]]
        width = 1 + math.log2(max(count, 1))
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#aaaaaa" '
            f'stroke-width="{width:.1f}"><title>{escape(kind)} ({count})</title></line>'
        )
    for (node, kind, label), (x, y) in zip(nodes, xy, strict=True):
        main = node == center
        short = label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{12 if main else 7}" '
            f'fill="{COLOURS.get(kind, OTHER)}" stroke="{"#000000" if main else "#ffffff"}" '
            f'stroke-width="{2.5 if main else 1}"><title>{escape(kind)}: {escape(node)}</title>'
            "</circle>"
        )
        parts.append(
            f'<text x="{x:.1f}" y="{y + (24 if main else 18):.1f}" text-anchor="middle" '
            f'font-weight="{"bold" if main else "normal"}">{escape(short)}</text>'
        )
    parts.append(_legend(sorted({kind for _, kind, _ in nodes})))
    parts.append("</svg>")
    return "\n".join(parts)


def _fit(coords: list[tuple[float, float]] | list[list[float]]) -> list[tuple[float, float]]:
    """Scale layout coordinates into the drawing, keeping the aspect ratio."""
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min(WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [(WIDTH / 2 + (x - cx) * scale, HEIGHT / 2 + (y - cy) * scale) for x, y in coords]


def _legend(kinds: list[str]) -> str:
    rows = []
    for i, kind in enumerate(kinds):
        y = 16 + 16 * i
        rows.append(
            f'<circle cx="12" cy="{y}" r="5" fill="{COLOURS.get(kind, OTHER)}"/>'
            f'<text x="22" y="{y + 4}">{escape(kind)}</text>'
        )
    return "<g>" + "".join(rows) + "</g>"
