"""The folders the fuzzer mutates, read once and held in memory.

Every example folder of the repository is a source, as it is. Two more are
made from the demo city, so most cases run fast and one reader is not left
out:

- ``demo-small``: the demo city's scheme with ten of its 52 units (two or
  more of each category, and those with adjustments and problems) and only
  the rows of the other files that concern them;
- ``demo-padded``: ``demo-small`` with the ``source`` cells of its
  ``evidence.csv`` lengthened past :data:`rulelaw.files._columnar.COLUMNAR_FROM`,
  so :func:`rulelaw.load` reads it column by column (Apache Arrow), as it
  reads a province's evidence.

The source folders are only read, never written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REPO", "Source", "example_folders", "load_sources"]

#: The repository the fuzzer ships in.
REPO = Path(__file__).resolve().parent.parent

#: Units the small demo city keeps: two or more per category, and those that
#: have adjustments, problems, a veto and panel reports.
_SMALL_UNITS = (
    "county-01",
    "county-02",
    "county-04",
    "county-05",
    "dept-06",
    "dept-08",
    "dept-11",
    "dept-25",
    "park-01",
    "park-02",
)

#: Past this many bytes ``rulelaw.load`` reads ``evidence.csv`` with Arrow (``COLUMNAR_FROM``).
_COLUMNAR_FROM = 1 << 20


@dataclass(frozen=True)
class Source:
    """A source folder: its name and its files' bytes (``scheme.toml`` and the CSV files)."""

    name: str
    files: Mapping[str, bytes]


def example_folders() -> dict[str, Path]:
    """Every example folder of the repository, by source name."""
    examples = REPO / "examples"
    found = sorted(p.parent for g in ("*/units.csv", "*/*/units.csv") for p in examples.glob(g))
    # the demo city first: the small and padded demos are made from it
    folders = {"demo-city": examples / "demo-city"}
    folders.update((folder.relative_to(examples).as_posix(), folder) for folder in found)
    folders["mini"] = REPO / "tests" / "data" / "mini"
    return folders


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and (path.suffix == ".csv" or path.name == "scheme.toml")
    }


def _table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or ()), rows


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _small_demo(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The demo city cut down to :data:`_SMALL_UNITS` and what concerns them."""
    units = set(_SMALL_UNITS)
    out = {"scheme.toml": files["scheme.toml"]}
    tables = {name: _table(data) for name, data in files.items() if name.endswith(".csv")}

    def keep(name: str, column: str, allowed: set[str]) -> list[dict[str, str]]:
        header, rows = tables[name]
        kept = [row for row in rows if row[column] in allowed]
        out[name] = _csv(header, kept)
        return kept

    keep("units.csv", "id", units)
    tenures = keep("tenures.csv", "unit", units)
    reports = keep("reports.csv", "unit", units)
    problems = keep("problems.csv", "unit", units)
    people = {t["person"] for t in tenures} | {r["person"] for r in reports}
    people |= {p["person"] for p in problems if p.get("person")}
    keep("people.csv", "id", people)
    keep("ballots.csv", "report", {r["id"] for r in reports})
    keep("problem_status.csv", "problem", {p["id"] for p in problems})
    for name in ("evidence.csv", "adjustments.csv", "filings.csv"):
        keep(name, "unit", units)
    return out


def _padded(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """``files`` with the evidence's ``source`` cells long enough for Arrow's reader."""
    header, rows = _table(files["evidence.csv"])
    width = _COLUMNAR_FROM // max(len(rows), 1) + 64
    for row in rows:
        row["source"] = (row["source"] or "市委依法治市办") + "（材料" + "附" * (width // 3) + "）"
    out = dict(files)
    out["evidence.csv"] = _csv(header, rows)
    assert len(out["evidence.csv"]) > _COLUMNAR_FROM
    return out


def load_sources() -> tuple[Source, ...]:
    """Every source folder, read into memory: the examples, ``demo-small`` and ``demo-padded``."""
    sources = [Source(name, _read_folder(path)) for name, path in example_folders().items()]
    demo = sources[0].files
    small = _small_demo(demo)
    sources.insert(1, Source("demo-small", small))
    sources.insert(2, Source("demo-padded", _padded(small)))
    return tuple(sources)
