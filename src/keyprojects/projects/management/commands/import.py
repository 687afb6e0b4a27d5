"""`keyprojects import FILE [--dry-run] [--strict] [--year Y] [--json] [--region CODE] [--user NAME] [--map 列=字段]`.

Reads a key-project list (.xlsx, .xls, .ods, .csv), reports bad rows with row, column and reason, and upserts the good
ones (see keyprojects.projects.import_actions). ``--json`` prints every parsed project row as one JSON object per line,
keys in the contract order of ../shared/data/README.md (plus region_code), money as numbers in 万元; messages go to
stderr. A dry run checks against the database too when it is set up, and writes nothing.
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.projects.listfile import FIELD_LABELS, ListFileError, ParseOptions, ParseResult, parse_list_file


def json_value(value: object) -> object:
    """Money as a JSON number: 36000, not "36000" nor 35999.99… (amounts have at most two decimals)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def contract_json(result: ParseResult) -> list[str]:
    return [json.dumps({k: json_value(v) for k, v in row.contract().items()}, ensure_ascii=False)
            for row in result.rows if row.ok]


class Command(BaseCommand):
    help = "导入重点项目名单（.xlsx/.xls/.ods/.csv）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="名单文件")
        parser.add_argument("--dry-run", action="store_true", help="试导入：检查并报告，不写入数据库")
        parser.add_argument("--strict", action="store_true", help="严格模式：有任何一行出错就不导入")
        parser.add_argument("--year", type=int, help="年度计划投资所属年份（表头未写明时）")
        parser.add_argument("--json", action="store_true", help="每行输出一个JSON对象（解析结果）")
        parser.add_argument("--region", help="只在该区域（区划代码）内识别建设地点")
        parser.add_argument("--user", help="以该用户身份导入（检查权限和管辖范围）；默认以系统身份")
        parser.add_argument("--sheet", help="工作表名称（默认第一个有表头的工作表）")
        parser.add_argument("--map", action="append", default=[], metavar="列=字段",
                            help=f"指定列的含义，列可写表头文字或列字母，字段为：{'、'.join(FIELD_LABELS)}；"
                                 "字段留空表示忽略该列")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping = self._mapping(options["map"])
        want_json = options["json"]
        show_progress = not want_json and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"\r已处理 {done}/{total} 行", ending="")

        parse_options = ParseOptions(mapping=mapping, year=options["year"], within=options["region"],
                                     sheet=options["sheet"], progress=progress)
        path = Path(options["file"])
        try:
            result = parse_list_file(path, parse_options)
        except ListFileError as exc:
            raise CommandError(f"{path.name}：{exc}") from exc
        except ValueError as exc:  # an unknown --region code
            raise CommandError(str(exc)) from exc
        if show_progress:
            self.stderr.write("")
        if want_json:
            try:
                for line in contract_json(result):
                    self.stdout.write(line)
                self.stdout.flush()
            except BrokenPipeError:  # `keyprojects import … --json | head`
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter closes it at exit
                return
        out = self.stderr if want_json else self.stdout
        if not self._database_ready():
            if not options["dry_run"]:
                raise CommandError("数据库尚未初始化，请先运行 keyprojects migrate")
            for issue in result.all_issues():
                self.stderr.write(str(issue))
            out.write(f"解析{len(result.rows)}行，其中{len(result.bad_rows)}行有错误（数据库尚未初始化，未与已有项目核对）")
            return
        self._import(result, path, options, out, progress)

    def _import(self, result: ParseResult, path: Path, options: dict[str, Any], out: Any, progress: Any) -> None:
        from keyprojects.projects.import_actions import do_import_list

        actor = Actor(user=self._user(options["user"]), source=AuditSource.IMPORT)
        try:
            report = do_import_list(actor, result, strict=options["strict"], dry_run=options["dry_run"],
                                    year=options["year"], filename=path.name, progress=progress)
        except (PermissionDenied, ValidationError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        for issue in report.issues:
            self.stderr.write(str(issue))
        if not options["json"]:
            for outcome in report.outcomes:
                if outcome.action == "update":
                    out.write(f"第{outcome.row}行 {outcome.name}：更新{'、'.join(outcome.changed)}")
        out.write(f"{path.name}：{report.summary()}")
        if report.aborted:
            raise CommandError("严格模式下有错误行，未导入任何项目")

    @staticmethod
    def _mapping(pairs: list[str]) -> dict[str, str]:
        mapping = {}
        for pair in pairs:
            column, sep, field_key = pair.partition("=")
            if not sep or not column.strip():
                raise CommandError(f"--map 的格式应为“列=字段”：{pair}")
            field_key = field_key.strip()
            if field_key and field_key not in FIELD_LABELS:
                by_label = {label: key for key, label in FIELD_LABELS.items()}
                if field_key not in by_label:
                    raise CommandError(f"未知字段“{field_key}”，可用：{'、'.join(FIELD_LABELS)}")
                field_key = by_label[field_key]
            mapping[column.strip()] = field_key
        return mapping

    @staticmethod
    def _user(username: str | None) -> Any:
        if not username:
            return None
        from keyprojects.accounts.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user

    @staticmethod
    def _database_ready() -> bool:
        try:
            return "projects_project" in connection.introspection.table_names()
        except Exception:  # noqa: BLE001 - no database file or server: the dry run still checks the file
            return False
