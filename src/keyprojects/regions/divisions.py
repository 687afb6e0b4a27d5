"""The packaged table of administrative divisions (GB/T 2260) and Weifang's functional zones. Pure: no database.

`shandong-divisions.csv` is derived from the division table of the jionlp package (Apache-2.0). Functional zones have no
GB/T 2260 code except 滨海区 (370772); the others get codes of our own that contain a letter (3707Z1 …) so that they can
never collide with an official code. The same records seed the `Region` table and the pure text matchers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = ("province", "city", "county", "zone", "town")


@dataclass(frozen=True)
class Division:
    level: str  # province / city / county / zone / town
    code: str | None  # GB/T 2260 code, a custom code for zones, None for towns
    name: str
    short_name: str
    parent_code: str | None
    parent_name: str
    full_name: str = ""
    aliases: tuple[str, ...] = field(default=())


@cache
def load_divisions() -> tuple[Division, ...]:
    """Province, cities, counties and zones (zones replace the county row with the same code), then towns."""
    zones: dict[str, Division] = {}
    with open(DATA_DIR / "functional-zones.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            zones[row["code"]] = Division(
                level=row["level"],
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                parent_code=row["parent_code"],
                parent_name=row["parent_name"],
                full_name=row["full_name"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
    records: list[Division] = []
    towns: list[Division] = []
    with open(DATA_DIR / "shandong-divisions.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"] or None
            if code in zones:
                records.append(zones.pop(code))
                continue
            division = Division(
                level=row["level"],
                code=code,
                name=row["name"],
                short_name=row["short_name"] or row["name"],
                parent_code=row["parent_code"] or None,
                parent_name=row["parent_name"],
                full_name=row["name"],
            )
            (towns if division.level == "town" else records).append(division)
    records.extend(zones.values())
    return tuple(records + towns)
