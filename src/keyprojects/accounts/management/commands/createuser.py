"""`keyprojects createuser USERNAME --role ROLE [--region NAME_OR_CODE ...] [--unit NAME ...]`."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keyprojects.accounts.actions import do_create_user
from keyprojects.accounts.choices import Role
from keyprojects.audit.actions import Actor
from keyprojects.audit.models import AuditSource
from keyprojects.directory.models import Unit
from keyprojects.regions.models import Region


class Command(BaseCommand):
    help = "新建用户"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--region", action="append", default=[], help="负责区域（名称或区划代码，可多次）")
        parser.add_argument("--unit", action="append", default=[], help="负责单位（名称，可多次）")
        parser.add_argument(
            "--password",
            default=os.environ.get("KEYPROJECTS_NEW_PASSWORD"),
            help="不填则交互输入（也可用环境变量 KEYPROJECTS_NEW_PASSWORD）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions = []
        for ref in options["region"]:
            matches = list(Region.objects.filter(code=ref)) or list(
                Region.objects.filter(name=ref).exclude(level="town")
            )
            if len(matches) != 1:
                raise CommandError(f"区域“{ref}”{'不存在' if not matches else '有重名，请用区划代码'}")
            regions.append(matches[0])
        units = []
        for ref in options["unit"]:
            unit = Unit.objects.filter(name=ref).first()
            if unit is None:
                raise CommandError(f"单位“{ref}”不存在")
            units.append(unit)
        password = options["password"] or getpass.getpass("密码：")
        try:
            user = do_create_user(
                Actor(user=None, source=AuditSource.CLI),
                options["username"],
                password,
                options["role"],
                options["name"],
                regions=regions,
                units=units,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已创建用户 {user.username}（{user.get_role_display()}）")
