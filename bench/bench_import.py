"""Import benchmark: a province-sized list of 20,000 projects (.xlsx) parsed and imported into a fresh database.

The list looks like the city lists: title, unit note "单位：亿元", a two-row header with "投资（亿元）" merged over
总投资 and 2024年计划投资, industry sections with counts, and a 合计 row; places are "XX市XX区XX街道XX路N号" across
Shandong. Prints the time of each step; on SQLite, exits 1 when parse + first import exceed the goal (30 s).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchlib import bench_database

ROWS = 20_000
GOAL_SECONDS = 30.0
INDUSTRIES = ["高端装备", "新能源新材料", "现代轻工纺织", "现代高效农业", "医养健康", "高端化工", "新一代信息技术",
              "现代物流", "文化旅游", "社会民生", "基础设施", "城市更新"]
PRODUCTS = ["高端玉米淀粉糖", "光伏支架", "冲压模具", "精细化工中间体", "新能源电池", "医用敷料", "高档生活用纸",
            "智能农机", "铝型材", "特种表面活性剂", "生物饲料", "碳纤维复合材料"]
ROADS = ["北海路", "长松路", "樱前街", "东风街", "胜利街", "民主街", "健康街", "青年路", "海龙路", "新华路"]
CATEGORIES = ["新开工", "续建", "竣工"]


def build_list(path: Path) -> tuple[Decimal, Decimal]:
    """Write the list; return the 合计 amounts (亿元)."""
    import xlsxwriter

    from keyprojects.regions.divisions import load_divisions

    rng = random.Random(20240401)
    divisions = load_divisions()
    counties = {d.code: d for d in divisions if d.level in ("county", "zone")}
    towns = [d for d in divisions if d.level == "town" and d.parent_code in counties]
    cities = {d.code: d for d in divisions if d.level == "city"}
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("重点项目名单")
    sheet.merge_range(0, 0, 0, 10, "2024年山东省重点项目名单")
    sheet.merge_range(1, 0, 1, 10, "单位：亿元")
    header = ["序号", "项目名称", "建设单位", "建设地点", "建设内容及规模", "建设起止年限", "投资（亿元）", "",
              "项目类型", "包靠领导", "责任单位"]
    for column, text in enumerate(header):
        if column not in (6, 7):
            sheet.merge_range(2, column, 3, column, text)
    sheet.merge_range(2, 6, 2, 7, "投资（亿元）")
    sheet.write_row(3, 6, ["总投资", "2024年计划投资"])
    row = 4
    total = annual = Decimal(0)
    per_section = ROWS // len(INDUSTRIES)
    serial = 0
    for number, industry in enumerate(INDUSTRIES):
        count = per_section if number < len(INDUSTRIES) - 1 else ROWS - per_section * (len(INDUSTRIES) - 1)
        numeral = "一二三四五六七八九十"[number] if number < 10 else "十" + "一二"[number - 10]
        sheet.merge_range(row, 0, row, 10, f"{numeral}、{industry}（{count}个）")
        row += 1
        for _ in range(count):
            serial += 1
            town = rng.choice(towns)
            county = counties[town.parent_code or ""]
            city = cities.get(county.parent_code or "")
            place = f"{city.name if city else ''}{county.name}{town.name}{rng.choice(ROADS)}{rng.randint(1, 2000)}号"
            invest = Decimal(rng.randint(100, 500_00)) / 100
            plan = (invest * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01"))
            start = rng.randint(2021, 2024)
            years = f"{start}-{start + rng.randint(0, 3)}"
            product = rng.choice(PRODUCTS)
            sheet.write_row(row, 0, [
                serial, f"年产{serial}万吨{product}项目", f"山东{product}{serial}有限公司", place,
                f"总占地{rng.randint(20, 900)}亩，新建生产车间及配套设施", years, float(invest), float(plan),
                rng.choice(CATEGORIES), "", f"{county.name}人民政府"])
            total += invest
            annual += plan
            row += 1
    sheet.merge_range(row, 0, row, 5, "合计")
    sheet.write_row(row, 6, [float(total), float(annual)])
    workbook.close()
    return total, annual


def main() -> int:
    with bench_database() as vendor:
        from keyprojects.audit.actions import Actor
        from keyprojects.audit.models import AuditSource
        from keyprojects.projects.import_actions import do_import_list
        from keyprojects.projects.listfile import parse_list_file
        from keyprojects.projects.models import Project

        print(f"import benchmark on {vendor}: {ROWS} rows")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "province-list.xlsx"
            started = time.perf_counter()
            build_list(path)
            size = path.stat().st_size / 1024 / 1024
            print(f"generated {ROWS} rows ({size:.1f} MB) in {time.perf_counter() - started:.1f} s")

            started, cpu = time.perf_counter(), time.process_time()
            result = parse_list_file(path)
            parse_seconds, parse_cpu = time.perf_counter() - started, time.process_time() - cpu
            issues = result.all_issues()
            print(f"parse:        {parse_seconds:6.2f} s  {len(result.good_rows)} good rows, {len(issues)} issues")
            for issue in issues[:5]:
                print(f"    {issue}")

            actor = Actor(user=None, source=AuditSource.IMPORT)
            started, cpu = time.perf_counter(), time.process_time()
            report = do_import_list(actor, result, filename=path.name)
            import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"import:       {import_seconds:6.2f} s  {report.summary()}")

            started = time.perf_counter()
            again = do_import_list(actor, parse_list_file(path), filename=path.name)
            print(f"re-import:    {time.perf_counter() - started:6.2f} s  (parse included) {again.summary()}")
        assert Project.objects.count() == len(result.good_rows)
        total = parse_seconds + import_seconds
        ok = total < GOAL_SECONDS or vendor != "sqlite"
        verdict = ("OK" if total < GOAL_SECONDS else "TOO SLOW") if vendor == "sqlite" else "(goal stated for SQLite)"
        print(f"parse+import: {total:6.2f} s  for {ROWS} rows (goal < {GOAL_SECONDS:.0f} s) {verdict}; "
              f"CPU time {parse_cpu + import_cpu:.2f} s (wall time includes waiting for other processes)")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
