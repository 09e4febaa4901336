"""Shared fixtures: paths to the test data folders and hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


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
