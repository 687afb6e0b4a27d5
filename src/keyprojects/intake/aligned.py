"""Text that remembers where each of its characters came from. Pure: no database.

Cleaning rewrites a page many times (lines joined, doubled characters undone, punctuation normalised). A reviewer
must still
be shown the evidence at its place in the original report, so every character of the cleaned text carries the offset
of the
raw character it stems from. Every rewrite goes through :meth:`Aligned.sub`, which keeps that mapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Replacement = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True, slots=True)
class Aligned:
    text: str
    pos: tuple[int, ...]  # pos[i] is the offset in the raw input of text[i]

    @classmethod
    def of(cls, text: str, start: int = 0) -> Aligned:
        return cls(text, tuple(range(start, start + len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, item: slice) -> Aligned:
        return Aligned(self.text[item], self.pos[item])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the raw input covering ``text[start:end]`` (end exclusive)."""
        if not self.pos:
            return (0, 0)
        if start >= end:
            anchor = self.pos[min(start, len(self.pos) - 1)]
            return (anchor, anchor)
        return (self.pos[start], self.pos[end - 1] + 1)

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> Aligned:
        """Like ``pattern.sub(repl, text)``, keeping the origin of every character.

        A replacement character that occurs in the matched text maps to that occurrence (scanning left to right, so
        deleting, undoubling and despacing map exactly); any other character maps proportionally into the match.
        """
        pieces: list[str] = []
        positions: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            pieces.append(self.text[last:start])
            positions.extend(self.pos[last:start])
            new = repl(match) if callable(repl) else match.expand(repl)
            pieces.append(new)
            positions.extend(_map_replacement(match.group(0), new, self.pos[start:end], self.pos[start] if start < len(
                self.pos) else (self.pos[-1] + 1 if self.pos else 0)))
            last = end
        if last == 0 and not pieces:
            return self
        pieces.append(self.text[last:])
        positions.extend(self.pos[last:])
        return Aligned("".join(pieces), tuple(positions))

    def strip(self) -> Aligned:
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return self[left:max(left, right)]


def _map_replacement(old: str, new: str, old_pos: tuple[int, ...], anchor: int) -> list[int]:
    if not new:
        return []
    if not old_pos:
        return [anchor] * len(new)
    result: list[int] = []
    cursor = 0
    for index, char in enumerate(new):
        found = old.find(char, cursor)
        if found >= 0:
            result.append(old_pos[found])
            cursor = found + 1
        else:
            result.append(old_pos[min(len(old_pos) - 1, index * len(old_pos) // len(new))])
    return result


def concat(parts: Iterable[Aligned]) -> Aligned:
    texts: list[str] = []
    positions: list[int] = []
    for part in parts:
        texts.append(part.text)
        positions.extend(part.pos)
    return Aligned("".join(texts), tuple(positions))


def literal(text: str, at: int) -> Aligned:
    """Inserted text (a newline between joined paragraphs) anchored at one raw offset."""
    return Aligned(text, (at,) * len(text))
