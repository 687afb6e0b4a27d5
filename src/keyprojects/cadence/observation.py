"""Scoring an observation round (半年观摩). Pure: no database. The worked example of docs/observation.md is asserted
by tests/test_observation_doc.py.

1. A panel member scores every criterion of a target from 0 to 100. The member's total for the target is the weighted
   mean of those scores: Σ wᵢ·sᵢ / Σ wᵢ, rounded half up to two decimals.
2. A target's result is the trimmed mean of the members' totals: with three or more totals the highest and the lowest
   are dropped (one each, however many members share that value) and the rest averaged; with one or two totals
   nothing is dropped. Rounded half up to two decimals.
3. Targets are ranked by result, highest first; equal results share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MIN_SCORE, MAX_SCORE = Decimal(0), Decimal(100)
K = TypeVar("K", bound=Hashable)


class ScoreError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


def plain(value: Decimal | float | int) -> str:
    """A number as a person writes it: 40, 12.5, 86.17 — no trailing zeros, no exponent."""
    return format(Decimal(str(value)).normalize(), "f")


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check_scores(scores: Mapping[K, Decimal | None], names: Mapping[K, str]) -> dict[K, Decimal]:
    """Every criterion needs a score between 0 and 100; the errors name the criteria."""
    errors: dict[str, str] = {}
    clean: dict[K, Decimal] = {}
    for key, name in names.items():
        value = scores.get(key)
        if value is None:
            errors[str(key)] = _("请为“%(name)s”打分。") % {"name": name}
        elif not MIN_SCORE <= value <= MAX_SCORE:
            errors[str(key)] = _("“%(name)s”的得分须在0到100之间。") % {"name": name}
        else:
            clean[key] = value
    if errors:
        raise ScoreError(errors)
    return clean


def sheet_total(scores: Mapping[K, Decimal], weights: Mapping[K, Decimal]) -> Decimal:
    """A member's weighted total for one target."""
    total_weight = sum((weights[k] for k in weights), Decimal(0))
    if total_weight <= 0:
        raise ScoreError({"weights": _("评分指标的权重之和须大于0。")})
    missing = [k for k in weights if k not in scores]
    if missing:
        raise ScoreError({"scores": _("评分不完整。")})
    weighted = sum((weights[k] * scores[k] for k in weights), Decimal(0))
    return round2(weighted / total_weight)


@dataclass(frozen=True)
class Trimmed:
    result: Decimal | None
    dropped_high: Decimal | None
    dropped_low: Decimal | None
    counted: tuple[Decimal, ...]


def trimmed_mean(totals: Sequence[Decimal]) -> Trimmed:
    """去掉一个最高分和一个最低分 (with at least three totals), then the mean of the rest."""
    if not totals:
        return Trimmed(None, None, None, ())
    ordered = sorted(totals)
    if len(ordered) < 3:
        counted = tuple(ordered)
        high = low = None
    else:
        low, high = ordered[0], ordered[-1]
        counted = tuple(ordered[1:-1])
    return Trimmed(round2(sum(counted, Decimal(0)) / len(counted)), high, low, counted)


def competition_ranks(results: Mapping[K, Decimal | None]) -> dict[K, int | None]:
    """Rank by result, highest first; equal results share the better rank (1, 2, 2, 4); no result, no rank."""
    scored = sorted(((v, k) for k, v in results.items() if v is not None), key=lambda item: item[0], reverse=True)
    ranks: dict[K, int | None] = dict.fromkeys(results)
    previous: Decimal | None = None
    rank = 0
    for position, (value, key) in enumerate(scored, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks
