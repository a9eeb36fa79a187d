"""Cleaning: the article text without teasers, ads, "read also" blocks and credits.

Word patterns come from dossier/data/boilerplate/*.json (see its README); the structural rules
below need no words. Cleaning works line by line and never rewrites the words it keeps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

MAX_CAPTION = 80  # a line this short right before a credit line is that photo's caption
# Later stages work per line and sentence, some in quadratic time over one sentence: a line
# longer than this (an article pasted on one line, a run-on list) is broken into pieces.
MAX_LINE = 4000
# A sentence this long is a run-on list, not prose: broken at clause marks too.
MAX_SENTENCE = 1000
# Where a long line is best broken, best first: after a sentence, a clause, any space.
LINE_BREAKS = (re.compile(r"[.!?…][\"'»”)]*( )"), re.compile(r"[;,:]( )"), re.compile(r"(\s)"))


@dataclass
class Cleaned:
    text: str
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Patterns:
    drop_lines: re.Pattern[str]
    drop_inline: re.Pattern[str] | None
    read_more: re.Pattern[str] | None


@cache
def patterns() -> Patterns:
    lines: list[str] = []
    inline: list[str] = []
    read_more: list[str] = []
    folder = resources.files("dossier") / "data" / "boilerplate"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            data = json.loads(item.read_text(encoding="utf-8"))
            lines += data.get("drop_lines", [])
            inline += data.get("drop_inline", [])
            read_more += data.get("read_more_lines", [])
    return Patterns(
        drop_lines=_alternation(lines, whole=True),
        drop_inline=_alternation(inline, whole=False) if inline else None,
        read_more=_alternation(read_more, whole=True) if read_more else None,
    )


def _alternation(parts: list[str], whole: bool) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in parts)
    return re.compile(rf"^(?:{body})$" if whole else body, re.IGNORECASE)


def clean_text(body: str) -> Cleaned:
    lines = [_strip_inline(line).rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    keep = [True] * len(lines)
    for rule in (_pattern_lines, _read_more_blocks, _teaser_blocks, _truncated_duplicates,
                 _captions_before_credits):
        rule(lines, keep)
    removed = [line.strip() for line, k in zip(lines, keep, strict=True) if not k and line.strip()]
    text = _join([line for line, k in zip(lines, keep, strict=True) if k])
    warnings = [] if text else ["no article text left after cleaning"]
    if any(len(line) > MAX_SENTENCE for line in text.split("\n")):
        broken = "\n".join(piece for line in text.split("\n") for piece in break_line(line))
        if broken != text:
            text = broken
            warnings.append("very long lines or sentences were broken into pieces")
    return Cleaned(text, removed, warnings)


def break_line(line: str) -> list[str]:
    """A line as pieces of at most MAX_LINE characters, and no sentence longer than
    MAX_SENTENCE: the pieces that later stages can work on in bounded time."""
    pieces = []
    for piece in split_long_line(line, MAX_LINE):
        ends = [0] + [m.start(1) + 1 for m in LINE_BREAKS[0].finditer(piece)] + [len(piece) + 1]
        current: list[str] = []
        for start, end in zip(ends, ends[1:], strict=False):
            sentence = piece[start:end - 1]
            if len(sentence) <= MAX_SENTENCE:
                current.append(sentence)
                continue
            parts = split_long_line(sentence, MAX_SENTENCE)
            current.append(parts[0])
            pieces.append(" ".join(current))
            pieces.extend(parts[1:-1])
            current = [parts[-1]]
        pieces.append(" ".join(current))
    return pieces


def split_long_line(line: str, limit: int = MAX_LINE) -> list[str]:
    """The line in pieces of at most `limit` characters, broken after the last sentence end,
    else clause mark, else space in each window (the space becomes the line break, so the
    text keeps its length); a window without any space is cut where it ends."""
    pieces = []
    while len(line) > limit:
        window = line[: limit + 1]
        cut = None
        for pattern in LINE_BREAKS:
            found = [m.start(1) for m in pattern.finditer(window) if m.start(1) > 0]
            if found:
                cut = found[-1]
                break
        if cut is None:
            pieces.append(line[:limit])
            line = line[limit:]
        else:
            pieces.append(line[:cut])
            line = line[cut + 1:]
    pieces.append(line)
    return pieces


def _strip_inline(line: str) -> str:
    pattern = patterns().drop_inline
    return pattern.sub("", line) if pattern else line


def _pattern_lines(lines: list[str], keep: list[bool]) -> None:
    pattern = patterns().drop_lines
    for i, line in enumerate(lines):
        if line.strip() and pattern.match(line.strip()):
            keep[i] = False


def _read_more_blocks(lines: list[str], keep: list[bool]) -> None:
    """"Read also:" alone on a line is followed by the linked title: drop both."""
    pattern = patterns().read_more
    if not pattern:
        return
    for i, line in enumerate(lines):
        if line.strip() and pattern.match(line.strip()):
            keep[i] = False
            nxt = _next_nonblank(lines, i)
            if nxt is not None and len(lines[nxt]) < 160 and not _ends_sentence(lines[nxt]):
                keep[nxt] = False


def _teaser_blocks(lines: list[str], keep: list[bool]) -> None:
    """A teaser repeats its title (link text, then image alt) and ends with a stamp line.

    Drop the repeated title, and the lines after it up to a line already dropped as a
    reading-time or section stamp, when one follows within three lines.
    """
    for i in range(len(lines) - 1):
        line = lines[i].strip()
        if not line or line != lines[i + 1].strip():
            continue
        keep[i] = keep[i + 1] = False
        for j in range(i + 2, min(i + 6, len(lines))):
            if not keep[j] and lines[j].strip():
                for k in range(i + 2, j):
                    keep[k] = False
                break


def _truncated_duplicates(lines: list[str], keep: list[bool]) -> None:
    """Drop a line that is a cut-off copy of another line (teaser or breadcrumb title).

    Lines are compared on letters and digits only: "400,000 Russians ... – the" is a cut
    copy of "400,000 Russians ... in the country" whatever the punctuation.
    """
    keys = [_letters(line) for line in lines]
    for i, line in enumerate(lines):
        core = _letters(line.rstrip(".… "))
        if len(core) < 15 or not keep[i]:
            continue
        truncated = line.rstrip().endswith(("...", "…")) or not _ends_sentence(line)
        longer = (k for j, k in enumerate(keys) if j != i and len(k) > len(core))
        if truncated and any(core in k for k in longer):
            keep[i] = False


def _letters(line: str) -> str:
    return re.sub(r"\W|_", "", line.lower())


def _captions_before_credits(lines: list[str], keep: list[bool]) -> None:
    """A short caption line directly above a dropped credit line belongs to the photo."""
    for i in range(1, len(lines)):
        if keep[i] or not _is_credit(lines[i]):
            continue
        prev = i - 1
        if keep[prev] and 0 < len(lines[prev].strip()) <= MAX_CAPTION and not _ends_sentence(
            lines[prev]
        ):
            keep[prev] = False


def _is_credit(line: str) -> bool:
    return bool(re.search(r"/|:", line)) and len(line) < 200


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", "»", "”", '"', ":", ";"))


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].strip():
            return j
    return None


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)
