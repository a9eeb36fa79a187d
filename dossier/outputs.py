"""Writing output files safely: exports and reports appear whole or not at all.

A file is written to a temporary name in the target's own folder (so the rename never crosses
file systems), flushed to disk, then renamed over the target. A full disk, a size limit or a
kill while writing leaves the previous file as it was; the temporary file is removed when
Python gets the chance (after kill -9 a `.NAME.*.partial` file may stay behind, never the
target half-written).

CSV cells that a spreadsheet would run as a formula are neutralised here too, for every
writer of CSV (CONTRACT.md: a cell starting with =, +, -, @, TAB or CR gets a leading ').
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: a formula-like string gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8) to `path` in one step: whole, or the old file kept."""
    with atomic_file(path, binary=isinstance(content, bytes)) as handle:
        handle.write(content)


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle on a temporary file next to `path` that replaces `path` when the block ends
    without an exception; on any exception the temporary file is removed and `path` is
    untouched. Text mode writes UTF-8 with newlines as given (CSV writes its own)."""
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _keep_mode(path: Path, temporary: str) -> None:
    """mkstemp makes the file private (0600); an output replacing a file keeps that file's
    permissions, a new one gets the usual permissions under the umask."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)


def output_error(path: Path | str | None, exc: OSError) -> str:
    """The one line saying why an output could not be written."""
    where = f" {path}" if path else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"cannot write{where}: {reason} (any previous file is unchanged)"
