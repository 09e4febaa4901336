"""Province-sized benchmark: load + evaluate + JSON out, timed, with peak memory.

    .venv/bin/python benchmarks/province.py [--units 10000] [--indicators 120]

Builds an invented province (units in 3 categories, a 3-level indicator tree,
every built-in rule kind in use, about 5% of evidence missing), writes it to a
temporary folder, then times the three steps separately and in total: load,
evaluate (with grading under quotas), and the JSON document written to a file.
Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

KINDS = [
    ("rate", 'rule = { kind = "rate-target", target = 100, floor = 60 }'),
    ("rate", 'rule = { kind = "rate-target", target = 95, per_point = 5, empty = "full" }'),
    (
        "rate",
        'rule = { kind = "bands", bands = [{ min = 95, points = 100 }, '
        "{ min = 80, max = 95, points = 70 }, { max = 80, points = 30 }] }",
    ),
    ("flag", 'rule = { kind = "compliance", partly = 60 }'),
    ("count", 'rule = { kind = "count-target", target = 4 }'),
    ("occurrences", 'rule = { kind = "deduction", per = 25, cap = 100 }'),
    ("date", 'rule = { kind = "deadline", due = 2025-03-01, per_day = 5 }'),
    ("value", 'rule = { kind = "relative", method = "proportional" }'),
    ("value", 'rule = { kind = "given-score", out_of = 10 }'),
]
CATEGORIES = [("county", 100), ("department", 100), ("park", 100)]


def build(folder: Path, n_units: int, n_indicators: int, seed: int = 7) -> None:
    """Write a province-sized assessment folder."""
    rnd = random.Random(seed)
    dims = 6
    subs = 4
    per_sub = max(1, n_indicators // (dims * subs))
    lines = [
        'id = "province-bench"',
        'title = "基准省法治政府建设考核"',
        'version = "1"',
        "period = { start = 2024-01-01, end = 2024-12-31 }",
        "",
        "[scoring]",
        "as_of = 2025-03-31",
        "",
    ]
    for cid, maximum in CATEGORIES:
        lines += ["[[categories]]", f'id = "{cid}"', f'name = "{cid}"', f"maximum = {maximum}", ""]
    leaves: list[tuple[str, str]] = []
    for d in range(1, dims + 1):
        lines += ["[[dimensions]]", f'id = "{d}"', f'title = "维度{d}"', ""]
        for s in range(1, subs + 1):
            sid = f"{d}.{s}"
            lines += [
                "[[dimensions]]",
                f'id = "{sid}"',
                f'parent = "{d}"',
                f'title = "子维度{sid}"',
                "",
            ]
            for k in range(1, per_sub + 1):
                lid = f"{sid}.{k}"
                measure, rule = KINDS[len(leaves) % len(KINDS)]
                lines += [
                    "[[indicators]]",
                    f'id = "{lid}"',
                    f'parent = "{sid}"',
                    f'title = "指标{lid}"',
                    f'measure = "{measure}"',
                    rule,
                    "",
                ]
                leaves.append((lid, measure))
    n = len(leaves)
    for cid, maximum in CATEGORIES:
        lines.append(f"[weights.{cid}]")
        # integer weights summing exactly to the maximum
        base = [maximum // n] * n
        for i in range(maximum - sum(base)):
            base[i] += 1
        lines += [f'"{lid}" = {w}' for (lid, _), w in zip(leaves, base, strict=True)]
        lines.append("")
    (folder / "scheme.toml").write_text("\n".join(lines), encoding="utf-8")

    with (folder / "units.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "level", "category", "parent"])
        for i in range(n_units):
            w.writerow([f"u{i:05d}", f"单位{i}", "county", CATEGORIES[i % 3][0], ""])
    with (folder / "evidence.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["unit", "indicator", "status", "value", "numerator", "denominator", "reason", "dates"]
        )
        for i in range(n_units):
            for lid, measure in leaves:
                if rnd.random() < 0.05:
                    continue  # missing evidence
                row = [f"u{i:05d}", lid, "", "", "", "", "", ""]
                if measure == "rate":
                    d = rnd.randint(0, 60)
                    row[4], row[5] = str(rnd.randint(int(d * 0.7), d)), str(d)
                elif measure == "flag":
                    row[3] = rnd.choice(["yes", "yes", "no", "partly"])
                    if row[3] == "partly":
                        row[6] = "整改中"
                elif measure == "count":
                    row[3] = str(rnd.randint(0, 6))
                elif measure == "occurrences":
                    row[7] = ";".join(
                        f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                        for _ in range(rnd.randint(0, 3))
                    )
                elif measure == "date":
                    row[3] = f"2025-0{rnd.randint(2, 3)}-{rnd.randint(1, 28):02d}"
                else:
                    row[3] = f"{rnd.randint(50, 100) / 10}"
                w.writerow(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=120)
    args = parser.parse_args()
    import rulelaw

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, args.units, args.indicators)
        t0 = time.perf_counter()
        assessment = rulelaw.load(folder)
        t1 = time.perf_counter()
        result = rulelaw.evaluate(assessment)
        t2 = time.perf_counter()
        out = folder / "evaluation.json"
        result.write_json(out)
        t3 = time.perf_counter()
        size = out.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"units={len(assessment.units)} indicators={len(assessment.scheme.indicators)} "
        f"observations={len(assessment.evidence)}"
    )
    print(f"load      {t1 - t0:7.2f} s")
    print(f"evaluate  {t2 - t1:7.2f} s")
    print(f"json      {t3 - t2:7.2f} s  ({size / 1e6:.1f} MB written)")
    print(f"total     {t3 - t0:7.2f} s   peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
