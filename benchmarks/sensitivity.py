"""Weight sensitivity at scale: many weight draws re-aggregated, not re-evaluated.

Builds the province benchmark's folder (``benchmarks/province.py``) with the
units and indicators asked for, evaluates it once (exactly), then times
``rulelaw.analysis.sensitivity`` over the draws asked for, varying the
top-level dimensions' weights by ±25%, and prints the time and the peak
memory. The bar: 1,000 draws over 1,000 units × 100 indicators in ≤ 1 s.

    python benchmarks/sensitivity.py --units 1000 --indicators 100 --draws 1000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import province  # the benchmark's own folder builder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--all-indicators", action="store_true", help="vary every indicator")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="run it again under tracemalloc and print the peak it allocates itself",
    )
    args = parser.parse_args()
    import rulelaw
    from rulelaw.analysis import sensitivity

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        province.build(folder, args.units, args.indicators)
        assessment = rulelaw.load(folder)
        t0 = time.perf_counter()
        result = rulelaw.evaluate(assessment)
        t1 = time.perf_counter()
        c1 = time.process_time()
        nodes = [i.id for i in assessment.scheme.indicators] if args.all_indicators else None
        found = sensitivity(result, scheme=assessment.scheme, draws=args.draws, seed=1, nodes=nodes)
        t2 = time.perf_counter()
        c2 = time.process_time()
        own = None
        if args.memory:
            import tracemalloc

            tracemalloc.start()
            sensitivity(result, scheme=assessment.scheme, draws=args.draws, seed=1, nodes=nodes)
            own = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"units={len(result.units)} indicators={len(assessment.scheme.indicators)} "
        f"draws={found.draws} nodes varied={len(found.nodes)}"
    )
    print(f"evaluate     {t1 - t0:7.2f} s (once, exact)")
    print(f"sensitivity  {t2 - t1:7.2f} s ({c2 - c1:.2f} s of CPU)   peak RSS {peak:.0f} MiB")
    if own is not None:
        print(f"sensitivity allocates at most {own:.0f} MiB itself (tracemalloc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
