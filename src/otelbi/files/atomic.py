"""Atomic file output: a file appears under its name complete, or not at all.

`atomic_write(path)` yields a binary file created under a temporary name in the same
directory (`.{name}.tmp-{random}`). When the block ends the file is flushed, fsynced and
renamed to `path` — a rename within one directory is atomic, so a reader listing the
directory (a user browsing the network share) sees either no file or the whole file — and
the directory is fsynced so the rename survives a crash. If the block raises, the temporary
file is removed and `path` is not created.

Storage failures (no space, no rights, a read-only mount, a path that is not a directory,
an I/O error of the share) become `DependencyUnavailable` naming the directory: the caller
can do nothing about them but report them.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from otelbi.errors import DependencyUnavailable

log = logging.getLogger(__name__)

STORAGE_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOTDIR,
        errno.EEXIST,  # a file where a directory should be
        errno.ENOENT,
        errno.EIO,
        errno.ESTALE,
        errno.ENOTCONN,
        errno.EHOSTDOWN,
    }
)
"""OSError numbers that mean "this directory cannot take the file", not a bug in the writer."""


def unwritable(directory: Path, error: OSError) -> DependencyUnavailable:
    """Return the error that names `directory` and why it cannot be written."""
    name = errno.errorcode.get(error.errno or 0, "")
    reason = f"{error.strerror or error} ({name})" if name else str(error.strerror or error)
    return DependencyUnavailable(f"{directory} cannot be written: {reason}")


def ensure_directory(directory: Path) -> None:
    """Create `directory` and its parents if needed; DependencyUnavailable if that fails."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise unwritable(directory, error) from error


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Yield a file that becomes `path` when the block ends, or vanishes if it raises."""
    directory = path.parent
    temporary = directory / f".{path.name}.tmp-{secrets.token_hex(6)}"
    try:
        file = temporary.open("xb")
    except OSError as error:
        raise unwritable(directory, error) from error
    try:
        with file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError) and error.errno in STORAGE_ERRNOS:
            raise unwritable(directory, error) from error
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable; a share that cannot fsync a directory is only logged.

    The file is complete and visible at this point, so failing the write would leave a
    good file behind a failed call; some network file systems (CIFS) refuse the call.
    """
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        log.warning("could not open %s to fsync it: %s", directory, error)
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        log.debug("fsync of directory %s not supported: %s", directory, error)
    finally:
        os.close(descriptor)
