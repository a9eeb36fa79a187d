"""Which script a name is written in."""

from __future__ import annotations

import unicodedata


def script_of(text: str) -> str:
    """'cyrillic', 'latin' or 'other' by the first letter of `text` (ignoring non-letters)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("CYRILLIC"):
                return "cyrillic"
            if name.startswith("LATIN"):
                return "latin"
            return "other"
    return "latin"
