"""The fonts every PDF the service draws uses (certificates, registration documents, the
marriage schedule): a sans-serif with the Welsh letters (ŵ, ŷ, â...), registered with reportlab
once per process. DejaVu is an OS package; reportlab ships Vera as the fallback."""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def pdf_fonts() -> tuple[str, str]:
    """(regular, bold): the names of the registered fonts, registering them the first time."""
    if "CertSans" in pdfmetrics.getRegisteredFontNames():
        return "CertSans", "CertSans-Bold"
    vera = Path(reportlab.__file__).parent / "fonts"
    for regular, bold in [*FONT_CANDIDATES, (str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf"))]:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("CertSans", regular))
            pdfmetrics.registerFont(TTFont("CertSans-Bold", bold))
            return "CertSans", "CertSans-Bold"
    return "Helvetica", "Helvetica-Bold"
