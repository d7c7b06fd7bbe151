"""Write a whole directory tree so that a reader sees the old tree or the new one, never a mix.

Why it exists: ``generate`` rewrites committed contracts; if it is killed halfway (CI timeout,
Ctrl-C, SIGKILL) a half-written tree would be committed as if it were real. We write the new
tree beside the old one, then swap them: atomically with Linux's ``renameat2(RENAME_EXCHANGE)``
where the C library has it, otherwise with two renames and a recovery step that the next run
(or any reader) performs if it finds the tree mid-swap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["recover", "replace_tree", "write_file_atomic"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _linux_call(name: str) -> Any:
    """The Linux C library's function ``name``, or ``None`` on another system or libc."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return None
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True), name)
    except (OSError, AttributeError):
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; ``False`` when this platform cannot."""
    renameat2 = _linux_call("renameat2")
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write one file through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _siblings(target: Path, kind: str) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.{kind}-*"))


def recover(target: Path) -> None:
    """Finish or undo a swap that an earlier, interrupted run left halfway."""
    old = _siblings(target, "old")
    if not target.exists() and old:
        os.rename(old[-1], target)  # the swap never completed: the old tree is the truth
        old = old[:-1]
    for leftover in old + _siblings(target, "new"):
        shutil.rmtree(leftover, ignore_errors=True)


def replace_tree(
    target: Path, files: Iterable[tuple[str, bytes | Iterable[bytes]]], keep: tuple[str, ...] = ()
) -> list[str]:
    """Make ``target`` hold exactly ``files`` (relative paths) plus its own ``keep`` subtrees.

    ``files`` may be a generator: each file is written (and synced) as it comes, so the
    caller need not hold them all; a file's content may itself come in pieces. The new tree
    is complete on disk before anything visible changes; ``keep`` entries (such as
    ``overrides``) are copied across unchanged, never rewritten. Returns the relative
    paths written, sorted.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        made: set[Path] = set()  # one mkdir per directory, not one per file
        written: list[str] = []
        for rel, data in files:
            path = staging / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            _write_new(path, data)
            written.append(rel)
        for name in keep:
            if (target / name).exists():
                shutil.copytree(target / name, staging / name, copy_function=shutil.copy2)
        if not _sync_filesystem(staging):
            _fsync_tree(staging)
            _fsync_dirs(made | {staging})
        if not target.exists():
            os.rename(staging, target)
            return sorted(written)
        if _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the old tree
            return sorted(written)
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        old.rmdir()
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
        return sorted(written)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_new(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a new file (synced later, with the whole tree)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        for piece in (data,) if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _sync_filesystem(path: Path) -> bool:
    """Flush the file system holding ``path`` to disk in one call (Linux ``syncfs``), so a
    tree of 225,000 files costs one wait, not one fsync each; ``False`` where there is none."""
    syncfs = _linux_call("syncfs")
    if syncfs is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return bool(syncfs(fd) == 0)
    finally:
        os.close(fd)


def _fsync_dirs(directories: Iterable[Path]) -> None:
    """Sync the directory entries too (POSIX); Windows cannot open a directory for that."""
    if os.name != "posix":
        return
    for directory in directories:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as f:
                os.fsync(f.fileno())
