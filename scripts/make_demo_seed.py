"""Regenerates src/keyprojects/core/demo/seed_projects.json from the sample lists in ../shared/data.

The sample lists carry the seed reports' real projects and amounts plus synthetic ones; their .expected.jsonl rows are
hand-checked. The demo ships this JSON so that it runs without ../shared.
Run: .venv/bin/python scripts/make_demo_seed.py
"""

import json
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.expected.jsonl").read_text(encoding="utf-8").splitlines()]


def main() -> None:
    weifang = rows("2024-weifang-key-projects.xlsx")
    sheet = CalamineWorkbook.from_path(str(DATA / "2024-weifang-key-projects.xlsx")).get_sheet_by_index(0).to_python()
    people = {r[1]: (r[9], r[10], r[3]) for r in sheet if isinstance(r[0], float) and r[1]}
    for row in weifang:
        row["leader"], row["unit"], row["address"] = people.get(row["name"], ("", "", ""))
        row["list"] = "city"
    hanting = rows("hanting-district-list.xls")
    xls = CalamineWorkbook.from_path(str(DATA / "hanting-district-list.xls")).get_sheet_by_index(0).to_python()
    places = {r[1]: r[3] for r in xls if isinstance(r[0], int | float) and r[0] != "" and r[1]}
    for row in hanting:
        row["leader"], row["unit"], row["list"] = "", "", "district"
        row["address"] = places.get(row["name"], "")
    out = ROOT / "src/keyprojects/core/demo/seed_projects.json"
    out.write_text(
        json.dumps(
            {"source": "../shared/data sample lists (see scripts/make_demo_seed.py)", "projects": weifang + hanting},
            ensure_ascii=False,
            indent=0,
        ),
        encoding="utf-8",
    )
    print(f"{len(weifang)} + {len(hanting)} projects → {out}")


if __name__ == "__main__":
    main()
