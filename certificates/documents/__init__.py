"""The certificate document: an A4 PDF (reportlab) laid out as the statutory form of a certified
copy of a register entry in England and Wales: the entry's numbered columns, as corrected, with
the corrections as marginal notes, the certification in the register's own words, the serial
number, issue date and a QR code (segno) pointing at the public verification page, on a security
background with a seal (core.security_print). Entries in Wales get a bilingual (Welsh and English)
certificate; the short birth certificate has the short form's few particulars."""

from .content import TITLES, CertificateContent, CorrectionLine, _fonts, correction_label_pair, qr_png, verification_url
from .form import render_certificate

__all__ = [
    "TITLES",
    "CertificateContent",
    "CorrectionLine",
    "_fonts",
    "correction_label_pair",
    "qr_png",
    "render_certificate",
    "verification_url",
]
