"""Writing outputs: whole or not at all, nothing left behind, modes kept, devices written in place.

Each test is named after the fault it guards against (the output faults of
the hardening issue). The device nodes come from ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from rulelaw import OutputError, RulelawError
from rulelaw.files import _write
from rulelaw.files._write import stream_atomically, write_atomically

#: both ways a new file is made: unnamed (O_TMPFILE) and the named fallback
WAYS = ["unnamed", "named"]


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs with O_TMPFILE, then as on a filesystem without it."""
    if request.param == "named":
        monkeypatch.setattr(_write, "_O_TMPFILE", 0)
    return str(request.param)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _temp_files(folder: Path) -> list[str]:
    return [n for n in _names(folder) if n.endswith(".tmp")]


# -- killed half-way: nothing left behind --------------------------------------------------

#: a child that starts writing 1 MB to argv[1], says so, and waits to be killed
_KILLED_WRITER = """
import sys, time
from rulelaw.files import _write
if sys.argv[2] == "named":
    _write._O_TMPFILE = 0
def write(handle):
    handle.write(b"x" * 1_000_000)
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
_write.stream_atomically(sys.argv[1], write)
"""


def _start_writer(target: Path, way: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target), way],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    return child


def _kill(child: subprocess.Popen[str]) -> None:
    child.kill()  # SIGKILL: no handler, no finally, no atexit
    assert child.wait(timeout=30) == -9
    assert child.stdout is not None
    child.stdout.close()


def test_sigkill_mid_write_leaves_nothing_behind(tmp_path: Path) -> None:
    """A writer killed with SIGKILL half-way leaves the old target and no other file (O_TMPFILE)."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    child = _start_writer(target, "unnamed")
    try:
        assert _names(tmp_path) == ["out.json"]  # the megabyte written so far has no name
    finally:
        _kill(child)
    assert _names(tmp_path) == ["out.json"]
    assert target.read_bytes() == b"old"


def test_sigkill_mid_write_without_o_tmpfile_is_cleaned_by_the_next_write(tmp_path: Path) -> None:
    """Without O_TMPFILE a killed run's temp file stays, and the next write removes it."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    _kill(_start_writer(target, "named"))
    left = _temp_files(tmp_path)
    assert len(left) == 1
    assert left[0].startswith(".out.json.rulelaw.")
    assert (tmp_path / left[0]).stat().st_size == 1_000_000
    assert target.read_bytes() == b"old"

    write_atomically(target, b"new")  # either way: the sweep runs before each write
    assert _names(tmp_path) == ["out.json"]
    assert target.read_bytes() == b"new"


def test_a_live_writers_temp_file_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes to the same target, either way, leave a live process's temp file alone."""
    target = tmp_path / "out.json"
    child = _start_writer(target, "named")
    try:
        live = _temp_files(tmp_path)
        assert len(live) == 1
        write_atomically(target, b"unnamed")
        monkeypatch.setattr(_write, "_O_TMPFILE", 0)
        write_atomically(target, b"named")
        assert _names(tmp_path) == sorted([*live, "out.json"])
        assert target.read_bytes() == b"named"
    finally:
        _kill(child)
    write_atomically(target, b"again")
    assert _names(tmp_path) == ["out.json"]


def test_only_our_own_stale_temp_files_are_removed(tmp_path: Path, way: str) -> None:
    """The sweep removes unlocked temp files of our exact pattern only; others are kept."""
    target = tmp_path / "out.json"
    stale = tmp_path / ".out.json.rulelaw.0123456789ab.tmp"
    kept = [
        ".out.json.rulelaw.0123456789a.tmp",  # 11 digits, not 12
        ".out.json.rulelaw.0123456789AB.tmp",  # upper case: not ours
        ".other.json.rulelaw.0123456789ab.tmp",  # another target's
        ".out.json.x1b2c3d4.tmp",  # tempfile.mkstemp's pattern, not ours
        "out.json.rulelaw.0123456789ab.tmp",  # not hidden
    ]
    for name in [stale.name, *kept]:
        (tmp_path / name).write_bytes(b"left")
    locked = tmp_path / ".out.json.rulelaw.cccccccccccc.tmp"
    locked.write_bytes(b"in use")
    link = tmp_path / ".out.json.rulelaw.dddddddddddd.tmp"
    link.symlink_to(tmp_path / kept[0])
    with locked.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        write_atomically(target, b"new")
    assert _names(tmp_path) == sorted([*kept, locked.name, link.name, "out.json"])


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_stale_temp_files_of_another_user_are_kept(tmp_path: Path, way: str) -> None:
    """A file of our pattern that another user owns is not ours to remove."""
    theirs = tmp_path / ".out.json.rulelaw.0123456789ab.tmp"
    theirs.write_bytes(b"theirs")
    os.chown(theirs, 4242, 4242)
    write_atomically(tmp_path / "out.json", b"new")
    assert _names(tmp_path) == [theirs.name, "out.json"]


class _OsWithoutTmpfile:
    """The ``os`` module, except that ``open`` with O_TMPFILE fails with ``code``."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def open(self, path: str, flags: int, mode: int = 0o777) -> int:
        if flags & _write._O_TMPFILE == _write._O_TMPFILE:
            self.refused += 1
            raise OSError(self.code, os.strerror(self.code))
        return os.open(path, flags, mode)


@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL])
def test_a_filesystem_refusing_o_tmpfile_gets_a_named_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Where O_TMPFILE is refused, the output is written through a named temp file, then renamed."""
    fake = _OsWithoutTmpfile(code)
    monkeypatch.setattr(_write, "os", fake)
    seen: list[str] = []

    def write(handle: BinaryIO) -> None:
        seen.extend(_temp_files(tmp_path))
        handle.write(b"whole")

    stream_atomically(tmp_path / "out.json", write)
    assert fake.refused == 1
    assert len(seen) == 1
    assert seen[0].startswith(".out.json.rulelaw.")
    assert _names(tmp_path) == ["out.json"]
    assert (tmp_path / "out.json").read_bytes() == b"whole"


def test_other_o_tmpfile_errors_are_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An O_TMPFILE failure that is not 'unsupported' (no permission) is the error raised."""
    monkeypatch.setattr(_write, "os", _OsWithoutTmpfile(errno.EACCES))
    target = tmp_path / "out.json"
    with pytest.raises(OutputError) as caught:
        write_atomically(target, b"x")
    assert str(caught.value) == f"cannot write {target}: Permission denied"
    assert _names(tmp_path) == []


def test_a_failing_write_leaves_the_old_file_and_nothing_else(tmp_path: Path, way: str) -> None:
    """An exception from the writer leaves the old target whole and no temp file."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def write(handle: BinaryIO) -> None:
        handle.write(b"half")
        raise KeyError("stop")

    with pytest.raises(KeyError, match="stop"):
        stream_atomically(target, write)
    assert _names(tmp_path) == ["out.json"]
    assert target.read_bytes() == b"old"


class _OsFailingReplace:
    """The ``os`` module, except that ``replace`` fails as a full disk would."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def replace(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failing_rename_removes_the_linked_temp_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """If the final rename fails, the temp name the new file got is removed at once."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(_write, "os", _OsFailingReplace())
    with pytest.raises(OutputError) as caught:
        write_atomically(target, b"new")
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert _names(tmp_path) == ["out.json"]
    assert target.read_bytes() == b"old"


# -- file modes --------------------------------------------------------------------------------

#: a child that writes a new file each way into the folder argv[1]
_UMASK_WRITER = """
import sys
from rulelaw.files import _write
_write.write_atomically(sys.argv[1] + "/unnamed.json", b"new")
_write._O_TMPFILE = 0
_write.write_atomically(sys.argv[1] + "/named.json", b"new")
"""


def test_new_output_honours_the_umask_not_0600(tmp_path: Path) -> None:
    """A new output is created 0666 less the umask (0640 under 027), not mkstemp's 0600."""
    subprocess.run([sys.executable, "-c", _UMASK_WRITER, str(tmp_path)], check=True, umask=0o027)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()} == {
        "unnamed.json": 0o640,
        "named.json": 0o640,
    }


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o600, 0o444, 0o775], ids=oct)
def test_replaced_output_keeps_its_mode(tmp_path: Path, way: str, mode: int) -> None:
    """Replacing an existing file keeps its permission bits (a 0644 file does not become 0600)."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomically(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"new"


def _another_group() -> int | None:
    """A group id this process may give its files: any as root, else a supplementary group."""
    if os.geteuid() == 0:
        return 4242
    others = [g for g in os.getgroups() if g != os.getegid()]
    return others[0] if others else None


@pytest.mark.skipif(_another_group() is None, reason="needs root or a second group")
def test_replaced_output_keeps_its_group(tmp_path: Path, way: str) -> None:
    """Replacing a file keeps its group (and, as root, its owner) where the system lets us."""
    group = _another_group()
    assert group is not None
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    owner = 4243 if os.geteuid() == 0 else os.geteuid()
    os.chown(target, owner, group)
    target.chmod(0o640)
    write_atomically(target, b"new")
    found = target.stat()
    assert (found.st_uid, found.st_gid, stat.S_IMODE(found.st_mode)) == (owner, group, 0o640)


# -- targets that are not regular files --------------------------------------------------------


def test_output_to_dev_null_keeps_the_device(tmp_path: Path, null_device: Path, way: str) -> None:
    """Writing to /dev/null writes into the device; it is not replaced by a regular file."""
    before = os.stat(null_device)
    write_atomically(null_device, b"x" * 100_000)
    after = os.stat(null_device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert _temp_files(null_device.parent) == []


def test_output_through_a_symlink_to_a_device_keeps_link_and_device(
    tmp_path: Path, null_device: Path
) -> None:
    """A symlink to /dev/null stays a symlink, and the device a device."""
    link = tmp_path / "sink"
    link.symlink_to(null_device)
    write_atomically(link, b"x")
    assert link.is_symlink()
    assert os.readlink(link) == str(null_device)
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_output_to_a_fifo_writes_into_it(tmp_path: Path, way: str) -> None:
    """A named pipe gets the output through it, and stays a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomically(fifo, b"through the pipe")
    reader.join(timeout=30)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert _names(tmp_path) == ["pipe"]


def test_output_to_dev_stdout_on_a_pipe_writes_into_the_pipe(tmp_path: Path) -> None:
    """/dev/fd/N (what /dev/stdout leads to) on a pipe: the output goes down the pipe."""
    read, write = os.pipe()
    try:
        write_atomically(f"/dev/fd/{write}", b"down the pipe")
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            assert pipe.read() == b"down the pipe"
    finally:
        with contextlib.suppress(OSError):
            os.close(write)


@pytest.mark.parametrize("prefix", ["/dev/fd", "/proc/self/fd"])
def test_output_to_a_descriptor_open_on_a_file_writes_that_file(
    tmp_path: Path, prefix: str
) -> None:
    """A descriptor open on a file (``--output /dev/stdout > file``): that file is rewritten."""
    target = tmp_path / "out.txt"
    target.write_bytes(b"an older and much longer content")
    with target.open("r+b") as handle:
        write_atomically(f"{prefix}/{handle.fileno()}", b"new")
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["out.txt"]


def test_output_to_a_pipe_without_reader_is_an_epipe_output_error() -> None:
    """A pipe whose reader has gone: an OutputError with errno EPIPE, naming the target."""
    read, write = os.pipe()
    os.close(read)
    target = f"/dev/fd/{write}"
    try:
        with pytest.raises(OutputError) as caught:
            write_atomically(target, b"x")
    finally:
        os.close(write)
    assert (caught.value.errno, str(caught.value)) == (
        errno.EPIPE,
        f"cannot write {target}: Broken pipe",
    )


def test_dev_full_is_an_output_error_naming_it(full_device: Path) -> None:
    """/dev/full fails with 'No space left on device' naming the device, as an OutputError."""
    with pytest.raises(OutputError) as caught:
        write_atomically(full_device, b"x" * 100)
    error = caught.value
    assert str(error) == f"cannot write {full_device}: No space left on device"
    assert (error.errno, error.filename, error.strerror) == (
        errno.ENOSPC,
        str(full_device),
        "No space left on device",
    )
    assert isinstance(error, RulelawError)
    assert isinstance(error, OSError)
    assert stat.S_ISCHR(os.stat(full_device).st_mode)


def test_output_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path, way: str) -> None:
    """A symlink to a regular file: the file is replaced (keeping its mode), the link kept."""
    real = tmp_path / "data" / "real.csv"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(Path("data") / "real.csv")
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert os.readlink(link) == "data/real.csv"
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _names(tmp_path) == ["data", "link.csv"]
    assert _names(real.parent) == ["real.csv"]


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path, way: str) -> None:
    """A symlink to a file not there yet: the file is created where the link points."""
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert (tmp_path / "made.csv").read_bytes() == b"new"


# -- error messages name the target ------------------------------------------------------------


def test_missing_folder_error_names_the_target_not_a_temp_file(tmp_path: Path, way: str) -> None:
    """A folder that does not exist: the message names the output asked for."""
    target = tmp_path / "no" / "such" / "out.json"
    with pytest.raises(OutputError) as caught:
        write_atomically(target, b"x")
    assert str(caught.value) == f"cannot write {target}: No such file or directory"
    assert caught.value.errno == errno.ENOENT


def test_a_folder_as_target_is_an_output_error(tmp_path: Path) -> None:
    """A folder is not replaced: 'Is a directory', naming it."""
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path, b"x")
    assert str(caught.value) == f"cannot write {tmp_path}: Is a directory"
    assert tmp_path.is_dir()


def test_an_oserror_raised_by_the_writer_names_the_target(tmp_path: Path, way: str) -> None:
    """An OSError from the writer (a full disk as the data arrives) is an OutputError too."""
    target = tmp_path / "out.json"

    def write(handle: BinaryIO) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        stream_atomically(target, write)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert _names(tmp_path) == []


#: a child that may write at most 1000 bytes to a file (SIGXFSZ ignored: the write fails)
_LIMITED_WRITER = """
import resource, signal, sys
from rulelaw.files import _write
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
for tmpfile in (_write._O_TMPFILE, 0):
    _write._O_TMPFILE = tmpfile
    try:
        _write.write_atomically(sys.argv[1], b"x" * 100_000)
    except OSError as error:
        print(type(error).__name__, error.errno, error, sep="|")
"""


def test_file_size_limit_error_names_the_target(tmp_path: Path) -> None:
    """A write over RLIMIT_FSIZE fails with EFBIG, named by the target; the old file stays."""
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED_WRITER, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    line = f"OutputError|{errno.EFBIG}|cannot write {target}: File too large\n"
    assert (done.stdout, done.stderr) == (line * 2, "")  # unnamed, then named
    assert _names(tmp_path) == ["out.json"]
    assert target.read_bytes() == b"old"


def test_output_error_pickles_and_compares_by_message() -> None:
    """OutputError survives pickling with its parts; equal errors compare equal."""
    import pickle

    error = OutputError("/x/out.json", "No space left on device", errno.ENOSPC)
    copy = pickle.loads(pickle.dumps(error))
    assert copy == error
    assert hash(copy) == hash(error)
    assert (copy.target, copy.reason, copy.errno, copy.filename) == (
        "/x/out.json",
        "No space left on device",
        errno.ENOSPC,
        "/x/out.json",
    )
    assert str(copy) == "cannot write /x/out.json: No space left on device"
    refusal = OutputError("a.csv", "it is a.csv")
    assert (refusal.errno, str(refusal)) == (None, "cannot write a.csv: it is a.csv")


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder is tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_relative_target_in_the_current_folder(chdir_tmp: Path, way: str) -> None:
    """A bare file name is written in the current folder, and named as given in errors."""
    write_atomically("out.json", b"here")
    assert (chdir_tmp / "out.json").read_bytes() == b"here"
    with pytest.raises(OutputError, match=r"^cannot write \.: Is a directory$"):
        write_atomically(".", b"x")
