"""The security printing of the documents the service issues, drawn with reportlab: a fine line
background hiding the word COPY (a pantograph, so that a photocopy shows it), a guilloche border,
and a plain circular seal with the service's name (no crown: the service is not the Crown)."""

from __future__ import annotations

import functools
import math

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

# The hidden word's lines are thicker and further apart than the background's, so both print at
# the same tone; a copier keeps the thick lines and loses the fine ones, and the word appears.
FINE_LINE, FINE_GAP = 0.18, 0.9 * mm
BOLD_LINE, BOLD_GAP = 0.42, 2.1 * mm


@functools.lru_cache(maxsize=16)
def _hatch_path(width: float, height: float, gap: float, slope: int) -> str:
    """The operators of parallel lines at 45 degrees over the whole page, formatted once per page
    size, gap and slope (about 300 segments: formatting them was a tenth of drawing a certificate)."""
    path = PDFPathObject()
    offset = -height
    while offset < width + height:
        if slope > 0:
            path.moveTo(offset, 0)
            path.lineTo(offset + height, height)
        else:
            path.moveTo(offset, height)
            path.lineTo(offset + height, 0)
        offset += gap * math.sqrt(2)
    return path.getCode()


def _hatch(page: Canvas, width: float, height: float, *, gap: float, slope: int) -> None:
    """Parallel lines at 45 degrees over the whole page."""
    page.drawPath(PDFPathObject(code=[_hatch_path(width, height, gap, slope)]), stroke=1, fill=0)


def background(page: Canvas, width: float, height: float, *, colour: Color, font: str, word: str = "COPY") -> None:
    """The pantograph: fine hatching over the page; inside the letters of `word`, repeated
    across the page, the fine lines give way to heavier, sparser ones hatched the other way."""
    size = 64
    places = [(x, y) for y in range(int(20 * mm), int(height - 20 * mm), int(52 * mm)) for x in (22 * mm, 112 * mm)]
    page.saveState()
    page.setStrokeColor(colour)
    page.setLineWidth(FINE_LINE)
    _hatch(page, width, height, gap=FINE_GAP, slope=1)
    page.saveState()
    letters = page.beginText()
    letters.setTextRenderMode(7)  # the glyph outlines become the clipping path
    letters.setFont(font, size)
    for x, y in places:
        letters.setTextOrigin(x, y)
        letters.textOut(word)
    page.drawText(letters)
    page.setFillColorRGB(1, 1, 1)
    page.rect(0, 0, width, height, stroke=0, fill=1)
    page.setLineWidth(BOLD_LINE)
    _hatch(page, width, height, gap=BOLD_GAP, slope=-1)
    page.restoreState()
    page.restoreState()


def border(page: Canvas, width: float, height: float, *, colour: Color, inset: float = 7 * mm) -> None:
    """A guilloche border: two interlaced waves between two rules, all round the page."""
    page.saveState()
    page.setStrokeColor(colour)
    page.setLineWidth(0.6)
    page.rect(inset, inset, width - 2 * inset, height - 2 * inset, stroke=1, fill=0)
    inner = inset + 4 * mm
    page.rect(inner, inner, width - 2 * inner, height - 2 * inner, stroke=1, fill=0)
    page.setLineWidth(0.3)
    middle = inset + 2 * mm
    amplitude, period = 1.5 * mm, 6 * mm
    edges = [
        ((middle, middle), (width - middle, middle)),
        ((width - middle, middle), (width - middle, height - middle)),
        ((width - middle, height - middle), (middle, height - middle)),
        ((middle, height - middle), (middle, middle)),
    ]
    for phase in (0.0, math.pi / 2, math.pi):
        path = page.beginPath()
        for (x0, y0), (x1, y1) in edges:
            length = math.hypot(x1 - x0, y1 - y0)
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            steps = int(length / (0.5 * mm))
            for step in range(steps + 1):
                along = length * step / steps
                across = amplitude * math.sin(2 * math.pi * along / period + phase)
                px, py = x0 + ux * along - uy * across, y0 + uy * along + ux * across
                if step == 0:
                    path.moveTo(px, py)
                else:
                    path.lineTo(px, py)
        page.drawPath(path, stroke=1, fill=0)
    page.restoreState()


def _text_on_circle(page: Canvas, text: str, cx: float, cy: float, radius: float, *, font: str, size: float, top: bool):
    """Letters set round an arc, centred at the top (reading clockwise) or the bottom (reading
    anticlockwise, so that both read left to right)."""
    widths = [stringWidth(character, font, size) for character in text]
    total = sum(widths) / radius
    angle = math.pi / 2 + total / 2 if top else -math.pi / 2 - total / 2
    for character, advance in zip(text, widths, strict=True):
        step = advance / radius
        middle = angle - step / 2 if top else angle + step / 2
        page.saveState()
        page.translate(cx + radius * math.cos(middle), cy + radius * math.sin(middle))
        page.rotate(math.degrees(middle) - 90 if top else math.degrees(middle) + 90)
        page.setFont(font, size)
        page.drawCentredString(0, 0 if top else -size * 0.7, character)
        page.restoreState()
        angle = angle - step if top else angle + step


def seal(
    page: Canvas,
    cx: float,
    cy: float,
    radius: float,
    *,
    around: str,
    below: str,
    middle: list[str],
    font: str,
    bold: str,
    colour: Color,
) -> None:
    """A plain round seal: two rings, `around` set along the top, `below` along the bottom,
    and a few words in the middle."""
    page.saveState()
    page.setStrokeColor(colour)
    page.setFillColor(colour)
    page.setLineWidth(1.2)
    page.circle(cx, cy, radius, stroke=1, fill=0)
    page.setLineWidth(0.5)
    page.circle(cx, cy, radius - 1.3 * mm, stroke=1, fill=0)
    page.circle(cx, cy, radius * 0.62, stroke=1, fill=0)
    size = radius * 0.17
    _text_on_circle(page, around.upper(), cx, cy, radius * 0.8, font=bold, size=size, top=True)
    _text_on_circle(page, below.upper(), cx, cy, radius * 0.8, font=bold, size=size * 0.9, top=False)
    for side in (-1, 1):
        page.circle(cx + side * radius * 0.81, cy, 0.5 * mm, stroke=0, fill=1)
    inner = radius * 0.15
    top = cy + (len(middle) - 1) * inner * 0.6
    for index, line in enumerate(middle):
        page.setFont(bold, inner)
        page.drawCentredString(cx, top - index * inner * 1.2 - inner * 0.35, line.upper())
    page.restoreState()
