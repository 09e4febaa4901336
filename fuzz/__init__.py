"""The shipped fuzzer: seeded mutations of every example folder, run through the public API.

Not part of the installed library. Three modules, one job each:

- :mod:`fuzz.sources` — the folders mutations start from, held in memory:
  every example folder, plus a trimmed demo city (fast) and a padded one
  (large enough for the column-by-column evidence reader);
- :mod:`fuzz.mutate` — a seeded, deterministic mutator: ``(seed, index)``
  gives one case, a source folder with one to three mutations, written to
  a temporary directory;
- :mod:`fuzz.run` — the harness: each case loaded, evaluated and rendered
  as a new user would, in long-lived forked workers with a per-case
  timeout; outcomes counted as ``valid``, ``rulelaw-error``, ``other`` or
  ``hang`` (``python -m fuzz.run --help``).

The contract it checks: any input folder, however broken, gives a
:class:`rulelaw.RulelawError` — never another exception, never a hang.
"""

import os

# Before numpy is imported: one BLAS thread per process, as the workers are the parallelism.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
