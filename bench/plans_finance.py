"""The business plan's financial model (coaching/plans/financials.py): compute() over 36 months.

    python bench/plans_finance.py [--runs 200] [--lines 30]

A plan with 30 start-up cost lines, five funding sources, eight running costs and a seasonal
year of revenue, under each INPS scheme; plus check_rules() against a call with caps. No
database and no Django: the model is pure. Target (issue 12): compute() under 50 ms. Printed,
not asserted.
"""

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import print_table
from coaching.plans.financials import (
    CostLine,
    Forecast,
    Funding,
    Inputs,
    Rules,
    RunningCostLine,
    TaxAssumptions,
    check_rules,
    compute,
)

CATEGORIES = ["building_works", "equipment", "digital", "vehicles", "stock", "services",
              "training", "marketing", "registration", "running", "other"]  # fmt: skip
VAT_RATES = [Decimal(r) for r in ("0", "4", "5", "10", "22")]


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def plan(seed: int, lines: int, scheme: str) -> Inputs:
    rng = random.Random(seed)
    return Inputs(
        costs=tuple(
            CostLine(
                rng.choice(CATEGORIES),
                money(rng, 10, 8000),
                rng.choice(VAT_RATES),
                rng.random() < 0.3,
                f"Line {n}",
            )
            for n in range(lines)
        ),
        funding=tuple(Funding("own_savings", money(rng, 500, 10000)) for _ in range(5)),
        running=tuple(
            RunningCostLine(money(rng, 20, 900), rng.randint(1, 12), f"Cost {n}") for n in range(8)
        ),
        forecast=Forecast(
            tuple(money(rng, 0, 6000) for _ in range(12)),
            Decimal("27.5"),
            Decimal("18.3"),
            Decimal("7.25"),
        ),
        taxes=TaxAssumptions(Decimal("67"), True, scheme, scheme != "separata"),
    )


def median_ms(function, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), max(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--lines", type=int, default=30)
    args = parser.parse_args()
    rules = Rules(caps={"building_works": Decimal("30"), "running": Decimal("20")},
                  ineligible=frozenset({"vehicles"}), min_grant=Decimal("1000"),
                  max_grant=Decimal("15000"))  # fmt: skip

    rows = []
    for scheme in ("separata", "artigiani", "commercianti"):
        inputs = plan(12, args.lines, scheme)
        compute(inputs)  # warm up
        median, worst = median_ms(lambda inputs=inputs: compute(inputs), args.runs)
        rows.append([f"compute, {scheme}", f"{median:.2f} ms", f"{worst:.2f} ms", "< 50 ms"])
    inputs = plan(12, args.lines, "separata")
    median, worst = median_ms(lambda: check_rules(inputs.costs, rules, Decimal("9000")), args.runs)
    rows.append(["check_rules", f"{median:.2f} ms", f"{worst:.2f} ms", ""])
    print_table(
        f"36 months, {args.lines} cost lines, 8 running costs (median of {args.runs} runs)",
        ["what", "median", "max", "target"],
        rows,
    )


if __name__ == "__main__":
    main()
