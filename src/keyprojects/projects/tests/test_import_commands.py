"""`keyprojects import` and `keyprojects export`: the --json contract, dry run, strict mode, round trip, OC4IDS."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from keyprojects.projects.listfile import CONTRACT_KEYS
from keyprojects.projects.models import Project
from keyprojects.projects.oc4ids import schema_errors
from keyprojects.projects.tests.listfile_builders import SAMPLES, expected_rows, small_list, xlsx_bytes
from keyprojects.regions.loading import load_regions
from keyprojects.regions.models import Region

pytestmark = pytest.mark.django_db
SAMPLE_FILES = ["2024-weifang-key-projects.xlsx", "hanting-district-list.xls", "liaocheng-list.csv"]


@pytest.fixture(autouse=True)
def regions(db: Any) -> None:
    if not Region.objects.exists():
        load_regions(Region)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_dry_run_json_prints_the_expected_rows(sample: str) -> None:
    out, err = run("import", str(SAMPLES / sample), "--dry-run", "--json")
    lines = [json.loads(line, parse_float=Decimal) for line in out.splitlines()]
    expected = expected_rows(sample)
    assert len(lines) == len(expected)
    for got, want in zip(lines, expected, strict=True):
        assert list(got) == list(CONTRACT_KEYS)
        assert {k: got[k] for k in want} == {k: Decimal(str(v)) if isinstance(v, Decimal) else v
                                            for k, v in want.items()}
    assert Project.objects.count() == 0
    assert err.strip().endswith("（试导入，未写入数据库）")


def test_money_is_printed_as_json_numbers() -> None:
    out, _ = run("import", str(SAMPLES / "hanting-district-list.xls"), "--dry-run", "--json")
    first = out.splitlines()[0]
    assert '"total_investment_wan": 57490,' in first
    row = next(json.loads(line) for line in out.splitlines() if ".5" in line.split('"annual_plan_wan": ')[1][:12])
    assert isinstance(row["annual_plan_wan"], float)


def test_import_then_export_then_import_changes_nothing(tmp_path: Path) -> None:
    out, _ = run("import", str(SAMPLES / "2024-weifang-key-projects.xlsx"))
    assert out.strip().endswith(
        "2024-weifang-key-projects.xlsx：新建80个项目，更新0个，0个未变化；年度计划新建78个，调整0个")
    target = tmp_path / "registry.xlsx"
    out, _ = run("export", str(target), "--year", "2024")
    assert out.strip() == f"已导出80个项目到{target}（2024年计划）"
    out, _ = run("import", str(target))
    assert out.strip() == "registry.xlsx：新建0个项目，更新0个，80个未变化"


def test_strict_fails_and_imports_nothing(tmp_path: Path) -> None:
    rows = [[1, "甲项目", "甲公司", "潍城区", "厂房", "2024", 1, 0.5, "新开工"],
            [2, "乙项目", "乙公司", "长松路以东", "厂房", "2024", 1, 0.5, "续建"]]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes(small_list(total=None, annual=None, rows=rows)))
    with pytest.raises(CommandError, match="严格模式下有错误行，未导入任何项目"):
        run("import", str(path), "--strict")
    assert Project.objects.count() == 0
    out, err = run("import", str(path))
    assert "第6行“建设地点”列（D列）：无法从“长松路以东”识别山东省的区县" in err
    assert out.strip().endswith("；1行出错未导入")
    assert Project.objects.count() == 1


def test_fatal_file_errors_and_options(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"%PDF-1.4 not a sheet")
    with pytest.raises(CommandError, match="notes.xlsx：这是PDF文件，不是电子表格"):
        run("import", str(path))
    with pytest.raises(CommandError, match="unknown division code"):
        run("import", str(SAMPLES / "liaocheng-list.csv"), "--region", "999999", "--dry-run")
    with pytest.raises(CommandError, match="--map 的格式应为"):
        run("import", str(SAMPLES / "liaocheng-list.csv"), "--map", "项目名称")
    with pytest.raises(CommandError, match="与指定的年度2025不一致"):
        run("import", str(SAMPLES / "liaocheng-list.csv"), "--year", "2025", "--dry-run")
    custom = tmp_path / "custom.csv"
    custom.write_text("工程,位置,投资（万元）,性质\n甲项目,潍城区,100,新开工\n", encoding="utf-8")
    out, _ = run("import", str(custom), "--map", "工程=项目名称", "--map", "位置=address",
                 "--map", "C=total_investment", "--map", "性质=category", "--dry-run", "--json")
    assert json.loads(out)["name"] == "甲项目" and json.loads(out)["total_investment_wan"] == 100


def test_export_oc4ids_json(tmp_path: Path) -> None:
    run("import", str(SAMPLES / "liaocheng-list.csv"))
    target = tmp_path / "open-data.json"
    out, _ = run("export", str(target), "--publisher", "聊城市发展和改革委员会")
    assert out.strip() == f"已导出64个项目到{target}（OC4IDS 0.9）"
    package = json.loads(target.read_text(encoding="utf-8"))
    assert package["publisher"] == {"name": "聊城市发展和改革委员会"}
    assert len(package["projects"]) == 64
    assert all(schema_errors(p) == [] for p in package["projects"])
    with pytest.raises(CommandError, match="导出文件须以"):
        run("export", str(tmp_path / "x.csv"))
