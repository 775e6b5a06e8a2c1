"""Atomic file output: the file appears whole under its name or not at all, a failure leaves
no temporary file, and a directory that cannot take the file is a DependencyUnavailable naming
it — on a real full and a real read-only tmpfs where this machine lets the test mount one."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from otelbi.errors import DependencyUnavailable
from otelbi.files.atomic import atomic_write, ensure_directory

CHUNK = b"x" * 65536


def _write(path: Path, *chunks: bytes) -> None:
    with atomic_write(path) as file:
        for chunk in chunks:
            file.write(chunk)


def _write_then_fail(path: Path) -> None:
    with atomic_write(path) as file:
        file.write(b"half a workbook")
        raise ValueError("the writer failed")


@pytest.fixture
def tmpfs(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path | None]:
    """Yield a 64 kB tmpfs mounted with the options of the test's parameter, or None."""
    directory = tmp_path / "tmpfs"
    directory.mkdir()
    options = getattr(request, "param", "size=64k")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield directory
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def test_the_file_appears_complete_and_nothing_else_remains(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    with atomic_write(target) as file:
        file.write(b"%PDF-1.4 whole")
        (temporary,) = tmp_path.iterdir()
        assert temporary.name.startswith(".report.pdf.tmp-")
        assert not target.exists()
    assert target.read_bytes() == b"%PDF-1.4 whole"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failing_block_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    with pytest.raises(ValueError, match="the writer failed"):
        _write_then_fail(target)
    assert list(tmp_path.iterdir()) == []


def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    chunks = 40
    sizes: set[int] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            if target.exists():
                sizes.add(target.stat().st_size)

    reader = threading.Thread(target=read)
    reader.start()
    with atomic_write(target) as file:
        for _ in range(chunks):
            file.write(CHUNK)
            file.flush()
            time.sleep(0.002)
    time.sleep(0.01)
    done.set()
    reader.join()
    assert sizes == {chunks * len(CHUNK)}


def test_a_directory_that_is_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("not a directory")
    with pytest.raises(DependencyUnavailable, match=r"share/2026/01 cannot be written: .*ENOTDIR"):
        ensure_directory(blocker / "2026" / "01")
    with pytest.raises(DependencyUnavailable, match=r"share cannot be written: .*ENOTDIR"):
        _write(blocker / "report.pdf", b"never")
    assert blocker.read_text() == "not a directory"


def test_a_full_disk_is_named_and_leaves_nothing(
    tmpfs: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tmpfs is None:
        # No mount rights: the share reports ENOSPC at fsync, as network file systems do.
        def full(descriptor: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        directory = tmp_path / "share"
        directory.mkdir()
    else:
        directory = tmpfs
    with pytest.raises(DependencyUnavailable, match="No space left on device") as refused:
        _write(directory / "report.pdf", *[CHUNK] * 4)  # 256 kB into 64 kB
    assert str(directory) in refused.value.detail
    assert list(directory.iterdir()) == []


@pytest.mark.parametrize("tmpfs", ["ro,size=64k"], indirect=True)
def test_a_read_only_share_is_named(tmpfs: Path | None) -> None:
    if tmpfs is None:
        pytest.skip("mounting a read-only tmpfs needs root (chmod does not stop root)")
    with pytest.raises(DependencyUnavailable, match=r"cannot be written: .*\(EROFS\)"):
        _write(tmpfs / "report.pdf", b"never")
    with pytest.raises(DependencyUnavailable, match=r"2026 cannot be written: .*\(EROFS\)"):
        ensure_directory(tmpfs / "2026")
    assert list(tmpfs.iterdir()) == []


def test_an_unsupported_directory_fsync_does_not_fail_a_complete_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def no_directory_fsync(descriptor: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{descriptor}"):
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", no_directory_fsync)
    _write(tmp_path / "report.pdf", b"%PDF")
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF"
