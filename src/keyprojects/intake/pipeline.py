"""From raw text to fact records: clean → split → extract. Pure: no database.

Used by the ``ingest`` command (``--json`` prints these records, the contract), by the evaluation and by the benchmark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from keyprojects.intake.clean import CleanText, clean
from keyprojects.intake.extract import Fact, extract_facts
from keyprojects.intake.places import DEFAULT_AREA, matcher_for
from keyprojects.intake.split import Article, split_articles

__all__ = ["Processed", "process", "records"]


@dataclass(frozen=True)
class Processed:
    page: CleanText
    articles: list[Article]
    facts: list[Fact]

    def records(self, source: str | None = None) -> list[dict[str, Any]]:
        result = []
        for fact in self.facts:
            record = fact.as_record(self.page)
            if source is not None:
                record["source"] = source
            result.append(record)
        return result


def process(raw: str, published: dt.date | None = None, area: str = DEFAULT_AREA) -> Processed:
    page = clean(raw)
    articles = split_articles(page, published)
    facts = extract_facts(page, articles, matcher_for(area), published)
    return Processed(page, articles, facts)


def records(raw: str, source: str | None = None, published: dt.date | None = None,
            area: str = DEFAULT_AREA) -> list[dict[str, Any]]:
    return process(raw, published, area).records(source)
