"""SVG charts drawn in Python, so the report needs no charting library and stays one offline file."""
from __future__ import annotations

from extract.report.markup import e


def bars_to_svg(bars: list[tuple[str, int, str, str]], title: str) -> str:
    """A horizontal bar chart: one (label, count, colour, tooltip) per bar, scaled to the largest count."""
    label_w, bar_w, row_h, top = 132, 150, 28, 6
    total = sum(count for _, count, _, _ in bars) or 1
    largest = max((count for _, count, _, _ in bars), default=0) or 1
    height = top + row_h * len(bars) + 4
    parts = [(f'<svg class="chart" role="img" viewBox="0 0 {label_w + bar_w + 70} {height}" '
              f'width="{label_w + bar_w + 70}" height="{height}" aria-label="{e(title)}"><title>{e(title)}</title>')]
    for i, (label, count, color, tooltip) in enumerate(bars):
        y = top + i * row_h
        width = round(bar_w * count / largest, 1)
        parts.append(
            f'<g class="bar"><title>{e(tooltip)}: {count}</title>'
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="bar-label">{e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" rx="3" class="bar-track"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 0.01 if count else 0)}" height="18" rx="3" '
            f'fill="{e(color)}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" class="bar-value">{count} '
            f'<tspan class="share">({round(100 * count / total)} %)</tspan></text></g>')
    parts.append("</svg>")
    return "".join(parts)


def shares_to_svg(shares: list[tuple[int, str, str]], width: int = 160) -> str:
    """A thin stacked bar of status shares (count, colour, tooltip), for a goal's summary line."""
    total = sum(count for count, _, _ in shares)
    if not total:
        return ""
    parts, x = [f'<svg class="stack" viewBox="0 0 {width} 10" width="{width}" height="10" aria-hidden="true">'], 0.0
    for count, color, tooltip in shares:
        if count:
            w = width * count / total
            parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="10" fill="{e(color)}">'
                         f'<title>{e(tooltip)}: {count}</title></rect>')
            x += w
    parts.append("</svg>")
    return "".join(parts)
