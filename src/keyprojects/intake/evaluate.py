"""Precision and recall of the extractor against hand-checked facts, per kind and field. Pure: no database.

``python -m keyprojects.intake.evaluate [--shared DIR]`` (``make eval-intake``) reads ``DIR/intake/seed-facts.jsonl``
with the
reports in ``DIR/seeds/`` and the dev sample ``DIR/intake/dev/`` (passages of other provinces, published on the date
their
file is named after), runs the whole pipeline on them and prints a table.

How facts are compared. Within one document and kind, predicted and annotated facts are paired greedily by how many key
fields agree (a batch event must agree on its region, count or total; a project on its name). Then, per field:

* TP — a pair agrees on the field (a region agrees when both resolve to the same division or read the same without their
  suffix 省/市; a name when one contains the other or they share 70% of their character pairs; amounts exactly);
* FP — a predicted value that is wrong, or that belongs to a fact with no annotated partner;
* FN — an annotated value that is missed or wrong, or that belongs to a fact the extractor did not find;
* extra — a value the extractor found on a paired fact where the annotation is silent (the annotation "is not
  exhaustive",
  ``shared/intake/README.md``); shown, not counted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from keyprojects.intake.pipeline import records
from keyprojects.intake.places import DEFAULT_AREA, matcher_for

__all__ = ["FIELDS", "Score", "score", "evaluate_seeds", "evaluate_dev", "format_table", "main"]

FIELDS: dict[str, tuple[str, ...]] = {
    "batch_event": ("region", "date", "project_count", "total_investment_wan", "annual_investment_wan", "venue"),
    "project": ("name", "region", "investment_wan", "owner", "annual_output_value_wan", "milestone", "date"),
    "target": ("region", "year", "project_count", "key_project_count", "total_investment_wan",
               "annual_investment_target_wan", "production_target_count"),
    "pipeline_stat": ("region", "year", "signed_count", "started_count", "funds_in_place_wan"),
}
ACCEPTANCE = (("batch_event", "region"), ("batch_event", "date"), ("batch_event", "project_count"),
              ("batch_event", "total_investment_wan"), ("project", "investment_wan"))
_NUMERIC = re.compile(r"_wan$|_count$|^year$")
_SUFFIX_RE = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extra: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Score:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)

    def tally(self, kind: str, name: str) -> Tally:
        return self.tallies.setdefault((kind, name), Tally())


def _region_key(value: str) -> str:
    mentions = matcher_for(DEFAULT_AREA).find(value)
    if len(mentions) == 1 and mentions[0].surface == value and mentions[0].place is not None:
        place = mentions[0].place
        if place.code:
            return place.code
        return _SUFFIX_RE.sub("", place.name) if mentions[0].region == value and value in (
            place.name, _SUFFIX_RE.sub("", place.name)) else _SUFFIX_RE.sub("", value)
    return _SUFFIX_RE.sub("", value)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def same_value(name: str, predicted: Any, gold: Any) -> bool:
    if predicted is None or gold is None:
        return False
    if name == "region":
        return _region_key(str(predicted)) == _region_key(str(gold))
    if name in ("name", "owner", "venue"):
        a, b = str(predicted), str(gold)
        if a in b or b in a:
            return True
        grams_a, grams_b = _bigrams(a), _bigrams(b)
        return bool(grams_a and grams_b) and 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b)) >= 0.7
    if _NUMERIC.search(name):
        try:
            return Decimal(str(predicted)) == Decimal(str(gold))
        except ArithmeticError:
            return False
    return str(predicted) == str(gold)


def _pair_score(kind: str, predicted: dict[str, Any], gold: dict[str, Any]) -> int:
    if kind == "project":
        if not same_value("name", predicted.get("name"), gold.get("name")):
            return 0
        return 3 + sum(same_value(f, predicted.get(f), gold.get(f)) for f in FIELDS[kind])
    keys = {"batch_event": ("region", "project_count", "total_investment_wan"),
            "target": ("region",), "pipeline_stat": ("region", "year")}[kind]
    anchor = sum(same_value(f, predicted.get(f), gold.get(f)) for f in keys)
    if not anchor:
        return 0
    return 2 * anchor + sum(same_value(f, predicted.get(f), gold.get(f)) for f in FIELDS[kind])


def score(predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]], result: Score | None = None) -> Score:
    """Compare the facts of one document; add to ``result``."""
    result = result or Score()
    for kind, names in FIELDS.items():
        preds = [p for p in predicted if p.get("kind") == kind]
        golds = [g for g in gold if g.get("kind") == kind]
        pairs: list[tuple[int, int, int]] = sorted(
            ((_pair_score(kind, p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
            reverse=True)
        used_p: set[int] = set()
        used_g: set[int] = set()
        matched: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for value, i, j in pairs:
            if value <= 0 or i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            matched.append((preds[i], golds[j]))
        facts = result.tally(kind, "(facts)")
        facts.tp += len(matched)
        facts.fp += len(preds) - len(matched)
        facts.fn += len(golds) - len(matched)
        facts.gold += len(golds)
        facts.predicted += len(preds)
        for name in names:
            tally = result.tally(kind, name)
            for p, g in matched:
                has_p, has_g = p.get(name) is not None, g.get(name) is not None
                tally.gold += has_g
                tally.predicted += has_p
                if has_p and has_g:
                    if same_value(name, p[name], g[name]):
                        tally.tp += 1
                    else:
                        tally.fp += 1
                        tally.fn += 1
                elif has_p:
                    tally.extra += 1
                elif has_g:
                    tally.fn += 1
            for i, p in enumerate(preds):
                if i not in used_p and p.get(name) is not None:
                    tally.fp += 1
                    tally.predicted += 1
            for j, g in enumerate(golds):
                if j not in used_g and g.get(name) is not None:
                    tally.fn += 1
                    tally.gold += 1
    return result


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_seeds(shared: Path) -> Score:
    gold = _read_jsonl(shared / "intake" / "seed-facts.jsonl")
    result = Score()
    for path in sorted((shared / "seeds").glob("*.txt")):
        predicted = records(path.read_text(encoding="utf-8"))
        score(predicted, [g for g in gold if g.get("doc") == path.name], result)
    return result


def evaluate_dev(shared: Path) -> Score:
    import datetime as dt

    dev = shared / "intake" / "dev"
    gold = _read_jsonl(dev / "dev-facts.jsonl")
    result = Score()
    for passage in _read_jsonl(dev / "dev-passages.jsonl"):
        stem = Path(passage["file"]).stem
        published = dt.date.fromisoformat(stem) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stem) else None
        predicted = records(passage["text"], published=published)
        score(predicted, [g for g in gold if g.get("passage") == passage["id"]], result)
    return result


def _ratio(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


def format_table(title: str, result: Score) -> str:
    lines = [title, f"{'kind':<14}{'field':<30}{'gold':>5}{'pred':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'extra':>6}"
                    f"{'P':>7}{'R':>7}"]
    for kind, names in FIELDS.items():
        for name in ("(facts)", *names):
            tally = result.tallies.get((kind, name))
            if tally is None or not (tally.gold or tally.predicted):
                continue
            lines.append(f"{kind:<14}{name:<30}{tally.gold:>5}{tally.predicted:>5}{tally.tp:>5}{tally.fp:>5}"
                         f"{tally.fn:>5}{tally.extra:>6}{_ratio(tally.precision):>7}{_ratio(tally.recall):>7}")
    return "\n".join(lines)


def acceptance(result: Score, threshold: float = 0.9) -> tuple[bool, list[str]]:
    failures = []
    for kind, name in ACCEPTANCE:
        tally = result.tallies.get((kind, name), Tally())
        if (tally.precision or 0) < threshold or (tally.recall or 0) < threshold:
            failures.append(f"{kind}.{name} P={_ratio(tally.precision).strip()} R={_ratio(tally.recall).strip()}")
    return not failures, failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of the news intake against hand-checked facts.")
    parser.add_argument("--shared", type=Path, default=Path("..") / "shared", help="the shared/ folder (default ../shared)")  # noqa: E501 (Chinese text is double width)
    args = parser.parse_args(argv)
    seeds = evaluate_seeds(args.shared)
    print(format_table("Seeds (shared/seeds, shared/intake/seed-facts.jsonl)", seeds))
    ok, failures = acceptance(seeds)
    print("acceptance (≥ 0.90 on batch events' region, date, count, total and projects' investment): "
          + ("PASS" if ok else "FAIL: " + "; ".join(failures)))
    print()
    dev_dir = args.shared / "intake" / "dev"
    if (dev_dir / "dev-facts.jsonl").exists():
        print(format_table("Dev sample (shared/intake/dev, other provinces; not the judge)", evaluate_dev(args.shared)))
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
