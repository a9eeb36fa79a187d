"""Optional `url` and `source` lines at the top of a plain-text article (after the date
header line, if any): where the article came from, as HTML and JSON inputs carry it.

    date 2026-03-10 EN
    url https://example.org/news/123
    source Steppe Wire

Either line may also be written `url: ...` / `source: ...`, in any letter case. Only lines
at the very top are read, and only a web address for `url` and a short name for `source`,
so an article that happens to open with "Source: ..." prose keeps its text.
"""

from __future__ import annotations

import re

LINE = re.compile(r"^[ \t]?(?P<key>url|source)[ \t]*:?[ \t]+(?P<value>\S.*?)[ \t]*$",
                  re.IGNORECASE)
MAX_OUTLET = 80


def provenance_lines(body: str) -> tuple[str | None, str | None, str]:
    """(url, outlet, the body without those lines)."""
    url = outlet = None
    rest = body
    for _ in range(2):
        first, sep, after = rest.partition("\n")
        match = LINE.match(first)
        if not match:
            break
        key, value = match.group("key").lower(), match.group("value")
        if key == "url" and url is None and re.match(r"https?://\S+$", value):
            url = value
        elif (key == "source" and outlet is None and len(value) <= MAX_OUTLET
              and not value.endswith((".", "!", "?"))):
            outlet = value
        else:
            break
        rest = after
    return url, outlet, rest.lstrip("\n") if rest is not body else body
