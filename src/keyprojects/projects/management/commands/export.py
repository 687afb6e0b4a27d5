"""`keyprojects export FILE [--year Y] [--region CODE] [--user NAME] [--publisher NAME]`.

FILE.xlsx: the registry as a key-project list that `keyprojects import` reads back to the same registry.
FILE.json: the registry as open data, an OC4IDS project package (keyprojects.projects.oc4ids), checked against the
vendored schema before it is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keyprojects.core import clock
from keyprojects.projects.list_export import export_rows, write_list_xlsx
from keyprojects.projects.models import Project
from keyprojects.projects.oc4ids import project_package, schema_errors
from keyprojects.regions.models import Region


class Command(BaseCommand):
    help = "导出重点项目名单（.xlsx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件（.xlsx）")
        parser.add_argument("--year", type=int, help="年度计划投资的年份（默认今年）")
        parser.add_argument("--region", help="只导出该区域（区划代码）内的项目")
        parser.add_argument("--user", help="只导出该用户管辖范围内的项目；默认全部")
        parser.add_argument("--publisher", default="重点项目督导平台", help="OC4IDS 数据包的发布者名称（.json）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.suffix.lower() not in (".xlsx", ".json"):
            raise CommandError("导出文件须以 .xlsx（重点项目名单）或 .json（OC4IDS 开放数据）结尾")
        year = options["year"] or clock.today().year
        projects = Project.objects.all()
        if options["user"]:
            from keyprojects.accounts.models import User

            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用")
            projects = Project.objects.for_user(user)
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"区划代码“{options['region']}”不存在")
            projects = projects.filter(region__path__startswith=region.path)
        if path.suffix.lower() == ".json":
            package = project_package(projects, options["publisher"])
            errors = [f"{p['id']} {e}" for p in package["projects"] for e in schema_errors(p)]
            if errors:
                raise CommandError("OC4IDS 数据不符合规范：" + "；".join(errors[:10]))
            path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"已导出{len(package['projects'])}个项目到{path}（OC4IDS {package['version']}）")
            return
        rows = export_rows(projects, year)
        with open(path, "wb") as fh:
            count = write_list_xlsx(rows, year, fh)
        self.stdout.write(f"已导出{count}个项目到{path}（{year}年计划）")
