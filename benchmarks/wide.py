"""A scheme with very many indicators under one dimension: time must grow linearly.

Builds a folder whose scheme has N indicators under a single dimension (weights
100 / N each, compliance rules) and two units, then times load, evaluate and the
JSON document at N/4, N/2 and N, printing the time per indicator of each step.
Evaluating 100,000 indicators used to take more than 600 s (each node's weight
was re-added over all its siblings: quadratic); linear, the per-indicator times
stay flat.

    python benchmarks/wide.py --indicators 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def build(folder: Path, n: int) -> None:
    weight = Decimal(100) / n
    lines = [
        'id = "wide"',
        'title = "wide"',
        'version = "1"',
        "period = { start = 2024-01-01, end = 2024-12-31 }",
        '[[categories]]\nid = "c"\nname = "c"',
        '[[dimensions]]\nid = "d"\ntitle = "d"',
    ]
    lines += [
        f'[[indicators]]\nid = "i{i}"\nparent = "d"\ntitle = "t{i}"\nmeasure = "flag"\n'
        'rule = { kind = "compliance" }'
        for i in range(n)
    ]
    lines += ["[weights.c]", '"d" = 100', *(f'"i{i}" = {weight}' for i in range(n))]
    (folder / "scheme.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "units.csv").write_text("id,name,level,category\nu1,U1,city,c\nu2,U2,city,c\n")
    rows = "".join(
        f"u{u},i{i},{'yes' if (u + i) % 3 else 'no'}\n" for u in (1, 2) for i in range(n)
    )
    (folder / "evidence.csv").write_text("unit,indicator,value\n" + rows, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=100_000)
    args = parser.parse_args()
    import rulelaw

    if 100 % args.indicators and Decimal(100) / args.indicators * args.indicators != 100:
        parser.error("the indicators must divide 100 into a finite decimal (e.g. 100000)")
    print(f"{'indicators':>10} {'load':>8} {'evaluate':>9} {'json':>8}   µs per indicator")
    for n in (args.indicators // 4, args.indicators // 2, args.indicators):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            build(folder, n)
            t0 = time.perf_counter()
            assessment = rulelaw.load(folder)
            t1 = time.perf_counter()
            result = rulelaw.evaluate(assessment)
            t2 = time.perf_counter()
            result.to_json()
            t3 = time.perf_counter()
        per = [(b - a) / n * 1e6 for a, b in ((t0, t1), (t1, t2), (t2, t3))]
        print(
            f"{n:>10} {t1 - t0:>7.2f}s {t2 - t1:>8.2f}s {t3 - t2:>7.2f}s   "
            + "  ".join(f"{p:6.1f}" for p in per)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
