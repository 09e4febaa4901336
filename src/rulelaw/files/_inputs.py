"""Refusing an output that would overwrite an input of the assessment being read."""

from __future__ import annotations

import os
from pathlib import Path

from rulelaw.errors import OutputError
from rulelaw.files._layout import FILES
from rulelaw.messages import Message

__all__ = ["refuse_input_as_output"]


def refuse_input_as_output(output: str | os.PathLike[str], source: str | os.PathLike[str]) -> None:
    """Raise :class:`~rulelaw.errors.OutputError` if ``output`` is an input of ``source``.

    ``source`` is what :func:`rulelaw.load` is given: an assessment folder or
    its ``scheme.toml``. Its inputs are the files ``load`` reads
    (:data:`rulelaw.files.FILES`: ``scheme.toml`` and every CSV file), whether
    each is there or not -- an optional file written now would be read by the
    next run. ``output`` is one of them if it leads to the same place once
    symlinks are resolved, or is the same file (a hard link).

    Example::

        refuse_input_as_output("tests/data/mini/evidence.csv", "tests/data/mini")
        # OutputError: cannot write tests/data/mini/evidence.csv: it is evidence.csv,
        # an input of the assessment folder tests/data/mini
    """
    folder = Path(source)
    if folder.is_file():
        folder = folder.parent
    target = os.path.realpath(output)
    for name in FILES:
        candidate = folder / name
        if os.path.realpath(candidate) == target or _same_file(candidate, output):
            raise OutputError(
                os.fspath(output),
                Message.of("output.is-an-input", name=name, folder=str(folder)),
            )


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing: not the same existing file
        return False
