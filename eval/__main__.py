"""`make eval`: every quality evaluation, one after another, with its figures.

`--quick` runs a small sample of each (for CI).
"""

from __future__ import annotations

import argparse
import importlib
import json
import time

# (module, arguments for a full run, arguments for a quick run)
EVALUATIONS = [
    ("eval.documents", [], []),
    ("eval.entities", [], ["--sample", "20"]),
    ("eval.events", [], ["--sample", "8"]),  # the bundled examples: in-sample
    ("eval.events_real", [], ["--sample", "24"]),  # real news, dev and held-out test parts
    ("eval.stories", ["--sample", "40"], ["--sample", "5"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small samples, for CI")
    args = parser.parse_args()
    summary = {}
    for module_name, full, quick in EVALUATIONS:
        started = time.perf_counter()
        print(f"== {module_name}", flush=True)
        module = importlib.import_module(module_name)
        figures = module.main(quick if args.quick else full)
        summary[module_name] = figures
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
