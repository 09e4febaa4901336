"""Writing outputs whole or not at all."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from rulelaw.errors import DataError

__all__ = [
    "stream_atomically",
    "write_atomically",
    "write_folder_atomically",
    "write_pieces",
]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see either the old file or the complete new one, never a part.
    """
    stream_atomically(path, lambda handle: handle.write(data))


def stream_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let ``write`` fill a temporary file in ``path``'s folder, then rename it to ``path``.

    If ``write`` raises, the temporary file is removed and ``path`` is untouched.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_folder_atomically(folder: Path, files: Mapping[str, bytes]) -> None:
    """Create ``folder`` holding ``files``; refuse if it exists and is not empty.

    The files are written into a temporary sibling folder that is renamed into
    place at the end, so the folder appears complete or not at all.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DataError(
            "refusing to write into an existing folder",
            file=str(folder),
            expected="a new or empty folder",
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
