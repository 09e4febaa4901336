"""Shared fixtures: paths to the test data folders and hypothesis profiles."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks English in every test, whatever the machine's locale.

    It follows ``RULELAW_LANG``, then the locale; a test of that choice sets
    or deletes the variables itself.
    """
    monkeypatch.setenv("RULELAW_LANG", "en")


@pytest.fixture
def mini_path() -> Path:
    """The small, valid assessment folder the tests start from."""
    return DATA / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path, mini_path: Path) -> Path:
    """A writable copy of the mini folder, to seed with errors."""
    target = tmp_path / "mini"
    shutil.copytree(mini_path, target)
    return target


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/NAME: a private one under root, else the system's.

    As root a test could replace the system's node if the writer regressed;
    a private node in ``tmp_path`` keeps that from ever happening.
    """
    if os.geteuid() == 0:
        node = tmp_path / name
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        return node
    return Path("/dev") / name


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """A node of the null device (1, 3)."""
    return _device(tmp_path, "null", 3)


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    """A node of the full device (1, 7): every write fails with ENOSPC."""
    return _device(tmp_path, "full", 7)
