"""Regenerate the name lists in dossier/data/entities/ (a developer tool, not run by the pipeline).

Source: the person-name providers of Faker (MIT licence, https://pypi.org/project/Faker/),
all locales. Run with Faker installed (tested with faker==40.54.0):

    python -m dossier.entities.build_names

Writes first_names.txt and surnames.txt: one name a line, as spelled in the source (Latin and
Cyrillic scripts; other scripts are skipped), sorted.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "entities"
_SCRIPT = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ'’\-]+$")


def _names(attr_names: tuple[str, ...]) -> set[str]:
    import faker.providers.person as person  # type: ignore[import-not-found]

    found: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        module = importlib.import_module(f"faker.providers.person.{info.name}")
        provider = getattr(module, "Provider", None)
        for attr in attr_names:
            values = getattr(provider, attr, None) or ()
            if not isinstance(values, (dict, list, tuple, set, frozenset)):
                continue
            for value in values:
                value = str(value).strip()
                if 2 <= len(value) <= 20 and _SCRIPT.match(value):
                    found.add(value)
    return found


def main() -> None:
    first = _names(("first_names", "first_names_male", "first_names_female"))
    last = _names(("last_names", "last_names_male", "last_names_female")) - first
    (DATA / "first_names.txt").write_text("\n".join(sorted(first)) + "\n", encoding="utf-8")
    (DATA / "surnames.txt").write_text("\n".join(sorted(last)) + "\n", encoding="utf-8")
    print(len(first), "first names,", len(last), "surnames")


if __name__ == "__main__":
    main()
