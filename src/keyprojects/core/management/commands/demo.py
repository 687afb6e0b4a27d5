"""`keyprojects demo [--port N] [--no-serve]`: migrate, load the demo data, print the logins, serve."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from keyprojects.core import clock
from keyprojects.core.demo.loader import DEMO_PASSWORD, DEMO_TODAY, load_demo


class Command(BaseCommand):
    help = "加载演示数据并启动服务"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-serve", action="store_true", help="只加载数据，不启动服务")

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's weeks, deadlines and overdue items make sense in spring 2024 (DESIGN §9).
        os.environ.setdefault("KEYPROJECTS_TODAY", DEMO_TODAY)
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo(log=lambda m: self.stdout.write(m))
        self.stdout.write("")
        self.stdout.write(f"演示时钟：{clock.today():%Y-%m-%d}（KEYPROJECTS_TODAY）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<20} {login.role}  范围：{login.scope}")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])
