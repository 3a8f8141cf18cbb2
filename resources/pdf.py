"""PDFs (WeasyPrint): certificates with a QR code of the verification address (segno, inline
SVG), and any other page an app renders to PDF (``html_pdf``).

The one module that talks to the PDF renderer.
"""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url`` (no XML declaration, scalable)."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", border=2)


def html_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A self-contained HTML document as PDF bytes (its styles inline, no outside files)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # ``data:`` URLs only: whatever a document's text makes it ask for (a stylesheet, an
    # image, a font on another host or a local file) is never fetched.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def certificate_pdf(*, certificate, verification_url: str) -> bytes:
    html = render_to_string(
        "resources/certificate_pdf.html",
        {
            "certificate": certificate,
            "verification_url": verification_url,
            "qr_svg": mark_safe(qr_svg(verification_url)),
        },
    )
    return html_pdf(html, base_url=verification_url)
