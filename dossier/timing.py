"""Seconds spent in each stage of `analyse`, for benchmarks and profiling.

When DOSSIER_STAGE_TIMES names a file, every analysed document appends one JSON line to it:
{"document", "language", "chars", "stages": {stage: seconds}}. Lines are short and written
in one call each, so several worker processes can share the file. Unset, nothing is written and
the cost is a few clock reads per document.
"""

from __future__ import annotations

import json
import os
import time

ENV = "DOSSIER_STAGE_TIMES"


class StageClock:
    """Laps of one document's analysis: `lap(stage)` charges the time since the last lap."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now

    def record(self, document: str, language: str, chars: int) -> None:
        path = os.environ.get(ENV)
        if not path:
            return
        line = json.dumps({"document": document, "language": language, "chars": chars,
                           "stages": {k: round(v, 5) for k, v in self.seconds.items()}})
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
