"""Name similarity for linking a news fact to a registry project. Pure: no database."""

from __future__ import annotations

import re

_NOISE_RE = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]|项目$|工程$")


def _core(name: str) -> str:
    return _NOISE_RE.sub("", name)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def name_similarity(a: str, b: str) -> float:
    """1.0 when one name contains the other (a report shortens or lengthens names), else the Dice of character pairs."""
    core_a, core_b = _core(a), _core(b)
    if not core_a or not core_b:
        return 0.0
    if core_a in core_b or core_b in core_a:
        return 1.0
    grams_a, grams_b = _bigrams(core_a), _bigrams(core_b)
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


def best_match(name: str, candidates: list[tuple[int, str]], threshold: float = 0.6) -> int | None:
    """The id of the candidate named most like ``name``, if it is similar enough and not tied."""
    scored = sorted(((name_similarity(name, other), pk) for pk, other in candidates), reverse=True)
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two projects fit equally: let the reviewer choose
    return scored[0][1]
