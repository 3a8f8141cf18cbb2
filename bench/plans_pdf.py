"""The business plan as a PDF (coaching/plans/pdf.py): one full plan rendered by WeasyPrint.

    python bench/plans_pdf.py [--runs 5] [--sections 12] [--chars 1500]

A plan of 12 sections of about 1,500 characters each, the nine canvas boxes written, ten
start-up cost lines, three funding sources, four running costs and a year of revenue, built
as a snapshot dict (``PlanVersion.data``), so no database is read: the time is the template,
the two charts and WeasyPrint. Prints the median and the slowest of the runs, the pages and
the file size. Target (issue 13): under 3 s. Printed, not asserted.
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import print_table

PROSE = (
    "the bakery opens at dawn and sells bread cakes and coffee to families workers and tourists "
    "of the valley; we buy flour from two mills nearby and deliver by bicycle"
)
WORDS = PROSE.split()


def text(seed: int, chars: int) -> str:
    words, size, n = [], 0, seed
    while size < chars:
        word = WORDS[n % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        n += 7
        if n % 11 == 0:
            words[-1] += ".\n\n"
    return " ".join(words)[:chars]


def data(sections: int, chars: int, language: str) -> dict:
    from coaching.plans import canvas

    return {
        "schema": 1,
        "title": "Forno della valle",
        "language": language,
        "status": "draft",
        "template": "Piano",
        "call_rules": None,
        "sections": [
            *(
                {"kind": "canvas", "key": code, "title": code, "text": text(i, 200), "done": True}
                for i, code in enumerate(canvas.CODES)
            ),
            *(
                {
                    "kind": "section",
                    "key": f"s{i}",
                    "title": f"Section {i + 1}",
                    "text": text(i, chars),
                    "done": i % 2 == 0,
                }
                for i in range(sections)
            ),
        ],
        "finance": {
            "startup_costs": [
                {
                    "category": "equipment",
                    "description": f"Machine {i + 1}",
                    "amount": f"{1000 + 250 * i}.00",
                    "vat_rate": "22",
                    "vat_recoverable": i % 2 == 0,
                }
                for i in range(10)
            ],
            "funding": [
                {"kind": kind, "amount": "6000.00", "note": "Agreed"}
                for kind in ("own_savings", "microgrant", "microcredit")
            ],
            "running_costs": [
                {"description": f"Cost {i + 1}", "monthly_amount": "350.00", "starts_month": i + 1}
                for i in range(4)
            ],
            "forecast": {
                "monthly_revenue": [str(1500 + 200 * m) for m in range(12)],
                "variable_cost_percent": "30",
                "growth_year2": "15",
                "growth_year3": "10",
                "coefficient": "40",
                "startup_rate": True,
                "inps_scheme": "commercianti",
                "inps_reduction": False,
            },
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sections", type=int, default=12)
    parser.add_argument("--chars", type=int, default=1500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_site.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()
    from pypdf import PdfReader

    from coaching.plans.document import PlanDocument
    from coaching.plans.pdf import plan_pdf

    rows = []
    for language in ("it", "en"):
        snapshot = data(args.sections, args.chars, language)
        plan_pdf(PlanDocument(snapshot))  # warm up: fonts, templates, translations
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            # A new document each time, as each request makes one: figures are computed too.
            content = plan_pdf(PlanDocument(snapshot))
            timings.append(time.perf_counter() - start)
        pages = len(PdfReader(BytesIO(content)).pages)
        rows.append(
            [
                language,
                f"{statistics.median(timings):.2f} s",
                f"{max(timings):.2f} s",
                pages,
                f"{len(content) / 1024:.0f} KiB",
                "< 3 s",
            ]
        )
    print_table(
        f"Plan PDF: {args.sections} sections of {args.chars} characters, canvas, 10 cost lines "
        f"(median of {args.runs} runs)",
        ["language", "median", "max", "pages", "size", "target"],
        rows,
    )


if __name__ == "__main__":
    main()
