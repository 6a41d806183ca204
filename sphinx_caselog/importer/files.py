"""Writing files: all at once (atomically), never outside ``--out``, never over a file
without ``--force``, never through a symlink."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Literal, NamedTuple


class Planned(NamedTuple):
    path: PurePosixPath  # relative to --out
    text: str
    role: Literal["case", "year", "index"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* all at once: a temporary file in the same folder, then
    ``os.replace``; the file gets the usual permissions (0o666 less the umask)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o666 & ~_umask())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise


def check_targets(
    out: Path, planned: Sequence[Planned], force: bool
) -> tuple[list[Planned], list[Planned], list[str], list[str]]:
    """(to write, index kept, conflicts, unsafe): nothing is written unless the last two are empty.

    A target is unsafe when writing it could leave ``--out``: a symlink at the target or
    in a folder on the way, or a resolved path outside ``--out``. ``--force`` replaces
    files, never symlinks.
    """
    root = out.resolve()
    write: list[Planned] = []
    kept: list[Planned] = []
    conflicts: list[str] = []
    unsafe: list[str] = []
    for item in planned:
        target = out.joinpath(*item.path.parts)
        folders = [out.joinpath(*item.path.parts[:n]) for n in range(1, len(item.path.parts))]
        if any(f.is_symlink() or (f.exists() and not f.is_dir()) for f in folders):
            unsafe.append(f"{target}: a folder on the way is a symlink or a file")
            continue
        if target.is_symlink():
            unsafe.append(f"{target}: is a symlink, which is never replaced")
            continue
        if not target.resolve().is_relative_to(root):
            unsafe.append(f"{target}: resolves outside {out}")
            continue
        if target.exists() and not target.is_file():
            unsafe.append(f"{target}: exists and is not a file")
            continue
        if target.exists() and not force:
            if item.role == "index":
                kept.append(item)
                continue
            conflicts.append(str(target))
            continue
        write.append(item)
    return write, kept, conflicts, unsafe
