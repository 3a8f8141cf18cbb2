"""Certificate PDFs (WeasyPrint) with a QR code of the verification address (segno, inline SVG).

The one module that talks to the PDF renderer.
"""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url`` (no XML declaration, scalable)."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", border=2)


def certificate_pdf(*, certificate, verification_url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "resources/certificate_pdf.html",
        {
            "certificate": certificate,
            "verification_url": verification_url,
            "qr_svg": mark_safe(qr_svg(verification_url)),
        },
    )
    return HTML(string=html, base_url=verification_url).write_pdf()
