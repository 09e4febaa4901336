"""The fuzzing harness: every case loaded, evaluated and rendered as a new user would.

Run it as ``python -m fuzz.run --cases N --seed S --jobs J`` (or
``make fuzz N=… SEED=… JOBS=…``). Each case (:func:`fuzz.mutate.make_case`)
is written to a temporary directory (``/dev/shm`` when there is one) and
put through :func:`rulelaw.load`, :func:`rulelaw.evaluate` and every
rendering: ``table``, ``to_csv``, ``to_markdown``, ``to_json`` (one case in
:data:`JSON_EVERY`, see below), ``explain`` of every unit, ``people_table``,
``sheet`` of every person in text, JSON and CSV, and the law-report
renderings (panels, coverage, ledger) in every format; for a sample of
cases also :func:`rulelaw.validate` and one ``rulelaw`` command
(:func:`rulelaw.cli.main`). A case's outcome is

- ``valid``: every step succeeded;
- ``rulelaw-error``: some step raised a :class:`rulelaw.RulelawError`
  (or the command exited with status 2, or ``validate`` with status 3: the
  scheme's own verification cases not met), as the contract asks of bad input;
- ``other``: some step raised anything else, or the command exited with
  another status or printed a traceback, or the input folder changed, or
  the worker died. Its *signature* is the exception type and the
  innermost ``rulelaw`` frame (``file:line function``) of the traceback;
- ``hang``: the case took longer than the timeout. Its signature is the
  innermost ``rulelaw`` frame of the stack the worker showed when asked
  (``faulthandler``) before it was killed.

Cases run in long-lived workers forked from this process once the
library is imported, each handling many cases; a worker that times out is
killed and replaced. Case ``index`` of run ``seed`` is the same case
whatever the number of workers or the order they finish in: ``--replay``
runs one again, in this process, with full tracebacks.

``Evaluation.to_json`` starts a thread pool each time (about 40 ms, a
known speed bug); it is rendered for one case in :data:`JSON_EVERY` only,
and always when replaying.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import gc
import hashlib
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

import rulelaw
import rulelaw.cli
from fuzz.mutate import case_rng, make_case
from fuzz.sources import Source, load_sources
from rulelaw.report.lawreports import render

__all__ = [
    "OUTCOMES",
    "CaseResult",
    "Failure",
    "Summary",
    "main",
    "replay",
    "run_case",
    "run_cases",
]

T = TypeVar("T")
Plan = Literal["weighted", "sweep"]

#: The outcome classes, from best to worst.
OUTCOMES = ("valid", "rulelaw-error", "other", "hang")

#: ``to_json`` is rendered for one case in this many (it costs ~40 ms a call for now).
JSON_EVERY = 8
#: ``rulelaw.validate`` runs for one case in this many.
VALIDATE_EVERY = 10
#: One ``rulelaw`` command runs for one case in this many.
CLI_EVERY = 10
#: A worker is replaced by a fresh fork after this many cases.
RECYCLE_AFTER = 2000
#: How many of the smallest cases of each finding the summary keeps.
EXAMPLES = 10

_RENDER_FORMATS = ("table", "markdown", "json", "csv")
_SHEET_FORMATS = ("text", "json", "csv")
_LAW_REPORTS = ("panels", "coverage", "ledger")
_SRC = str(Path(rulelaw.__file__).resolve().parent.parent) + os.sep


@dataclass(frozen=True)
class Failure:
    """An ``other`` finding: what was raised at which step, and where."""

    stage: str
    type: str
    message: str
    #: the innermost frame in ``rulelaw`` (else the innermost frame), ``file:line function``
    frame: str
    #: the innermost frame of all (maybe in the standard library)
    innermost: str = ""
    traceback: str = ""

    @property
    def signature(self) -> str:
        """The exception type, the innermost ``rulelaw`` frame and the message's shape.

        The shape is the message's first line with quoted text and numbers
        left out, so ``invalid literal for int()`` and ``Exceeds the limit
        (4300 digits)`` at one line are two signatures, but the same message
        about two cells is one.
        """
        return f"{self.type} @ {self.frame} | {message_shape(self.message)}"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+")


def message_shape(message: str) -> str:
    """A message without what varies from case to case: quoted text and numbers."""
    first = message.splitlines()[0] if message else ""
    shape = _NUMBER.sub("N", _QUOTED.sub("…", first))
    return shape if len(shape) <= 80 else shape[:80] + "…"


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case, with what made it ``other`` or ``hang``."""

    index: int
    outcome: str
    source: str
    description: str
    kinds: tuple[str, ...]
    files: tuple[str, ...]
    failures: tuple[Failure, ...] = ()
    #: the step of the first ``RulelawError`` (``load``, ``evaluate``, a rendering, ``cli``)
    error_stage: str = ""
    seconds: float = 0.0


def _frame(entry: traceback.FrameSummary) -> str:
    name = entry.filename
    return f"{_short(name)}:{entry.lineno} {entry.name}"


_LIBRARY = re.compile(r".*/(?:site-packages|lib/python3\.\d+)/")


def _short(name: str) -> str:
    """A file name without the folder of the sources or of the installed packages."""
    if name.startswith(_SRC):
        return name[len(_SRC) :]
    return _LIBRARY.sub("", name)


def _is_rulelaw(entry: traceback.FrameSummary) -> bool:
    return entry.filename.startswith(_SRC + "rulelaw" + os.sep)


def _safe_str(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # a broken __str__ is itself a finding's message
        text = f"<unprintable {type(exc).__name__}>"
    return text if len(text) <= 300 else text[:300] + "…"


def failure_of(stage: str, exc: BaseException) -> Failure:
    """The :class:`Failure` an exception raised at ``stage`` makes."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if _is_rulelaw(f)]
    inner = _frame(frames[-1]) if frames else "?"
    return Failure(
        stage=stage,
        type=type(exc).__name__,
        message=_safe_str(exc),
        frame=_frame(ours[-1]) if ours else inner,
        innermost=inner,
        traceback="".join(traceback.format_exception(exc)),
    )


class _Steps:
    """Runs the steps of a case, sorting what each raises into errors and findings."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.failures: list[Failure] = []
        self.error_stage = ""

    def run(self, stage: str, step: Callable[[], T], *, placed: bool = False) -> T | None:
        """Run one step; ``placed``: a rulelaw error must list problems that name their file."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # as the test suite: a warning is a finding
                value = step()
        except rulelaw.RulelawError as exc:
            self.error_stage = self.error_stage or stage
            if self.verbose:
                print(f"  {stage}: rulelaw error {type(exc).__name__}: {_safe_str(exc)}")
            if placed:
                self.check_placed(stage, exc)
            return None
        except Exception as exc:
            self.found(failure_of(stage, exc))
            return None
        if self.verbose:
            print(f"  {stage}: ok")
        return value

    def check_placed(self, stage: str, exc: rulelaw.RulelawError) -> None:
        """A finding unless ``exc`` is a ValidationError whose every problem names a file."""
        if not isinstance(exc, rulelaw.ValidationError):
            bare = failure_of(stage, exc)
            self.found(replace(bare, type=f"Bare{bare.type}"))
            return
        self.check_files(stage, exc.errors, exc)

    def check_files(
        self, stage: str, errors: Sequence[rulelaw.InputError], exc: BaseException | None
    ) -> None:
        """A finding for the first problem that names no file."""
        for error in errors:
            if not error.file:
                where = failure_of(stage, exc) if exc is not None else None
                self.found(
                    Failure(
                        stage=stage,
                        type=f"Unplaced{type(error).__name__}",
                        message=str(error),
                        frame=where.frame if where else stage,
                        innermost=where.innermost if where else "",
                        traceback=where.traceback if where else "",
                    )
                )
                return

    def found(self, failure: Failure) -> None:
        self.failures.append(failure)
        if self.verbose:
            print(f"  {failure.stage}: OTHER {failure.signature}\n{failure.traceback}")


def _json(text: str) -> str:
    json.loads(text)  # the JSON renderings must parse
    return text


def _snapshot(folder: Path) -> dict[str, str]:
    """What the folder holds, without following links or opening anything but regular files."""
    found: dict[str, str] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_symlink():
            found[entry.name] = "link:" + os.readlink(entry.path)
        elif entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as stream:
                found[entry.name] = hashlib.sha256(stream.read()).hexdigest()
        elif entry.is_dir(follow_symlinks=False):
            found[entry.name] = "dir:" + ",".join(sorted(os.listdir(entry.path)))
        else:
            found[entry.name] = "special"
    return found


def _renders(steps: _Steps, result: rulelaw.Evaluation, with_json: bool) -> None:
    steps.run("table", result.table)
    steps.run("to_csv", result.to_csv)
    steps.run("to_markdown", result.to_markdown)
    steps.run("html", result._repr_html_)
    if with_json:
        steps.run("to_json", lambda: _json(result.to_json()))
    for unit in result.units:
        steps.run("explain", partial(result.explain, unit.unit))
    steps.run("people_table", result.people_table)
    steps.run("people_table(github)", partial(result.people_table, "github"))
    for person in result.people:
        for fmt in _SHEET_FORMATS:
            text = steps.run(f"sheet({fmt})", partial(result.sheet, person.person, fmt))
            if fmt == "json" and text is not None:
                steps.run("sheet(json) parses", partial(_json, text))
    for what in _LAW_REPORTS:
        for fmt in _RENDER_FORMATS:
            text = steps.run(f"{what}({fmt})", partial(render, result, what, fmt))
            if fmt == "json" and text is not None:
                steps.run(f"{what}(json) parses", partial(_json, text))


def _cli_argv(
    h: random.Random, folder: Path, entry: Path, out: Path, result: rulelaw.Evaluation | None
) -> list[str]:
    """One ``rulelaw`` command line for the folder, drawn from ``h``."""
    unit = result.units[0].unit if result and result.units else "county-01"
    person = result.people[0].person if result and result.people else "p-001"
    command = h.choice(
        ("validate", "evaluate", "explain", "people", "sheet", *_LAW_REPORTS, "evaluate")
    )
    if command == "validate":
        return ["validate", str(entry)]
    argv = [command, str(folder)]
    if h.random() < 0.2:
        argv += ["--as-of", h.choice(("2025-03-31", "9999-12-31", "0001-01-01", "2024-02-30"))]
    if command == "explain":
        return [*argv, "--", unit]
    formats = _SHEET_FORMATS if command == "sheet" else _RENDER_FORMATS
    argv += ["--format", h.choice(formats)]
    if h.random() < 0.3:
        argv += ["--output", str(out)]
    if command == "sheet":
        argv += ["--", person]
    return argv


def _cli(steps: _Steps, argv: list[str], out: Path) -> None:
    """Run one command; status 2 (3 for validate) is a rulelaw error, else but 0 a finding."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = steps.run("cli", lambda: _exit_status(argv))
    if status is None:
        return
    # 3: the scheme's own verification cases are not met (validate, verify): what a
    # mutated scheme rightly gives, reported as the command documents
    not_verified = status == rulelaw.cli.EXIT_NOT_VERIFIED and argv[0] in ("validate", "verify")
    if status == 2 or not_verified:
        steps.error_stage = steps.error_stage or "cli"
        if "--output" in argv and out.exists():
            steps.found(Failure("cli", "OutputOnError", f"{argv}: wrote {out}", "cli --output"))
    elif status != 0:
        steps.found(Failure("cli", "ExitStatus", f"{argv}: exit {status}", f"cli exit {status}"))
    if "Traceback (most recent call last)" in stderr.getvalue():
        steps.found(Failure("cli", "Traceback", stderr.getvalue()[-300:], "cli traceback"))
    if steps.verbose:
        print(f"  cli {argv}: exit {status}\n{stderr.getvalue()}")


def _exit_status(argv: list[str]) -> int:
    try:
        return rulelaw.cli.main(argv)
    except SystemExit as exc:  # argparse refusing the arguments
        return exc.code if isinstance(exc.code, int) else 1


def run_case(
    seed: int,
    index: int,
    sources: Sequence[Source],
    root: Path,
    *,
    plan: Plan = "weighted",
    verbose: bool = False,
) -> CaseResult:
    """Make case ``index`` of run ``seed`` in ``root`` and put it through every step."""
    started = time.perf_counter()
    case = make_case(seed, index, sources, plan=plan)
    if verbose:
        print(f"case {seed}:{index}: {case.describe()}")
    folder = case.write(root)
    # the harness's own draws, apart from the mutator's
    h = case_rng(seed, index, "harness")
    entry = folder / "scheme.toml" if h.random() < 0.1 else folder
    with_json = verbose or h.randrange(JSON_EVERY) == 0
    with_validate = verbose or h.randrange(VALIDATE_EVERY) == 0
    with_cli = verbose or h.randrange(CLI_EVERY) == 0
    steps = _Steps(verbose)
    before = _snapshot(folder)
    assessment = steps.run("load", lambda: rulelaw.load(entry), placed=True)
    result = None
    if assessment is not None:
        steps.run("summary", assessment.summary)
        result = steps.run("evaluate", lambda: rulelaw.evaluate(assessment))
        if result is not None:
            _renders(steps, result, with_json)
    if with_validate:
        found = steps.run("validate", lambda: rulelaw.validate(entry), placed=True)
        if found is not None:
            steps.check_files("validate", found, None)
        if found is not None and bool(found) == (assessment is not None):
            steps.found(
                Failure(
                    "validate",
                    "Disagrees",
                    f"validate gave {len(found)} problems, load "
                    + ("passed" if assessment else "failed"),
                    "validate",
                )
            )
    if with_cli:
        out = root / "output.txt"
        out.unlink(missing_ok=True)
        _cli(steps, _cli_argv(h, folder, entry, out, result), out)
    if _snapshot(folder) != before:
        steps.found(Failure("after", "InputModified", "the input folder changed", "input folder"))
    if steps.failures:
        outcome = "other"
    elif steps.error_stage:
        outcome = "rulelaw-error"
    else:
        outcome = "valid"
    return CaseResult(
        index=index,
        outcome=outcome,
        source=case.source,
        description=case.describe(),
        kinds=tuple(m.kind for m in case.mutations),
        files=tuple(m.file for m in case.mutations),
        failures=tuple(steps.failures),
        error_stage=steps.error_stage,
        seconds=time.perf_counter() - started,
    )


# -- the pool of workers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    seed: int
    plan: Plan
    base: Path
    memory_mb: int


def _worker(conn: multiprocessing.connection.Connection, config: _Config, slot: int) -> None:
    """A worker's life: cases in, results out, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited
    root = config.base / f"w{slot}-{os.getpid()}"
    root.mkdir(parents=True)
    stacks = open(root.with_suffix(".stacks"), "w")  # noqa: SIM115 - kept open for faulthandler
    faulthandler.register(signal.SIGUSR1, file=stacks, all_threads=True)
    if config.memory_mb:
        limit = config.memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sources = _SOURCES
    assert sources is not None
    try:
        while True:
            index = conn.recv()
            if index is None:
                break
            try:
                result = run_case(config.seed, index, sources, root / "c", plan=config.plan)
            except Exception as exc:  # the harness's own bug: counted, not fatal
                result = CaseResult(index, "other", "?", "", (), (), (failure_of("harness", exc),))
            conn.send(result)
    finally:
        shutil.rmtree(root, ignore_errors=True)


#: The sources, loaded before the workers fork (so they inherit them).
_SOURCES: tuple[Source, ...] | None = None


def _hang_signature(stacks: str) -> tuple[str, str]:
    """The innermost ``rulelaw`` frame of the main thread in a faulthandler dump."""
    blocks = re.split(r"\n(?=(?:Current thread|Thread) 0x)", stacks)
    main = next((b for b in blocks if "fuzz/run.py" in b), blocks[-1] if blocks else "")
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', main)
    ours = [f for f in frames if f[0].startswith(_SRC + "rulelaw")]
    pick = ours[0] if ours else (frames[0] if frames else None)
    if pick is None:
        return "?", main
    return f"{_short(pick[0])}:{pick[1]} {pick[2]}", main


class _Slot:
    """One worker process and the case it is on."""

    def __init__(self, ctx: Any, config: _Config, slot: int) -> None:
        self.slot = slot
        self.conn, child = multiprocessing.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, config, slot), daemon=True)
        with warnings.catch_warnings():
            # Python 3.12+ warns of fork() in a process with threads (under pytest, Arrow's
            # pool): the child runs only rulelaw's own code, and a child stuck on a lock
            # inherited held would be a hang, killed and counted.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.process.start()
        child.close()
        self.root = config.base / f"w{slot}-{self.process.pid}"
        self.stacks = self.root.with_suffix(".stacks")
        self.index: int | None = None
        self.started = 0.0
        self.done = 0

    def give(self, index: int) -> None:
        self.index = index
        self.started = time.monotonic()
        self.conn.send(index)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.clean()

    def kill(self) -> str:
        """Ask for the worker's stacks, kill it, and return them."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGUSR1)
        time.sleep(0.3)
        self.process.kill()
        self.process.join()
        self.conn.close()
        try:
            text = self.stacks.read_text(errors="replace")
        except OSError:
            text = ""
        self.clean()
        return text

    def clean(self) -> None:
        """Remove what a killed worker left behind."""
        self.stacks.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Finding:
    """One distinct signature: how many cases, and the smallest one."""

    signature: str
    outcome: str
    count: int
    first: CaseResult
    failure: Failure
    kinds: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    #: the smallest cases that show it (up to :data:`EXAMPLES`)
    examples: list[int] = field(default_factory=list)


@dataclass
class Summary:
    """The counts of a run, its distinct findings and what it covered."""

    seed: int
    plan: Plan
    cases: int = 0
    seconds: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)
    error_stages: Counter[str] = field(default_factory=Counter)
    findings: dict[str, Finding] = field(default_factory=dict)
    #: every ``other`` and ``hang`` case: (index, signature)
    bad: list[tuple[int, str]] = field(default_factory=list)
    covered: set[tuple[str, str]] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    #: the run was stopped before its last case
    interrupted: bool = False

    def add(self, result: CaseResult) -> None:
        """Count one case's result."""
        self.cases += 1
        self.counts[result.outcome] += 1
        if result.error_stage:
            self.error_stages[result.error_stage] += 1
        self.kinds.update(result.kinds)
        self.covered.update((result.source, f) for f in result.files)
        seen: set[str] = set()
        for failure in result.failures:
            sig = f"{result.outcome}: {failure.signature}"
            if sig in seen:
                continue  # e.g. load and validate failing alike: one case, counted once
            seen.add(sig)
            self.bad.append((result.index, sig))
            found = self.findings.get(sig)
            if found is None:
                found = self.findings[sig] = Finding(sig, result.outcome, 0, result, failure)
            found.count += 1
            found.kinds.update(set(result.kinds))
            found.sources[result.source] += 1
            found.examples = sorted([*found.examples, result.index])[:EXAMPLES]
            if result.index < found.first.index:
                found.first, found.failure = result, failure

    def rate(self) -> float:
        """Cases a second."""
        return self.cases / self.seconds if self.seconds else 0.0

    def replay_command(self, index: int) -> str:
        """The command that runs case ``index`` again."""
        plan = " --plan sweep" if self.plan == "sweep" else ""
        return f"python -m fuzz.run --seed {self.seed}{plan} --replay {index}"

    def report(self) -> str:
        """The counts, then each distinct finding with its count and smallest case."""
        lines = [
            f"{self.cases} cases in {self.seconds:.1f} s ({self.rate():.1f} cases/s), "
            f"seed {self.seed}, plan {self.plan}" + (" (interrupted)" if self.interrupted else ""),
            "  ".join(f"{o} {self.counts[o]}" for o in OUTCOMES),
        ]
        if self.error_stages:
            stages = ", ".join(f"{s} {n}" for s, n in self.error_stages.most_common())
            lines.append(f"rulelaw errors by step: {stages}")
        ordered = sorted(self.findings.values(), key=lambda f: (-f.count, f.signature))
        if ordered:
            lines.append(f"\n{len(ordered)} distinct signatures (other / hang):")
        for n, found in enumerate(ordered, 1):
            failure = found.failure
            lines += [
                f"\n[{n}] {found.signature}",
                f"    count {found.count}, first case {found.first.index}: "
                f"{self.replay_command(found.first.index)}",
                f"    message: {failure.message.splitlines()[0] if failure.message else ''}"[:400],
                f"    innermost: {failure.innermost}   step: {failure.stage}",
                f"    input: {found.first.description}"[:600],
                "    kinds: " + ", ".join(f"{k} {c}" for k, c in found.kinds.most_common(6)),
            ]
        return "\n".join(lines)

    def merge(self, other: Summary) -> None:
        """Add the counts and findings of a run of other cases of the same seed and plan."""
        if (other.seed, other.plan) != (self.seed, self.plan):
            raise ValueError(
                f"cannot merge seed {other.seed} ({other.plan}) into seed {self.seed} "
                f"({self.plan}): their case numbers name other cases"
            )
        self.cases += other.cases
        self.seconds += other.seconds
        self.counts.update(other.counts)
        self.error_stages.update(other.error_stages)
        self.kinds.update(other.kinds)
        self.interrupted = self.interrupted or other.interrupted
        self.bad += other.bad
        for sig, theirs in other.findings.items():
            ours = self.findings.get(sig)
            if ours is None:
                self.findings[sig] = theirs
                continue
            ours.count += theirs.count
            ours.kinds.update(theirs.kinds)
            ours.sources.update(theirs.sources)
            ours.examples = sorted({*ours.examples, *theirs.examples})[:EXAMPLES]
            if theirs.first.index < ours.first.index:
                ours.first, ours.failure = theirs.first, theirs.failure

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        """A summary read back from :meth:`as_json` (to merge runs split with ``--start``)."""
        summary = cls(seed=data["seed"], plan=data["plan"])
        summary.cases = data["cases"]
        summary.seconds = data["seconds"]
        summary.counts.update(data["counts"])
        summary.error_stages.update(data["error_stages"])
        summary.kinds.update(data.get("kinds", {}))
        summary.interrupted = data.get("interrupted", False)
        for f in data["findings"]:
            failure = Failure(
                f["stage"], f["type"], f["message"], f["frame"], f["innermost"], f["traceback"]
            )
            sources = Counter[str](f["sources"])
            first = CaseResult(
                f["first_case"],
                f["outcome"],
                sources.most_common(1)[0][0] if sources else "?",
                f["input"],
                (),
                (),
                (failure,),
            )
            summary.findings[f["signature"]] = Finding(
                f["signature"],
                f["outcome"],
                f["count"],
                first,
                failure,
                Counter(f["kinds"]),
                sources,
                list(f.get("examples", [f["first_case"]])),
            )
        return summary

    def as_json(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``--summary FILE``)."""
        return {
            "seed": self.seed,
            "plan": self.plan,
            "cases": self.cases,
            "seconds": round(self.seconds, 3),
            "cases_per_second": round(self.rate(), 2),
            "interrupted": self.interrupted,
            "counts": {o: self.counts[o] for o in OUTCOMES},
            "kinds": dict(self.kinds.most_common()),
            "error_stages": dict(self.error_stages),
            "findings": [
                {
                    "signature": f.signature,
                    "outcome": f.outcome,
                    "count": f.count,
                    "first_case": f.first.index,
                    "examples": f.examples,
                    "replay": self.replay_command(f.first.index),
                    "type": f.failure.type,
                    "message": f.failure.message,
                    "frame": f.failure.frame,
                    "innermost": f.failure.innermost,
                    "stage": f.failure.stage,
                    "input": f.first.description,
                    "kinds": dict(f.kinds),
                    "sources": dict(f.sources),
                    "traceback": f.failure.traceback,
                }
                for f in sorted(self.findings.values(), key=lambda f: -f.count)
            ],
        }


def _temp_place() -> Path:
    """Where cases are written: ``/dev/shm`` (memory) when there is one, else the temp folder."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def _temp_base() -> Path:
    return Path(tempfile.mkdtemp(prefix="rulelaw-fuzz-", dir=_temp_place()))


def run_cases(
    *,
    seed: int,
    cases: int,
    start: int = 0,
    jobs: int = 2,
    timeout: float = 5.0,
    plan: Plan = "weighted",
    memory_mb: int = 4096,
    progress: float = 0.0,
    on_progress: Callable[[Summary], None] | None = None,
    sources: Sequence[Source] | None = None,
) -> Summary:
    """Run cases ``start`` … ``start + cases - 1`` of run ``seed`` in ``jobs`` forked workers.

    A case running longer than ``timeout`` seconds is a ``hang``: its
    worker is killed and replaced. ``progress`` > 0 prints a line to
    standard error that often (seconds), and calls ``on_progress`` with the
    summary so far. Ctrl-C (or SIGTERM) stops the run early: the summary of
    the cases done comes back, marked ``interrupted``.
    """
    global _SOURCES
    _SOURCES = tuple(sources) if sources is not None else load_sources()
    summary = Summary(seed=seed, plan=plan)
    base = _temp_base()
    config = _Config(seed, plan, base, memory_mb)
    ctx = multiprocessing.get_context("fork")
    todo: Iterator[int] = iter(range(start, start + cases))
    began = time.monotonic()
    last = began
    gc.collect()
    gc.freeze()  # what the workers inherit stays shared
    slots = [_Slot(ctx, config, k) for k in range(max(1, jobs))]
    try:
        for slot in slots:
            _next(slot, todo)
        while not summary.interrupted and any(s.index is not None for s in slots):
            busy = [s for s in slots if s.index is not None]
            deadline = min(s.started for s in busy) + timeout
            ready = multiprocessing.connection.wait(
                [s.conn for s in busy], timeout=max(0.0, deadline - time.monotonic())
            )
            for n, slot in enumerate(slots):
                if slot.index is None:
                    continue
                if slot.conn in ready:
                    try:
                        result: CaseResult = slot.conn.recv()
                    except (EOFError, OSError):
                        summary.add(_died(slot, seed, plan))
                        slots[n] = slot = _Slot(ctx, config, slot.slot)
                    else:
                        summary.add(result)
                        slot.done += 1
                        if slot.done >= RECYCLE_AFTER:
                            slot.stop()
                            slots[n] = slot = _Slot(ctx, config, slot.slot)
                    _next(slot, todo)
                elif time.monotonic() - slot.started > timeout:
                    summary.add(_hung(slot, seed, plan, timeout))
                    slots[n] = slot = _Slot(ctx, config, slot.slot)
                    _next(slot, todo)
            now = time.monotonic()
            if progress and now - last >= progress:
                last = now
                summary.seconds = now - began
                counts = " ".join(f"{o} {summary.counts[o]}" for o in OUTCOMES)
                print(
                    f"  {summary.cases}/{cases} cases, {summary.rate():.1f}/s: {counts}, "
                    f"{len(summary.findings)} signatures",
                    file=sys.stderr,
                    flush=True,
                )
                if on_progress is not None:
                    on_progress(summary)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        for slot in slots:
            slot.stop()
        gc.unfreeze()
        shutil.rmtree(base, ignore_errors=True)
    summary.seconds = time.monotonic() - began
    return summary


def _next(slot: _Slot, todo: Iterator[int]) -> None:
    index = next(todo, None)
    if index is None:
        slot.index = None
    else:
        slot.give(index)


def _result_without_run(
    seed: int, index: int, plan: Plan, outcome: str, failure: Failure
) -> CaseResult:
    """The result of a case whose worker gave none (it hung or died), made again here."""
    assert _SOURCES is not None
    case = make_case(seed, index, _SOURCES, plan=plan)
    return CaseResult(
        index,
        outcome,
        case.source,
        case.describe(),
        tuple(m.kind for m in case.mutations),
        tuple(m.file for m in case.mutations),
        (failure,),
    )


def _hung(slot: _Slot, seed: int, plan: Plan, timeout: float) -> CaseResult:
    assert slot.index is not None
    stacks = slot.kill()
    frame, main = _hang_signature(stacks)
    failure = Failure("hang", "Timeout", f"no result after {timeout:g} s", frame, frame, main)
    return _result_without_run(seed, slot.index, plan, "hang", failure)


def _died(slot: _Slot, seed: int, plan: Plan) -> CaseResult:
    assert slot.index is not None
    slot.process.join()
    code = slot.process.exitcode
    slot.conn.close()
    slot.clean()
    what = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
    failure = Failure("worker", "WorkerDied", f"the worker died ({what})", f"worker {what}")
    return _result_without_run(seed, slot.index, plan, "other", failure)


# -- saving and replaying --------------------------------------------------------------


def save_reproducers(summary: Summary, directory: Path) -> list[Path]:
    """Write the smallest case of each distinct finding under ``directory``, with a README."""
    assert _SOURCES is not None
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    ordered = sorted(summary.findings.values(), key=lambda f: (-f.count, f.signature))
    for n, found in enumerate(ordered, 1):
        slug = re.sub(r"[^A-Za-z0-9]+", "-", found.failure.signature).strip("-")[:80]
        root = directory / f"{n:02d}-{slug}"
        try:
            case = make_case(summary.seed, found.first.index, _SOURCES, plan=summary.plan)
        except Exception as exc:  # a finding of the harness itself: nothing to write
            print(f"not saved: {found.signature}: {exc!r}", file=sys.stderr)
            continue
        folder = case.write(root)
        (root / "README.txt").write_text(
            f"{found.signature}\n\n"
            f"cases: {found.count}; smallest: {found.first.index}\n"
            f"replay: {summary.replay_command(found.first.index)}\n"
            f"input: {case.describe()}\n\n"
            f"message: {found.failure.message}\n\n{found.failure.traceback}\n",
            encoding="utf-8",
        )
        saved.append(folder)
    return saved


def replay(seed: int, index: int, *, plan: Plan, timeout: float, keep: Path | None) -> CaseResult:
    """Run one case in this process, printing every step and full tracebacks.

    The folder is written to ``keep`` (kept) or a temporary directory. A
    case still running after ``timeout`` seconds prints every thread's
    stack and ends the process (a hang cannot be interrupted from inside);
    its temporary directory, named for the case, is then left behind, and
    replaced by the next replay of that case.
    """
    sources = load_sources()
    root = keep if keep is not None else _temp_place() / f"rulelaw-fuzz-replay-{seed}-{index}"
    faulthandler.dump_traceback_later(timeout, exit=True)
    try:
        result = run_case(seed, index, sources, root, plan=plan, verbose=True)
    finally:
        faulthandler.cancel_dump_traceback_later()
    if keep is None:
        shutil.rmtree(root, ignore_errors=True)
        print(f"outcome: {result.outcome}   (folder removed; --save DIR keeps it)")
    else:
        print(f"outcome: {result.outcome}   folder: {root / 'case'}")
    return result


def _case_number(text: str, seed: int) -> tuple[int, int]:
    if ":" in text:
        a, b = text.split(":", 1)
        return int(a), int(b)
    return seed, int(text)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_summary(summary: Summary, path: Path) -> None:
    """Write the summary as JSON, whole or not at all (it is rewritten as the run goes)."""
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(summary.as_json(), indent=2, ensure_ascii=False), encoding="utf-8")
    part.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m fuzz.run``: run cases and print the counts; status 1 if any is other or hang."""
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    parser.add_argument("--start", type=int, default=0, help="the first case index (default 0)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)"
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="seconds before a case is a hang (default 5)"
    )
    parser.add_argument(
        "--plan",
        choices=("weighted", "sweep"),
        default="weighted",
        help="weighted: sources drawn by weight (default); sweep: every source and file in turn",
    )
    parser.add_argument(
        "--memory", type=int, default=4096, help="address-space limit per worker, MiB (0: none)"
    )
    parser.add_argument("--save", metavar="DIR", help="write the smallest case of each finding")
    parser.add_argument("--summary", metavar="FILE", help="write the summary as JSON")
    parser.add_argument(
        "--progress", type=float, default=30.0, help="seconds between progress lines (0: none)"
    )
    parser.add_argument(
        "--replay",
        metavar="CASE",
        help="run one case (INDEX, or SEED:INDEX) verbosely, in this process",
    )
    parser.add_argument(
        "--merge",
        metavar="SUMMARY",
        nargs="+",
        help="print the report of runs of one seed split with --start, from their --summary files",
    )
    args = parser.parse_args(argv)
    if args.merge:
        parts = [Summary.from_json(json.loads(Path(p).read_text("utf-8"))) for p in args.merge]
        merged = parts[0]
        for part in parts[1:]:
            merged.merge(part)
        print(merged.report())
        if args.summary:
            _write_summary(merged, Path(args.summary))
        return 1 if merged.findings else 0
    if args.replay is not None:
        seed, index = _case_number(args.replay, args.seed)
        keep = Path(args.save) if args.save else None
        result = replay(seed, index, plan=args.plan, timeout=args.timeout, keep=keep)
        return 0 if result.outcome in ("valid", "rulelaw-error") else 1
    signal.signal(signal.SIGTERM, _interrupt)

    def checkpoint(summary: Summary) -> None:
        if args.summary:
            _write_summary(summary, Path(args.summary))

    summary = run_cases(
        seed=args.seed,
        cases=args.cases,
        start=args.start,
        jobs=args.jobs,
        timeout=args.timeout,
        plan=args.plan,
        memory_mb=args.memory,
        progress=args.progress,
        on_progress=checkpoint,
    )
    print(summary.report())
    checkpoint(summary)
    if args.save and summary.findings:
        saved = save_reproducers(summary, Path(args.save))
        print(f"\n{len(saved)} reproducers saved in {args.save}")
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
