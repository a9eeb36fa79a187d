"""`analyse` on a Dask distributed cluster (`dossier ingest --cluster ADDRESS`).

`analyse` is a pure function of one RawDocument, so each document is one Dask task. Results
stream back in the order they finish and the caller stores each in its own transaction, exactly
as with local worker processes; linking stays on the caller's machine, over the store. Only a
bounded window of documents is in flight, so reading a large archive does not fill the
scheduler's memory. Workers need the same dossier version installed (see README, "Scale-out").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from dossier.model import Analysis, RawDocument
from dossier.pipeline import _analyse_safely

IN_FLIGHT_PER_THREAD = 4


def analyse_on_cluster(
    items: Iterable[tuple[str, RawDocument]], address: str
) -> Iterator[tuple[str, RawDocument, Analysis | str]]:
    """Like `pipeline.analyse_all`, on the cluster at `address` (e.g. tcp://host:8786), in the
    order documents finish; a failed analysis comes back as its message."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # an optional extra: say how to get it
        raise RuntimeError("--cluster needs Dask: pip install 'dossier[cluster]'") from exc
    with Client(address, set_as_default=False) as client:
        threads = sum(client.nthreads().values()) or 1
        window = threads * IN_FLIGHT_PER_THREAD
        pending: dict[str, tuple[str, RawDocument]] = {}
        source_items = iter(items)

        def submit_next() -> Any:
            item = next(source_items, None)
            if item is None:
                return None
            future = client.submit(_analyse_safely, item[1], pure=False)
            pending[future.key] = item
            return future

        first = [f for f in (submit_next() for _ in range(window)) if f is not None]
        if not first:
            return
        finished = as_completed(first, loop=client.loop)
        for future in finished:
            source, raw = pending.pop(future.key)
            outcome = _outcome(future)
            future.release()
            more = submit_next()
            if more is not None:
                finished.add(more)
            yield source, raw, outcome


def _outcome(future) -> Analysis | str:
    """The analysis, or the error of a task that failed outside `analyse` (a lost worker)."""
    try:
        return future.result()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
