"""Writing outputs whole or not at all, leaving nothing behind.

An output that is a regular file (or does not exist yet) is written into a
file of its own folder that has no name yet (Linux's ``O_TMPFILE``); once
complete and on disk, the file is linked in under a temporary name and
renamed over the target. A run killed half-way, even by ``SIGKILL``, leaves
nothing: the system drops a file without a name when its last descriptor
closes. Where the filesystem has no ``O_TMPFILE`` (or the system no
``/proc``), a named temporary file ``.NAME.rulelaw.XXXXXXXXXXXX.tmp`` is
written instead; it is locked (``flock``) for as long as it is written, and
every write to the same target first removes the files of that pattern that
this user owns and no live process holds locked, which only a killed run
leaves.

The file is created with mode ``0o666``, which the system narrows by the
umask (or a default ACL), as for any new file; nothing reads or sets the
process's umask. A file that is replaced keeps its permission bits and,
where the system lets us, its owner and group.

A symlink is followed: the file it points to is replaced and the link kept.
A target that is not a regular file -- ``/dev/null``, a terminal, a named
pipe -- is written in place, as a shell's ``>`` does: it cannot be replaced
by a file, and readers of a device or pipe cannot see a part anyway. So is
a path that names one of the process's descriptors (``/dev/stdout``,
``/dev/fd/N``, ``/proc/self/fd/N``), even when it is open on a file: the
file it is open on is written (from its start), not a file at its name.

Every :class:`OSError` met on the way is raised as an
:class:`~rulelaw.errors.OutputError` naming the target as the caller gave it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from rulelaw.errors import DataError, OutputError
from rulelaw.messages import Message

if sys.platform != "win32":
    import fcntl

__all__ = [
    "stream_atomically",
    "write_atomically",
    "write_folder_atomically",
    "write_pieces",
]


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`stream_atomically`).

    Readers see either the old file or the complete new one, never a part.
    """
    stream_atomically(path, lambda handle: handle.write(data))


def stream_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Let ``write`` fill a new file that then replaces ``path`` at once.

    If ``write`` raises, ``path`` is untouched and nothing is left behind;
    nor is anything if the process is killed. A target that is not a
    regular file (a device, a named pipe) is written in place instead.

    Raises :class:`~rulelaw.errors.OutputError` for any system error on
    the way (``cannot write out.json: No space left on device``); what
    ``write`` raises otherwise passes through.
    """
    target = os.fspath(path)
    try:
        _stream(target, write)
    except OutputError:
        raise
    except OSError as error:
        raise OutputError.of(target, error) from error


def _stream(target: str, write: Callable[[BinaryIO], object]) -> None:
    # The path as given is looked at first: /dev/stdout is a link through /proc that
    # the system follows to a pipe, terminal or file, but realpath cannot always name.
    try:
        found: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        found = None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputError(target, os.strerror(errno.EISDIR), errno.EISDIR)
    if found is not None and (not stat.S_ISREG(found.st_mode) or _descriptor(target)):
        _write_in_place(target, write)
        return
    # A symlink (even a dangling one): the file it points to is replaced, the link kept.
    _replace(os.path.realpath(target), found, write)


#: where a path names an open descriptor of this process (/dev/stdout leads there)
_DESCRIPTORS = ("/proc/", "/dev/fd/")


def _descriptor(path: str) -> bool:
    """Whether ``path`` is, or its symlinks lead through, a descriptor (``/dev/stdout``)."""
    for _ in range(40):  # the system's own limit on links followed
        if os.path.normpath(os.path.abspath(path)).startswith(_DESCRIPTORS):
            return True
        try:
            link = os.readlink(path)
        except OSError:  # not a symlink
            return False
        path = os.path.join(os.path.dirname(path), link)
    return False


def _write_in_place(path: str, write: Callable[[BinaryIO], object]) -> None:
    """Write into the device, pipe or descriptor at ``path``, as a shell's ``>`` does."""
    fd = os.open(path, os.O_WRONLY | _O_CLOEXEC | _O_NOCTTY | _O_BINARY)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # a file standard output is sent to
            os.ftruncate(fd, 0)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            write(handle)
    finally:
        os.close(fd)


def _replace(path: str, found: os.stat_result | None, write: Callable[[BinaryIO], object]) -> None:
    """Write a new file in ``path``'s folder and rename it over ``path`` (the file it was)."""
    folder, name = os.path.split(path)
    # The file is created no wider than it will be: a new one as the umask says, a
    # replacement at most with the old file's bits, which are then set exactly.
    mode = 0o666 if found is None else stat.S_IMODE(found.st_mode) & 0o777
    _remove_stale(folder, name)
    fd, temp = _create(folder, name, mode)
    try:
        if found is not None:
            _keep_owner_and_mode(fd, found)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            write(handle)
            handle.flush()
        os.fsync(fd)
        if temp is None:
            temp = _link(fd, folder, name)
        os.replace(temp, path)
        temp = None
        _sync(folder)
    finally:
        if temp is not None:
            _unlink(temp)
        os.close(fd)


#: the flag for a file without a name (0 where the system has none); a test sets it to 0
_O_TMPFILE: int = getattr(os, "O_TMPFILE", 0)
_O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
_O_NOCTTY: int = getattr(os, "O_NOCTTY", 0)
_O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_O_BINARY: int = getattr(os, "O_BINARY", 0)
_O_DIRECTORY: int = getattr(os, "O_DIRECTORY", 0)

#: what ``open`` says when a filesystem (or an old kernel) has no ``O_TMPFILE``
_NO_TMPFILE = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL})

#: what ``flock`` says where a filesystem has no locks
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL})

#: the links of an unnamed file under a name go through its descriptor here
_PROC_FD = "/proc/self/fd"

#: temporary names tried before giving up (each has 48 random bits)
_ATTEMPTS = 100


def _create(folder: str, name: str, mode: int) -> tuple[int, str | None]:
    """A new file, locked, for ``folder/name``: unnamed where possible, else with its temp name."""
    if _O_TMPFILE and os.path.isdir(_PROC_FD):
        try:
            fd = os.open(folder or ".", _O_TMPFILE | os.O_WRONLY | _O_CLOEXEC, mode)
        except OSError as error:
            if error.errno not in _NO_TMPFILE:
                raise
        else:
            # Nobody can reach it before it is linked in; locked, it stays out of sweeps then.
            try:
                _lock(fd)
            except BaseException:
                os.close(fd)
                raise
            return fd, None
    for _ in range(_ATTEMPTS):
        temp = os.path.join(folder, _temp_name(name))
        try:
            fd = os.open(
                temp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW | _O_BINARY,
                mode,
            )
        except FileExistsError:
            continue
        try:
            taken = _lock(fd) and _same_file(temp, os.fstat(fd))
        except BaseException:
            os.close(fd)
            _unlink(temp)
            raise
        if taken:
            return fd, temp
        # Another run's sweep opened it between its creation and the lock: the sweep
        # removes it; this run takes a new name.
        os.close(fd)
    raise FileExistsError(errno.EEXIST, "no free temporary name", folder)


def _link(fd: int, folder: str, name: str) -> str:
    """Give the unnamed file ``fd`` a temporary name in ``folder``; return that name.

    ``linkat`` of ``/proc/self/fd/N`` with ``AT_SYMLINK_FOLLOW`` links the
    file the descriptor refers to. (``os.link`` calls plain ``link``, which
    does not follow, unless given a folder descriptor.)
    """
    where = os.open(folder or ".", os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        for _ in range(_ATTEMPTS):
            temp = _temp_name(name)
            try:
                os.link(f"{_PROC_FD}/{fd}", temp, dst_dir_fd=where, follow_symlinks=True)
            except FileExistsError:
                continue
            return os.path.join(folder, temp)
    finally:
        os.close(where)
    raise FileExistsError(errno.EEXIST, "no free temporary name", folder)


def _lock(fd: int) -> bool:
    """Lock ``fd``'s file for this run; ``False`` if another process holds it locked.

    Where the filesystem has no locks the file stays unlocked, and is then
    never removed by a sweep either (a sweep removes only what it can lock).
    """
    if sys.platform == "win32":  # pragma: no cover
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno not in _NO_LOCKS:
            raise
    return True


def _stem(name: str) -> str:
    """The part of ``name`` a temporary name carries (a digest of a very long name)."""
    if len(os.fsencode(name)) <= 200:
        return name
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:32]


def _temp_name(name: str) -> str:
    return f".{_stem(name)}.rulelaw.{secrets.token_hex(6)}.tmp"


def _temp_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(_stem(name))}\.rulelaw\.[0-9a-f]{{12}}\.tmp")


def _remove_stale(folder: str, name: str) -> None:
    """Remove the temporary files of ``folder/name`` that killed runs left.

    Only files of this module's exact pattern for that name, regular,
    owned by this user and not locked by a live process (every run keeps
    its temporary file locked) are removed. A sweep that cannot look is
    skipped: it must never make a write fail.
    """
    if sys.platform == "win32":  # pragma: no cover
        return
    pattern = _temp_pattern(name)
    try:
        with os.scandir(folder or ".") as entries:
            names = [e.name for e in entries if pattern.fullmatch(e.name)]
    except OSError:
        return
    for found in names:
        try:
            _remove_if_stale(os.path.join(folder, found))
        except OSError:
            continue


def _remove_if_stale(path: str) -> None:
    flags = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # locked by a live run, or no locks here: not provably stale
            return
        if _same_file(path, info):  # not renamed into place since it was opened
            os.unlink(path)
    finally:
        os.close(fd)


def _same_file(path: str, info: os.stat_result) -> bool:
    """Whether ``path`` (not followed) is still the file ``info`` describes."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino)


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the new file ``fd`` the replaced file's owner and group where allowed, and its bits."""
    new = os.fstat(fd)
    if hasattr(os, "fchown") and (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except PermissionError:  # only root gives files away; a member may keep the group
            with contextlib.suppress(PermissionError):
                os.fchown(fd, -1, old.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)


def _unlink(path: str) -> None:
    """Remove ``path`` if it is there; cleaning up must not hide the error being raised."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync(folder: str) -> None:
    """Ask the system to put ``folder``'s new entry on disk (where it can)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_folder_atomically(folder: Path, files: Mapping[str, bytes]) -> None:
    """Create ``folder`` holding ``files``; refuse if it exists and is not empty.

    The files are written into a temporary sibling folder that is renamed into
    place at the end, so the folder appears complete or not at all.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DataError(
            Message.of("file.existing-folder"),
            file=str(folder),
            expected=Message.of("file.expected-new-folder"),
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if folder.exists():
            folder.rmdir()
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


#: bytes handed to the writing thread at a time
BATCH = 1 << 22


def write_pieces(stream: BinaryIO, pieces: Iterable[bytes | memoryview]) -> None:
    """Write ``pieces`` to ``stream`` in order, in batches of about 4 MB handed to a thread.

    Writing releases the interpreter lock, so a batch is written while the
    next is made. When ``stream`` is a file, the system is asked after each
    batch to start putting what was written on disk and to drop it from its
    cache once there (``posix_fadvise``, where the system has it): a large
    document then does not wait for the disk all at once at the end, and
    its pages are reused rather than new memory taken.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    fd = _file_number(stream)
    if fd is not None:
        stream.flush()  # what the stream holds goes first: batches are written to its file

    def put(batch: list[bytes | memoryview]) -> None:
        if fd is None:
            stream.writelines(batch)
            return
        _write_all(fd, batch)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)

    batch: list[bytes | memoryview] = []
    size = 0
    with ThreadPoolExecutor(1, thread_name_prefix="rulelaw-write") as writer:
        pending: Future[None] | None = None
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= BATCH:
                if pending is not None:
                    pending.result()
                pending = writer.submit(put, batch)
                batch, size = [], 0
        if pending is not None:
            pending.result()
    if fd is None:
        stream.writelines(batch)
    else:
        _write_all(fd, batch)


#: buffers handed to one ``writev`` call (the system's limit, where it says)
_IOV_MAX = min(1024, os.sysconf("SC_IOV_MAX")) if hasattr(os, "sysconf") else 1024


def _write_all(fd: int, pieces: list[bytes | memoryview]) -> None:
    """Write ``pieces`` to file descriptor ``fd`` in order: gathered, a ``writev`` per 1024."""
    if not hasattr(os, "writev"):
        for piece in pieces:
            _write_rest(fd, memoryview(piece))
        return
    for start in range(0, len(pieces), _IOV_MAX):
        group = pieces[start : start + _IOV_MAX]
        written = os.writev(fd, group)
        for piece in group:  # a short write: the rest one piece at a time
            size = len(piece)
            if written < size:
                _write_rest(fd, memoryview(piece)[written:])
                written = 0
            else:
                written -= size


def _write_rest(fd: int, data: memoryview) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _file_number(stream: BinaryIO) -> int | None:
    """The descriptor of ``stream``'s regular file, if it has one and the system takes advice."""
    if not hasattr(os, "posix_fadvise"):
        return None
    try:
        fd = stream.fileno()
        return fd if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None
