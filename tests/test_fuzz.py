"""The shipped fuzzer (fuzz/): its mutator, and a small run that must find only rulelaw errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest
from fuzz.mutate import KINDS, apply_kind, case_rng, make_case
from fuzz.run import CaseResult, Failure, Summary, _cli, _Steps, run_cases
from fuzz.sources import Source, example_folders, load_sources

import rulelaw

#: The run in the test suite: each of the 8 sources with each of its files, three times over.
BUDGET = 264
SEED = 0


@pytest.fixture(scope="module")
def sources() -> tuple[Source, ...]:
    """Every source folder, read once."""
    return load_sources()


def _tree(folder: Path) -> dict[str, str]:
    """What a folder holds, file by file, without following a link or opening a FIFO."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[name] = "link -> " + os.readlink(path)
        elif stat.S_ISREG(mode):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISDIR(mode):
            found[name] = "dir"
        else:
            found[name] = f"special {stat.S_IFMT(mode):o}"
    return found


def _examples() -> dict[str, dict[str, str]]:
    return {name: _tree(path.resolve()) for name, path in example_folders().items()}


def test_sources_are_every_example_folder(sources: tuple[Source, ...]) -> None:
    """The sources are the demo city, every law-report example, the mini folder, and two cuts."""
    names = [s.name for s in sources]
    assert set(example_folders()) <= set(names)
    assert {"demo-small", "demo-padded"} <= set(names)
    assert any(n.startswith("law-reports/") for n in names)


def test_same_seed_gives_the_same_folder(tmp_path: Path, sources: tuple[Source, ...]) -> None:
    """A case is reproduced, byte for byte, from its seed and index alone."""
    for index in range(60):
        first = make_case(7, index, sources).write(tmp_path / "a")
        second = make_case(7, index, sources).write(tmp_path / "b")
        assert _tree(first) == _tree(second), index
        assert make_case(7, index, sources).describe() == make_case(7, index, sources).describe()


def test_other_seeds_give_other_cases(sources: tuple[Source, ...]) -> None:
    """Another seed or index gives another case."""
    cases = {make_case(seed, index, sources).describe() for seed in (1, 2) for index in range(50)}
    assert len(cases) > 90


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_reachable(kind: str, sources: tuple[Source, ...]) -> None:
    """Every kind of mutation has a weight and applies to some file of some source."""
    assert KINDS[kind].weight > 0
    for n, source in enumerate(sources):
        files = dict(source.files)
        done = apply_kind(case_rng(n, 0, "test"), files, kind)
        if done is not None:
            assert done.kind == kind
            assert files != dict(source.files)
            return
    pytest.fail(f"{kind} applies to no source")


def test_structure_aware_kinds_carry_most_weight() -> None:
    """CSV and TOML mutations through their parsers are most of the weight; raw bytes the rest."""
    weight = dict.fromkeys(("csv", "toml", "bytes", "encoding", "fs"), 0.0)
    for kind in KINDS.values():
        weight[kind.family] += kind.weight
    assert weight["csv"] + weight["toml"] > 0.6 * sum(weight.values())


def test_sweep_reaches_every_source_and_file(sources: tuple[Source, ...]) -> None:
    """The test run's plan mutates every file of every source first, in turn."""
    reached = {
        (case.source, case.mutations[0].file)
        for case in (make_case(SEED, i, sources, plan="sweep") for i in range(BUDGET))
    }
    wanted = {(s.name, name) for s in sources for name in s.files}
    assert wanted <= reached


def _summary(seed: int, indices: list[int]) -> Summary:
    """A summary of one ``other`` and one ``valid`` case per index."""
    summary = Summary(seed=seed, plan="weighted")
    for index in indices:
        failure = Failure("load", "ValueError", f"bad {index}", "rulelaw/x.py:1 f", "x", "tb")
        bad = CaseResult(index, "other", "mini", f"case {index}", ("cell-odd",), (), (failure,))
        summary.add(bad)
        summary.add(CaseResult(index + 1000, "valid", "mini", "", ("cell-odd",), ()))
    return summary


def test_summaries_of_split_runs_merge() -> None:
    """Runs of one seed split with --start merge into one report: counts add, smallest case wins."""
    merged = Summary.from_json(_summary(1, [40, 50]).as_json())
    merged.merge(Summary.from_json(_summary(1, [7]).as_json()))
    assert merged.cases == 6
    assert merged.counts["other"] == 3
    (finding,) = merged.findings.values()
    assert (finding.count, finding.first.index, finding.examples) == (3, 7, [7, 40, 50])
    with pytest.raises(ValueError, match="cannot merge seed 2"):
        merged.merge(_summary(2, [1]))


def test_fuzzing_finds_only_rulelaw_errors(sources: tuple[Source, ...]) -> None:
    """Every mutated example folder gives a result or a RulelawError: no other error, no hang.

    A failure lists each case with the command that replays it; the
    example folders themselves are never written.
    """
    before = _examples()
    summary = run_cases(seed=SEED, cases=BUDGET, jobs=2, timeout=3.0, plan="sweep", sources=sources)
    assert _examples() == before
    assert summary.cases == BUDGET
    assert summary.counts["valid"] > 0
    assert summary.counts["rulelaw-error"] > 0
    bad = [f"case {i}: {sig}\n    {summary.replay_command(i)}" for i, sig in sorted(summary.bad)]
    assert not bad, f"{len(bad)} cases break the contract:\n" + "\n".join(bad)


def test_validate_failing_the_verification_cases_is_a_rulelaw_error(tmp_path: Path) -> None:
    """A mutated scheme that fails its own verification cases: validate's status 3, no finding."""
    folder = tmp_path / "demo"
    shutil.copytree(rulelaw.demo_path(), folder)
    scheme = folder / "scheme.toml"
    scheme.write_text(
        scheme.read_text("utf-8").replace("total = 10.30", "total = 10.40", 1), encoding="utf-8"
    )
    steps = _Steps(verbose=False)
    _cli(steps, ["validate", str(folder)], tmp_path / "out")
    assert (steps.failures, steps.error_stage) == ([], "cli")
    steps = _Steps(verbose=False)
    _cli(steps, ["evaluate", str(folder), "--as-of", "2025-99-99"], tmp_path / "out")
    assert (steps.failures, steps.error_stage) == ([], "cli")
